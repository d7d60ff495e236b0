import Synchronization

/// The fake GitHub server's store behind its lock: shared by the server and its handler.
final class FakeGitHubState: Sendable {
    private let store = Mutex(FakeGitHubStore())

    func withLock<T>(_ body: (inout FakeGitHubStore) -> T) -> T {
        store.withLock { body(&$0) }
    }
}

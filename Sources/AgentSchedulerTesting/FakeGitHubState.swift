import Synchronization

/// The fake GitHub server's store behind its lock, and its port once it listens: shared by the
/// server and its handler.
final class FakeGitHubState: Sendable {
    private let store = Mutex(FakeGitHubStore())
    /// The port listened on, for `Link` headers; `nil` until the server listens.
    let port = Mutex<UInt16?>(nil)

    func withLock<T>(_ body: (inout FakeGitHubStore) -> T) -> T {
        store.withLock { body(&$0) }
    }
}

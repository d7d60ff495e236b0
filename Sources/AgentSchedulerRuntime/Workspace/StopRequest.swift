import Synchronization

/// A request, from any thread, that a running child process be stopped.
final class StopRequest: Sendable {
    private let requested = Atomic<Bool>(false)

    func request() { requested.store(true, ordering: .releasing) }

    var isRequested: Bool { requested.load(ordering: .acquiring) }
}

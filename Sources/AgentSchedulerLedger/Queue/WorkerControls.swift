/// What other processes asked of a worker's sessions: cancellations and steering messages waiting.
public struct WorkerControls: Sendable, Hashable {
    /// Sessions held by the worker that someone asked to cancel.
    public var cancels: [SessionID]
    /// Steering messages not yet delivered, oldest first.
    public var steering: [SteeringMessage]

    public init(cancels: [SessionID] = [], steering: [SteeringMessage] = []) {
        self.cancels = cancels
        self.steering = steering
    }

    public var isEmpty: Bool { cancels.isEmpty && steering.isEmpty }
}

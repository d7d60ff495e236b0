/// Why the ledger refused an operation. Budget code fails closed on every one of these.
public enum LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The ledger file could not be opened, read or written.
    case unavailable(path: String, reason: String)
    case noSuchSession(SessionID)
    case noSuchReservation(ReservationID)
    /// No worker registered this id; reservations need a registered lease.
    case noSuchWorker(WorkerID)
    /// The reservation was already committed or released: nothing happens twice.
    case reservationResolved(id: ReservationID, state: String)
    /// A commit for more than was reserved.
    case chargeExceedsReservation(id: ReservationID, reserved: String, charged: String)
    /// The session is not in a state it may leave for the one asked.
    case invalidTransition(session: SessionID, from: SessionState, to: SessionState)
    /// The worker's lease expired and its work was reclaimed by another process.
    case leaseLost(worker: WorkerID)
    /// The session reached a final state; it takes no more messages.
    case sessionFinal(session: SessionID, state: SessionState)
    /// Another worker holds the session.
    case heldByOtherWorker(session: SessionID, worker: WorkerID)
    /// No pull request of that number is recorded for the repository.
    case noSuchPullRequest(repository: String, number: Int)
    /// An open pull request from that branch is recorded already.
    case pullRequestExists(repository: String, head: String, number: Int)
    /// A value the ledger's constraints refuse (an empty branch, a cursor that is not JSON, …).
    case invalidValue(String)
    /// A reservation in a unit other than its scope's (premium requests against a credits budget).
    case unitMismatch(scope: String, amount: String)
    /// A stored row holds a value the ledger does not know (an unknown kind, unit or state).
    case corrupt(String)
    /// The steering message was handed to its session before: it is not delivered or charged again.
    case alreadyDelivered(steering: Int64)
    /// The worker does not hold the session (any more): it may not write what the holder owns.
    case notHeld(session: SessionID, worker: WorkerID)

    public var description: String {
        switch self {
        case .unavailable(let path, let reason):
            "the ledger at \(path) cannot be used: \(reason)"
        case .noSuchSession(let id): "no session \(id)"
        case .noSuchReservation(let id): "no reservation \(id)"
        case .noSuchWorker(let id): "no worker \(id) is registered; register its lease before reserving"
        case .reservationResolved(let id, let state): "reservation \(id) is already \(state)"
        case .chargeExceedsReservation(let id, let reserved, let charged):
            "reservation \(id) holds \(reserved); a charge of \(charged) is more"
        case .invalidTransition(let session, let from, let to):
            "session \(session) cannot go from \(from.rawValue) to \(to.rawValue)"
        case .leaseLost(let worker):
            "worker \(worker) lost its lease; its sessions were reclaimed by another process"
        case .sessionFinal(let session, let state):
            "session \(session) is \(state.rawValue) and takes no more messages"
        case .heldByOtherWorker(let session, let worker):
            "session \(session) is held by worker \(worker)"
        case .noSuchPullRequest(let repository, let number): "no pull request \(repository)#\(number)"
        case .pullRequestExists(let repository, let head, let number):
            "\(repository)#\(number) is already open from \(head)"
        case .invalidValue(let why): why
        case .unitMismatch(let scope, let amount): "scope \(scope) cannot hold \(amount): it counts another unit"
        case .corrupt(let what): "the ledger holds a value it cannot read: \(what)"
        case .alreadyDelivered(let steering): "steering message \(steering) was already delivered"
        case .notHeld(let session, let worker): "session \(session) is not held by worker \(worker)"
        }
    }
}

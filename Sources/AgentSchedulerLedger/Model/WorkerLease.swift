import Foundation

/// A process that runs sessions and holds reservations while its lease is fresh.
public struct WorkerLease: Sendable, Hashable, Codable {
    public var id: WorkerID
    public var pid: Int32
    public var host: String
    public var expiresAt: Date

    public init(id: WorkerID, pid: Int32, host: String, expiresAt: Date) {
        self.id = id
        self.pid = pid
        self.host = host
        self.expiresAt = expiresAt
    }
}

/// What reclaiming dead workers' leases did.
public struct ReclaimReport: Sendable, Hashable, Codable {
    /// Workers whose leases had expired.
    public var workers: [WorkerID]
    /// Reservations released on their behalf.
    public var releasedReservations: [ReservationID]
    /// Their running sessions, now `interrupted`.
    public var interruptedSessions: [SessionID]

    public init(
        workers: [WorkerID] = [], releasedReservations: [ReservationID] = [], interruptedSessions: [SessionID] = []
    ) {
        self.workers = workers
        self.releasedReservations = releasedReservations
        self.interruptedSessions = interruptedSessions
    }

    public var isEmpty: Bool { workers.isEmpty }
}

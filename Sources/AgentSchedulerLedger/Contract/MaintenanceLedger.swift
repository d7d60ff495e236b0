import Foundation

/// The ledger's own upkeep: its schema, and a check of DESIGN §5's invariants over what it holds.
public protocol MaintenanceLedger: Sendable {
    /// Applies the migrations this build knows and the ledger lacks, in order, each once: safe to
    /// run again, and safe when several processes start at once.
    func migrate() async throws
    /// The number of the newest migration applied.
    func schemaVersion() async throws -> Int
    /// Every violation of the ledger's invariants at `now`, read at one instant; empty when sound.
    ///
    /// Checked: every open reservation lives under a live lease; every scope's used and reserved
    /// totals equal the sum of its charges and of its open reservations; every charge belongs to a
    /// recorded session.
    func checkInvariants(now: Date) async throws -> [LedgerViolation]
}

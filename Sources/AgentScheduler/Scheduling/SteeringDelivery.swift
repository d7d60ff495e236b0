/// What becomes of a steering message a worker found for one of its sessions.
enum SteeringDelivery: Sendable, Hashable {
    /// Charged (or free) and marked delivered: hand it to the session.
    case deliver
    /// Its charge did not fit the budget; marked delivered with this reason, not handed over.
    case refused(String)
    /// Delivered before, or the ledger could not be written: leave it (a later poll retries what
    /// the ledger did not record).
    case skip
}

import AgentSchedulerLedger

/// What happened to one issue of an assignment.
public struct AssignmentResult: Sendable, Hashable, Encodable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// A session was queued (or, in a dry run, would be).
        case queued
        /// Refused for permissions or policy; recorded as a `denied` session with the reason.
        case denied
        /// The same agent already has this issue queued or running; nothing was added.
        case duplicate
        /// `--route` found no agent whose labels match; nothing was recorded.
        case unrouted
    }

    public var issue: Int
    public var status: Status
    /// The agent's handle, when one was chosen.
    public var agent: String?
    /// The catalog model the session would run on.
    public var model: String?
    /// The session recorded (none in a dry run, or when unrouted).
    public var session: SessionID?
    /// Why it was denied, skipped or unrouted: one line.
    public var reason: String?
    /// What it costs: `1 premium request` (per-session charging) or the multiplier per model request.
    public var cost: String?
    /// What the session is expected to cost (dry runs only).
    public var estimate: CostEstimate?
    public var dryRun: Bool

    public init(
        issue: Int, status: Status, agent: String? = nil, model: String? = nil, session: SessionID? = nil,
        reason: String? = nil, cost: String? = nil, dryRun: Bool = false
    ) {
        self.issue = issue
        self.status = status
        self.agent = agent
        self.model = model
        self.session = session
        self.reason = reason
        self.cost = cost
        self.dryRun = dryRun
    }

    enum CodingKeys: String, CodingKey {
        case issue, status, agent, model, session, reason, cost, estimate
        case dryRun = "dry_run"
    }

    /// Whether the issue was refused (denied or unrouted).
    public var isRefusal: Bool { status == .denied || status == .unrouted }
}

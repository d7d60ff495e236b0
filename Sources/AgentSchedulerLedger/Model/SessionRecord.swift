import AgentSchedulerCore
import Foundation

/// One session as the ledger keeps it.
public struct SessionRecord: Sendable, Hashable, Codable, Identifiable {
    public var id: SessionID
    public var org: String
    /// `OWNER/NAME`.
    public var repository: String
    public var issue: Int
    public var title: String
    /// The agent's handle.
    public var agent: String
    /// The user who assigned it, who is billed.
    public var assigner: String
    /// The model the profile asked for.
    public var model: String
    public var state: SessionState
    /// Why it is denied, blocked, failed…; `nil` otherwise.
    public var reason: String?
    public var priority: Int
    /// The session's own cap (`limits.max-premium-requests`).
    public var premiumLimit: PremiumRequests?
    /// The session's own cap in credits (`limits.max-ai-credits`).
    public var creditLimit: AICredits?
    public var createdAt: Date
    public var updatedAt: Date
    /// The worker that claimed it or runs it; `nil` while it waits unclaimed and once it stops.
    public var worker: WorkerID?
    /// The issue's text, the agent's first message after the title.
    public var body: String
    /// The model it runs on when that is not `model`: the fallback model after the budget ran out.
    public var actualModel: String?
    /// When someone asked to cancel it while a worker held it; the worker stops it.
    public var cancelRequestedAt: Date?
    /// When it first started running.
    public var startedAt: Date?
    /// When it reached a final state.
    public var finishedAt: Date?
    /// What it left behind: branch, commit, patch, worktree, summary.
    public var outputs: SessionOutputs
    /// The session this one continues, for a follow-up (DESIGN §4): same branch, new instructions.
    public var follows: SessionID?
    /// A follow-up's new instructions (a review's comments, or `sessions follow-up`'s message).
    public var feedback: String?

    public init(
        id: SessionID, org: String, repository: String, issue: Int, title: String, agent: String, assigner: String,
        model: String, state: SessionState, reason: String? = nil, priority: Int = 0,
        premiumLimit: PremiumRequests? = nil, creditLimit: AICredits? = nil, createdAt: Date, updatedAt: Date,
        worker: WorkerID? = nil,
        body: String = "", actualModel: String? = nil, cancelRequestedAt: Date? = nil, startedAt: Date? = nil,
        finishedAt: Date? = nil, outputs: SessionOutputs = SessionOutputs(), follows: SessionID? = nil,
        feedback: String? = nil
    ) {
        self.id = id
        self.org = org
        self.repository = repository
        self.issue = issue
        self.title = title
        self.agent = agent
        self.assigner = assigner
        self.model = model
        self.state = state
        self.reason = reason
        self.priority = priority
        self.premiumLimit = premiumLimit
        self.creditLimit = creditLimit
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.worker = worker
        self.body = body
        self.actualModel = actualModel
        self.cancelRequestedAt = cancelRequestedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outputs = outputs
        self.follows = follows
        self.feedback = feedback
    }

    /// The session's own cap in `unit`.
    public func limit(in unit: BillingUnit) -> Amount? {
        switch unit {
        case .premiumRequests: premiumLimit?.amount
        case .aiCredits: creditLimit?.amount
        }
    }
}

/// What `createSession` needs.
public struct NewSession: Sendable, Hashable {
    public var org: String
    public var repository: String
    public var issue: Int
    public var title: String
    public var body: String
    public var agent: String
    public var assigner: String
    public var model: String
    public var priority: Int
    public var premiumLimit: PremiumRequests?
    /// The session's cap in credits (`limits.max-ai-credits`).
    public var creditLimit: AICredits?
    /// `queued`, or `denied` with a reason when assignment refused it.
    public var state: SessionState
    public var reason: String?
    /// The session a follow-up continues; `nil` for a fresh session.
    public var follows: SessionID?
    /// A follow-up's new instructions; set exactly when `follows` is.
    public var feedback: String?

    public init(
        org: String, repository: String, issue: Int, title: String = "", body: String = "", agent: String,
        assigner: String, model: String, priority: Int = 0, premiumLimit: PremiumRequests? = nil,
        creditLimit: AICredits? = nil, state: SessionState = .queued, reason: String? = nil, follows: SessionID? = nil,
        feedback: String? = nil
    ) {
        self.org = org
        self.repository = repository
        self.issue = issue
        self.title = title
        self.body = body
        self.agent = agent
        self.assigner = assigner
        self.model = model
        self.priority = priority
        self.premiumLimit = premiumLimit
        self.creditLimit = creditLimit
        self.state = state
        self.reason = reason
        self.follows = follows
        self.feedback = feedback
    }
}

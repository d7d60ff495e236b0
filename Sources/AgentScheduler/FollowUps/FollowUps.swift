import AgentSchedulerCore
import AgentSchedulerForges
import AgentSchedulerLedger
import Foundation

/// Queues follow-up sessions (DESIGN §4, §8): new instructions for a finished session's branch.
///
/// A follow-up is a new session of the same repository, issue and agent, charged like any session.
/// It works on the branch of the session it follows, from that branch's head, and its commits land
/// on the same branch, so in the same pull request. It is checked like an assignment: the agent must
/// still be in the team and allowed in the repository, and whoever asks must hold `write` or above
/// (GitHub's role for a `github: true` repository, lowered by the policy). One session works on a
/// branch at a time: a follow-up is refused while another session of that branch is unfinished.
public struct FollowUps: Sendable {
    public var workspace: Workspace
    public var ledger: any Ledger
    public var permissions: ForgePermissions
    public var clock: any WallClock

    public init(
        workspace: Workspace, ledger: any Ledger, permissions: ForgePermissions,
        clock: any WallClock = SystemWallClock()
    ) {
        self.workspace = workspace
        self.ledger = ledger
        self.permissions = permissions
        self.clock = clock
    }

    /// Why a follow-up was not queued: one line.
    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        case noSession(SessionID)
        case notFinished(SessionID, SessionState)
        /// Another session is already at work on that branch (queued, running, blocked…).
        case busy(branch: String, session: SessionID, state: SessionState)
        case noBranch(SessionID)
        case emptyFeedback
        case denied(String)

        public var description: String {
            switch self {
            case .noSession(let id): "no session \(id)"
            case .notFinished(let id, let state):
                "session \(id) is still \(state.rawValue); follow up once it has finished"
            case .busy(let branch, let session, let state):
                "session \(session) is already \(state.rawValue) on \(branch); follow up once it has finished"
            case .noBranch(let id): "session \(id) left no branch to continue (it committed nothing)"
            case .emptyFeedback: "the follow-up says nothing; give the new instructions"
            case .denied(let reason): reason
            }
        }
    }

    /// Queues a follow-up of session `id` with `feedback`, asked by `user`.
    ///
    /// `pullRequest` and `keys` tie it to review feedback: the keys are recorded as acted on in the
    /// same transaction, and `nil` is returned (nothing queued) when any was acted on already.
    /// Throws ``Refusal`` for a request that cannot be followed up.
    public func create(
        following id: SessionID, feedback: String, by user: String, pullRequest: Int? = nil, keys: [String] = []
    ) async throws -> SessionRecord? {
        let text = feedback.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw Refusal.emptyFeedback }
        guard let followed = try await ledger.session(id) else { throw Refusal.noSession(id) }
        guard followed.state.isFinal else { throw Refusal.notFinished(id, followed.state) }
        guard let branch = followed.outputs.branch else { throw Refusal.noBranch(id) }
        // One session at a time on a branch: two would each deliver over the other's commits. A
        // follow-up shares its repository, issue and agent with the sessions before it on the branch.
        let active: Set<SessionState> = [.queued, .running, .throttled, .blocked, .interrupted]
        if let working = try await ledger.sessions(in: active).first(where: {
            $0.repository == followed.repository && $0.issue == followed.issue && $0.agent == followed.agent
        }) {
            throw Refusal.busy(branch: branch, session: working.id, state: working.state)
        }
        guard let profile = workspace.team.profile(named: followed.agent) else {
            throw Refusal.denied("agent \(followed.agent) is no longer in the team")
        }
        let grant = await permissions.grant(
            for: user, in: followed.repository, configuration: workspace.configuration)
        let policy: OrganizationPolicy
        switch AccessCheck.evaluate(
            workspace: workspace, repository: followed.repository, user: user, profile: profile, forge: grant)
        {
        case .denied(let reason):
            throw Refusal.denied(reason)
        case .allowed(let allowed, let role, _):
            guard role >= .write else {
                throw Refusal.denied(
                    "\(user)'s role in \(followed.repository) is \(role.rawValue); a follow-up needs write or above")
            }
            policy = allowed
        }
        return try await ledger.createFollowUp(
            NewSession(
                org: policy.org, repository: followed.repository, issue: followed.issue, title: followed.title,
                body: followed.body, agent: followed.agent, assigner: user, model: followed.model,
                priority: profile.routing?.priority ?? 0, premiumLimit: profile.limits.maxPremiumRequests,
                creditLimit: profile.limits.maxAICredits, follows: followed.id, feedback: text),
            pullRequest: pullRequest ?? followed.outputs.pullRequest?.number, feedbackKeys: keys, at: clock.now())
    }
}

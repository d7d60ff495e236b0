import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime
import Foundation

/// A claimed session that passed admission: who runs it, where, on which model, with what permission.
struct AdmittedSession: Sendable {
    var record: SessionRecord
    var profile: AgentProfile
    var policy: OrganizationPolicy
    /// The model it runs on (the fallback model when the budget said so).
    var model: ModelDefinition
    /// The lower of the profile's permission and the assigner's role.
    var permission: AgentPermission
    /// The git repository sessions branch from and deliver to: the local one of
    /// `record.repository`, or agentsched's clone of a forge's.
    var repository: URL
    var baseRef: String?
    /// agentsched's clone and the base branch, for a repository on a forge: its branch is pushed
    /// and a pull request opened there when the session completes.
    var forgeRepository: PreparedRepository?
    /// The branch it works on: its own, or for a follow-up the branch of the session it follows.
    var branch: String
    /// The session a follow-up continues.
    var followed: SessionRecord?
    var billing: SessionBilling
    /// The conversation saved by an earlier run, to resume from.
    var saved: [ChatMessage]?
    /// The checkpoint of the worktree at the end of that conversation's last turn, when worktrees
    /// are checkpointed (a ledger on a server) and the session had one: its worktree is rebuilt from it.
    var checkpoint: String?

    /// The task the agent is given: the issue's text, and for a follow-up also what the followed
    /// session did and the new instructions.
    var task: String {
        guard let followed, let feedback = record.feedback else { return record.body }
        let summary = followed.outputs.summary?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return """
            \(record.body)

            ## Work so far
            Session \(followed.id) worked on this issue on branch \(branch); you continue on that branch, from \
            its last commit. \(summary.isEmpty ? "It left no summary." : "Its summary:")
            \(summary)

            ## New instructions (from @\(record.assigner))
            \(feedback)
            """
    }
}

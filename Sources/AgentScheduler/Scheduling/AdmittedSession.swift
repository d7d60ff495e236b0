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
    var billing: SessionBilling
    /// The conversation saved by an earlier run, to resume from.
    var saved: [ChatMessage]?
}

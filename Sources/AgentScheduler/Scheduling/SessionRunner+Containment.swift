import AgentSchedulerCore
import AgentSchedulerRuntime
import Foundation

/// How one session's commands are contained, and the line its log gets about it.
struct SessionContainment: Sendable {
    var containment: Containment
    /// `bubblewrap`, `unavailable` or `none`.
    var mode: String
    var note: String
}

extension SessionRunner {
    /// The containment a session gets: bubblewrap when it works, with the network only when the
    /// profile asks for it and the organisation permits it; `execute` unavailable without a
    /// sandbox; unconfined only when the policy says `sandbox: none` (DESIGN §13).
    func containment(for admitted: AdmittedSession) async -> SessionContainment {
        let policy = admitted.policy
        if policy.sandbox == .none {
            return SessionContainment(
                containment: .none, mode: "none",
                note: "commands run without a sandbox: \(policy.source) says `sandbox: none`")
        }
        switch bubblewrap {
        case .failure(let reason):
            return SessionContainment(
                containment: .unavailable(reason), mode: "unavailable",
                note: "execute is not offered: it runs only in a sandbox, and \(reason)")
        case .success(let bubblewrap):
            let asked = admitted.profile.executeNetwork == .allow
            let permitted = policy.executeNetwork == .allow
            let network: SandboxNetwork = asked && permitted ? .host : .loopback
            let workspace = await workspaces.workspace()
            let hidden = [workspace.root, state.path, admitted.repository.path].map {
                URL(fileURLWithPath: $0).resolvingSymlinksInPath().path
            }
            var note = "execute and git run in bubblewrap (\(bubblewrap.path))"
            switch (asked, permitted) {
            case (true, true): note += " with the network"
            case (true, false):
                note += " without the network: the profile asks for it, but \(policy.source) does not permit it"
            default: note += " without the network"
            }
            return SessionContainment(
                containment: .sandbox(bubblewrap, network: network, hidden: hidden), mode: "bubblewrap", note: note)
        }
    }
}

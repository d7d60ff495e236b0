import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime
import Foundation

/// Admits and runs the sessions a worker claimed: the checks again, the budget, then the agent
/// loop in the session's worktree, then the outputs and the final state (DESIGN §4).
struct SessionRunner: Sendable {
    var ledger: any Ledger
    var events: EventBuffer
    var clients: ModelClients
    var state: StateDirectory
    var workspaces: WorkspaceSource
    var clock: any WallClock
    var observer: any SchedulerObserver
    var worker: WorkerID
    /// The bubblewrap found when the process started, or why there is none.
    var bubblewrap: Result<Bubblewrap, SandboxUnavailable>
    var forges: ForgeDirectory

    /// What admission decided.
    enum Admission: Sendable {
        case start(AdmittedSession)
        /// The session was moved to a final or waiting state (denied, blocked, cancelled).
        case settled(SessionRecord)
        /// It could not be decided now (the ledger failed); it went back to the queue.
        case deferred(String)
    }

    func conversationFile(_ session: SessionID) -> URL {
        URL(fileURLWithPath: state.path).appendingPathComponent("sessions/\(session)/conversation.json")
    }

    func worktreeFolder(_ session: SessionID) -> URL {
        URL(fileURLWithPath: state.path).appendingPathComponent("worktrees/\(session)")
    }

    func patchFile(_ session: SessionID) -> URL {
        URL(fileURLWithPath: state.path).appendingPathComponent("patches/\(session).patch")
    }

    /// Whether each turn's worktree is checkpointed: with a ledger on a server, the next run of a
    /// session may be on another host, which rebuilds the worktree from the checkpoint. A SQLite
    /// ledger's sessions resume on this host, in the folder they left.
    var checkpointsWorktrees: Bool {
        if case .server = state.ledger { return true }
        return false
    }

    /// Where the bundle a checkpoint travels in is written.
    func checkpointBundle(_ session: SessionID) -> URL {
        URL(fileURLWithPath: state.path).appendingPathComponent("sessions/\(session)/checkpoint.bundle")
    }

    // MARK: Admission

    func admit(_ record: SessionRecord) async -> Admission {
        do {
            return try await decide(record)
        } catch {
            try? await ledger.unclaim([record.id], worker: worker, at: clock.now())
            return .deferred("session \(record.id) could not be admitted now: \(error)")
        }
    }

    private func decide(_ record: SessionRecord) async throws -> Admission {
        if record.cancelRequestedAt != nil {
            return .settled(try await settle(record, to: .cancelled, reason: "cancelled before it started"))
        }
        let workspace = await workspaces.workspace()
        guard let profile = workspace.team.profile(named: record.agent) else {
            return .settled(
                try await settle(record, to: .denied, reason: "agent \(record.agent) is no longer in the team"))
        }
        let policy: OrganizationPolicy
        let permission: AgentPermission
        let grant = await forges.permissions.grant(
            for: record.assigner, in: record.repository, configuration: workspace.configuration)
        switch AccessCheck.evaluate(
            workspace: workspace, repository: record.repository, user: record.assigner, profile: profile, forge: grant)
        {
        case .denied(let reason):
            return .settled(try await settle(record, to: .denied, reason: reason))
        case .allowed(let allowedPolicy, _, let allowedPermission):
            (policy, permission) = (allowedPolicy, allowedPermission)
        }
        let repository: URL
        let baseRef: String?
        var forgeRepository: PreparedRepository?
        if let source = workspace.configuration.source(of: record.repository), source.github {
            do {
                let prepared = try await forges.prepare(record.repository, under: state)
                (repository, baseRef, forgeRepository) = (prepared.clone.path, prepared.baseRef, prepared)
            } catch {
                return .settled(
                    try await settle(
                        record, to: .denied, reason: "\(record.repository) could not be fetched from GitHub: \(error)"))
            }
        } else if let local = workspace.localRepository(record.repository) {
            repository = local
            baseRef = workspace.configuration.source(of: record.repository)?.baseRef
        } else {
            return .settled(
                try await settle(
                    record, to: .denied,
                    reason:
                        "\(record.repository) has no local path in agentsched.yaml; add `\(record.repository): { path: DIR }`"
                ))
        }
        let resumed = try await LedgerConversationStore.resumePoint(
            of: record.id, in: ledger, legacyFile: conversationFile(record.id))
        let saved = resumed?.messages
        // A checkpoint may come from another host: fetch it from the forge, and make sure it is here.
        if checkpointsWorktrees, let checkpoint = resumed?.checkpoint {
            if let forgeRepository, try await !forgeRepository.clone.fetchCheckpoint(session: "\(record.id)") {
                return .settled(
                    try await settle(
                        record, to: .denied,
                        reason: "its checkpoint \(SessionRepository.checkpointRef(session: "\(record.id)")) is gone "
                            + "from \(record.repository); it cannot resume where it stopped"))
            }
            guard try await SessionRepository.hasCommit(checkpoint, in: repository) else {
                return .settled(
                    try await settle(
                        record, to: .denied,
                        reason: "its checkpoint \(checkpoint) is not in \(repository.path); it cannot resume where it "
                            + "stopped"))
            }
        }
        // A follow-up continues the branch of the session it follows, with that session's summary.
        var followed: SessionRecord?
        if let id = record.follows {
            guard let earlier = try await ledger.session(id), earlier.outputs.branch != nil else {
                return .settled(
                    try await settle(
                        record, to: .denied, reason: "session \(id), which this one follows, left no branch to continue"
                    ))
            }
            followed = earlier
            // Someone may have pushed to the pull request's branch since: build on their commits.
            if let forgeRepository, let branch = earlier.outputs.branch {
                do {
                    try await forgeRepository.clone.fastForward(branch: branch)
                } catch {
                    return .settled(
                        try await settle(
                            record, to: .denied, reason: "branch \(branch) could not be brought up to date: \(error)"))
                }
            }
        }
        // A fresh session's branch must be its own: another ledger on the same repository (a second
        // state folder) may have made one of that name, and continuing it would mix two sessions.
        let branch =
            followed?.outputs.branch
            ?? AgentSession.branchName(issue: record.issue, agent: record.agent, session: "\(record.id)")
        if saved == nil, followed == nil, !FileManager.default.fileExists(atPath: worktreeFolder(record.id).path),
            try await SessionRepository.sourceHasBranch(branch, source: repository)
        {
            return .settled(
                try await settle(
                    record, to: .denied,
                    reason:
                        "branch \(branch) already exists in \(repository.path) and this ledger did not make it "
                        + "(another state folder on the same repository?); delete or rename it, then assign again"))
        }
        let billing = SessionBilling(
            engine: BudgetEngine(
                ledger: ledger, catalog: workspace.catalog ?? .empty, clock: clock, worker: worker), policy: policy,
            session: record, earlierCharges: try await ledger.charges(session: record.id), observer: observer,
            events: events)
        let admission: SessionBilling.Admission
        do {
            admission = try await billing.admit(
                nextTurn: (saved?.count { $0.role == .assistant } ?? 0) + 1,
                probe: SessionBilling.openingProbe(record, profile: profile, catalog: workspace.catalog))
        } catch let error as BudgetError {
            return .settled(try await settle(record, to: .denied, reason: error.description))
        }
        switch admission {
        case .blocked(let denial) where denial.exhaustion.scope.kind == .session && policy.billing == .aiCredits:
            // A cap in credits does not reset: waiting in blocked would wait for ever.
            return .settled(
                try await settle(
                    record, to: .denied, reason: SessionBilling.Stop.capReached(denial).description))
        case .blocked(let denial):
            return .settled(try await settle(record, to: .blocked, reason: denial.description))
        case .admitted(let modelName):
            guard let model = workspace.catalog?.model(named: modelName) else {
                await billing.finish(reason: "model \(modelName) is not in the catalog")
                return .settled(
                    try await settle(record, to: .denied, reason: "model '\(modelName)' is not in the model catalog"))
            }
            var record = record
            if model.name != (record.actualModel ?? record.model) {
                try await ledger.recordActualModel(
                    record.id, model: model.name, reason: "the budget of \(policy.org) is used up", at: clock.now())
                record.actualModel = model.name
            }
            return .start(
                AdmittedSession(
                    record: record, profile: profile, policy: policy, model: model, permission: permission,
                    repository: repository, baseRef: baseRef, forgeRepository: forgeRepository, branch: branch,
                    followed: followed, billing: billing, saved: saved,
                    checkpoint: checkpointsWorktrees ? resumed?.checkpoint : nil))
        }
    }

    /// Moves a claimed session to a waiting or final state and tells the observer.
    func settle(_ record: SessionRecord, to state: SessionState, reason: String) async throws -> SessionRecord {
        let settled = try await ledger.transition(record.id, to: state, reason: reason, worker: worker, at: clock.now())
        await observer.observe(.stateChanged(settled, from: record.state))
        if state == .blocked {
            await tellIssue(settled, about: state, Self.issueComment(settled, state: state, reason: reason))
        }
        return settled
    }

    /// What the issue is told when a session fails, times out or waits blocked.
    static func issueComment(_ record: SessionRecord, state: SessionState, reason: String?) -> String {
        let what =
            switch state {
            case .blocked: "is waiting (blocked)"
            case .timedOut: "timed out"
            default: "failed"
            }
        return "agentsched: session \(record.id) (agent `\(record.agent)`) \(what)" + (reason.map { ": \($0)" } ?? ".")
    }
}

import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime
import Foundation

extension SessionRunner {
    /// Runs an admitted session to its end, or until `signal` fires, and records where it ended.
    ///
    /// Returns the session's final record (or its last known one when the ledger failed).
    func run(_ admitted: AdmittedSession, signal: StopSignal, inbox: SteeringInbox) async -> SessionRecord {
        var record = admitted.record
        do {
            let running = try await ledger.transition(
                record.id, to: .running, reason: admitted.saved == nil ? nil : "resumed from its last complete turn",
                worker: worker, at: clock.now())
            await observer.observe(.stateChanged(running, from: record.state))
            record = running
        } catch {
            await admitted.billing.finish(reason: "the session could not start: \(error)")
            try? await ledger.unclaim([record.id], worker: worker, at: clock.now())
            await observer.observe(.notice("session \(record.id) could not start: \(error)"))
            return record
        }
        if admitted.saved == nil, admitted.followed == nil {
            await tellIssue(
                record, about: .running,
                "agentsched: agent `\(record.agent)` is working on this issue as session \(record.id), assigned by "
                    + "@\(record.assigner).")
        }
        let sink = SessionEventSink(
            session: record, ledger: ledger, buffer: events, worker: worker, clock: clock, observer: observer)
        var model = admitted.model
        var resume = LedgerConversationStore.ResumePoint?.none
        if let saved = admitted.saved {
            resume = LedgerConversationStore.ResumePoint(messages: saved, checkpoint: admitted.checkpoint)
        }
        // Only the first run rebuilds the worktree from the checkpoint; a run on a fallback model
        // goes on in the folder the first left.
        var restoring = admitted.checkpoint
        var output: AgentSession.Output
        while true {
            output = await runOnce(
                admitted, model: model, resume: resume, restoring: restoring, sink: sink, signal: signal, inbox: inbox)
            restoring = nil
            // Per-request charging found the budget used up and a free fallback model: go on there.
            guard case .fallback(let name, _) = await admitted.billing.stop,
                let fallback = (await workspaces.workspace()).catalog?.model(named: name)
            else { break }
            try? await ledger.recordActualModel(
                record.id, model: fallback.name, reason: "the budget of \(record.org) is used up", at: clock.now())
            await admitted.billing.resume(on: fallback.name)
            model = fallback
            resume = try? await LedgerConversationStore.resumePoint(
                of: record.id, in: ledger, legacyFile: conversationFile(record.id))
        }
        return await finish(record, admitted: admitted, output: output, signal: signal, sink: sink)
    }

    /// One run of the loop on `model`, racing the stop signal; with `restoring`, the worktree is
    /// rebuilt from that checkpoint.
    private func runOnce(
        _ admitted: AdmittedSession, model: ModelDefinition, resume: LedgerConversationStore.ResumePoint?,
        restoring: String?, sink: SessionEventSink, signal: StopSignal, inbox: SteeringInbox
    ) async -> AgentSession.Output {
        let record = admitted.record
        let branch = admitted.branch
        let containment = await containment(for: admitted)
        let worktree = LazyWorktree(
            repository: admitted.repository, baseRef: admitted.baseRef, branch: branch, at: worktreeFolder(record.id),
            containment: containment.containment, checkpoint: restoring)
        var offered = admitted.profile.tools
        if containment.containment.refusal != nil { offered = offered.subtracting(ToolSet(builtins: [.execute])) }
        await sink.emit(.sandbox(mode: containment.mode, note: containment.note))
        let store = LedgerConversationStore(
            ledger: ledger, session: record.id, worker: worker, clock: clock, resuming: resume,
            checkpoints: checkpointsWorktrees
                ? LedgerConversationStore.Checkpoints(
                    worktree: worktree, forge: admitted.forgeRepository?.clone, bundle: checkpointBundle(record.id))
                : nil)
        let client: ResilientModelClient
        do {
            client = try clients.client(for: model)
        } catch {
            return AgentSession.Output(
                outcome: .failed("no client for model \(model.name): \(error)"), branch: branch, commit: nil,
                patch: nil, finishingError: nil)
        }
        // The profile's own limits first; the organisation's defaults (`limits:`) fill the gaps.
        let defaults = admitted.policy.limits
        var toolLimits = ToolLimits()
        toolLimits.maxFileBytes = defaults.maxFileBytes
        let mcp = await startMCP(admitted, offered: offered, worktree: worktree, sink: sink)
        let tools = Toolbox(
            tools: offered, permission: admitted.permission,
            context: ToolContext(worktree: worktree, limits: toolLimits), mcp: mcp,
            live: SessionPermissions(record: record, workspaces: workspaces, forges: forges))
        let loop = AgentLoop(
            assignment: AgentLoop.Assignment(
                agent: record.agent,
                systemPrompt: SystemPrompt.make(
                    profilePrompt: admitted.profile.prompt,
                    instructions: await SystemPrompt.instructions(in: admitted.repository, at: admitted.baseRef)),
                issue: record.issue, title: record.title, body: admitted.task,
                isFollowUp: admitted.followed != nil),
            model: model.providerModel ?? model.name, client: client,
            tools: RedactingToolRunner(base: tools, redactor: clients.redactor),
            limits: defaults.applied(to: admitted.profile.limits), events: sink, charging: admitted.billing,
            store: store,
            steering: inbox, clock: clock, stream: model.streams,
            maxOutputTokens: min(admitted.profile.limits.maxOutputTokens ?? Int.max, model.outputTokenCap))
        // A fallback stop only pauses the session: it goes on in the same worktree on the free model.
        let session = AgentSession(
            id: "\(record.id)", loop: loop, worktree: worktree, branch: branch, patchFile: patchFile(record.id)
        ) { [billing = admitted.billing] _ in
            guard case .fallback = await billing.stop else { return true }
            return false
        }
        let output = await withTaskGroup(of: AgentSession.Output?.self) { group in
            group.addTask { await session.run(resuming: resume?.messages) }
            group.addTask {
                _ = await signal.wait()
                return nil
            }
            var output: AgentSession.Output?
            while output == nil, let next = await group.next() {
                if let next {
                    output = next
                } else {
                    group.cancelAll()
                }
            }
            group.cancelAll()
            return output!
        }
        await mcp?.close()
        return output
    }

    /// Starts the MCP servers of the session's profile that its repository's policy allows, in its
    /// worktree; `nil` when the profile declares none.
    private func startMCP(
        _ admitted: AdmittedSession, offered: ToolSet, worktree: LazyWorktree, sink: SessionEventSink
    ) async -> MCPToolset? {
        let servers = admitted.profile.mcpServers
        guard !servers.isEmpty else { return nil }
        var forbidden: [String: String] = [:]
        if let rule = admitted.policy.rule(for: admitted.record.repository) {
            for server in servers where !rule.allowsMCPServer(server.name) {
                forbidden[server.name] =
                    "the policy of \(admitted.record.org) does not list it under mcp-servers for \(admitted.record.repository)"
            }
        }
        let toolset = MCPToolset(
            MCPToolset.Configuration(
                servers: servers, allowed: offered, permission: admitted.permission, forbidden: forbidden,
                environment: ProcessInfo.processInfo.environment, executable: MCPToolset.currentExecutable),
            events: sink)
        let directory: String
        do {
            directory = try await worktree.root().path
        } catch {
            for server in servers where forbidden[server.name] == nil {
                await sink.emit(.mcpServer(server: server.name, state: "failed", detail: "no worktree: \(error)"))
            }
            return toolset
        }
        await toolset.start(in: directory)
        return toolset
    }

    /// Settles the money, records the outputs, and moves the session to where it ended.
    private func finish(
        _ record: SessionRecord, admitted: AdmittedSession, output: AgentSession.Output, signal: StopSignal,
        sink: SessionEventSink
    ) async -> SessionRecord {
        await events.flush()
        var (state, reason) = await Self.ending(output.outcome, stop: signal.reason, billing: admitted.billing)
        await admitted.billing.finish(reason: reason ?? "session \(state.rawValue)")
        var outputs = SessionOutputs()
        // The branch exists in the repository only when the session delivered commits to it.
        if output.commit != nil { outputs.branch = output.branch }
        outputs.commit = output.commit
        outputs.patch = output.patch?.path
        if FileManager.default.fileExists(atPath: worktreeFolder(record.id).path) {
            outputs.worktree = worktreeFolder(record.id).path
        }
        if case .completed(let summary) = output.outcome { outputs.summary = summary }
        if state == .completed, output.commit != nil {
            do {
                outputs.pullRequest = try await publish(
                    record, admitted: admitted, branch: output.branch, summary: outputs.summary)
            } catch {
                (state, reason) = (.failed, error.reason)
            }
        }
        let now = clock.now()
        do {
            if !outputs.isEmpty { try await ledger.recordOutputs(record.id, outputs, at: now) }
            if let problem = output.finishingError {
                try await ledger.record(
                    .sessionFinishingFailed(error: problem), session: record.id, org: record.org, at: now)
            }
            let from: SessionState = sink.isThrottled ? .throttled : .running
            let ended = try await ledger.transition(record.id, to: state, reason: reason, worker: worker, at: now)
            await observer.observe(.stateChanged(ended, from: from))
            if state.isFinal, checkpointsWorktrees { await deleteCheckpoints(of: admitted) }
            if [.failed, .timedOut, .blocked].contains(state) {
                await tellIssue(record, about: state, Self.issueComment(record, state: state, reason: reason))
            }
            return ended
        } catch {
            await observer.observe(
                .notice("session \(record.id) ended \(state.rawValue), but the ledger failed: \(error)"))
            return record
        }
    }

    /// Deletes the ended session's checkpoint ref, here and on its forge, and those of any other
    /// session of the repository that ended while no worker held it (cancelled while
    /// interrupted, say): no worker's `finish` deleted theirs. A failure is a notice.
    private func deleteCheckpoints(of admitted: AdmittedSession) async {
        var sessions = ["\(admitted.record.id)"]
        do {
            let kept =
                try await SessionRepository.checkpointSessions(in: admitted.repository)
                + (admitted.forgeRepository?.clone.checkpointSessions() ?? [])
            for other in Set(kept).sorted() where other != sessions[0] {
                guard let id = SessionID(other), try await ledger.session(id)?.state.isFinal ?? false else { continue }
                sessions.append(other)
            }
        } catch {
            await observer.observe(
                .notice("the checkpoints of \(admitted.record.repository) could not be listed: \(error)"))
        }
        for session in sessions {
            do {
                try await SessionRepository.deleteCheckpoint(session: session, in: admitted.repository)
                try await admitted.forgeRepository?.clone.deleteCheckpoint(session: session)
            } catch {
                await observer.observe(
                    .notice(
                        "session \(session) ended, but its checkpoint "
                            + "\(SessionRepository.checkpointRef(session: session)) could not be deleted: \(error)"))
            }
        }
    }

    /// The state and reason a loop's outcome maps to.
    static func ending(
        _ outcome: AgentOutcome, stop: StopReason?, billing: SessionBilling
    ) async -> (SessionState, String?) {
        if case .blocked(let denial) = await billing.stop { return (.blocked, denial.description) }
        switch (outcome, stop) {
        case (_, .draining?):
            return (.interrupted, "the run stopped; the next run resumes it from its last complete turn")
        case (_, .cancelled(let user)?):
            return (.cancelled, "cancelled" + (user.map { " by \($0)" } ?? ""))
        case (.completed, nil):
            return (.completed, nil)
        case (.stopped(.maxRuntime), nil):
            return (.timedOut, "stopped by the max-runtime limit")
        case (.stopped(let limit), nil):
            return (.failed, "stopped by the \(limit.rawValue) limit")
        case (.cancelled, nil):
            return (.interrupted, "the run stopped; the next run resumes it from its last complete turn")
        case (.failed(let reason), nil), (.paused(let reason), nil):
            return (.failed, reason)
        }
    }
}

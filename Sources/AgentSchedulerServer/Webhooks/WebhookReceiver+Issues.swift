import AgentScheduler
import AgentSchedulerForges
import AgentSchedulerLedger
import Foundation

extension WebhookReceiver {
    /// `issues` `labeled` or `assigned`: assigns that one issue by route, as
    /// `agentsched assign --repo R --issues N --route --as SENDER` would.
    ///
    /// - `labeled` acts only when the label added routes to an agent (some `routing.labels` has
    ///   it), so adding an unrelated label to an issue is not a new task; `assigned` acts only when
    ///   the issue was assigned to agentsched's own GitHub login (the token's user).
    /// - The issue is read again from GitHub (its current title, body and labels), then the same
    ///   `Assigner` with the process's permissions decides: the sender's role from GitHub, lowered by
    ///   the policy, the repository's allowed agents and the organisation's models. A denial is
    ///   recorded as a denied session (403).
    /// - An issue that already has a session waiting or working, by any agent, is not assigned
    ///   again (202, ignored, with that session's id).
    func assign(
        _ payload: WebhookPayload.Issues, in repository: String
    ) async throws(WebhookFailure)
        -> WebhookOutcome
    {
        let number = payload.issue.number
        switch payload.action {
        case "labeled":
            guard let label = payload.label?.name else {
                throw WebhookFailure.malformed("issues payload: label is missing")
            }
            guard workspace.team.profiles.contains(where: { $0.routing?.matches([label]) ?? false }) else {
                return WebhookOutcome(
                    status: .ignored, message: "label \(label) routes to no agent; #\(number) was not assigned")
            }
        default:
            guard let assignee = payload.assignee?.login else {
                throw WebhookFailure.malformed("issues payload: assignee is missing")
            }
            let me = try await forging { try await forges.forge(for: repository).currentUser() }
            guard assignee.lowercased() == me.lowercased() else {
                return WebhookOutcome(
                    status: .ignored, message: "#\(number) was assigned to \(assignee), not to \(me)")
            }
        }
        if let session = try await unfinishedSession(of: number, in: repository) {
            return WebhookOutcome(
                status: .ignored,
                message: "\(repository)#\(number) is already \(session.state.rawValue) as session \(session.id); "
                    + "nothing added",
                sessions: [session.id])
        }
        let issue = try await forging { try await forges.forge(for: repository).issue(number, in: repository) }
        let results: [AssignmentResult]
        do {
            results = try await Assigner(
                workspace: workspace, ledger: ledger, clock: clock, permissions: forges.permissions
            ).assign(
                AssignmentRequest(
                    repository: repository, issues: [issue], target: .route, assigner: payload.sender.login))
        } catch {
            logger.error("webhook assignment failed: \(error)", metadata: ["issue": "\(repository)#\(number)"])
            throw WebhookFailure.ledger
        }
        guard let result = results.first else {
            return WebhookOutcome(status: .ignored, message: "#\(number) was not assigned")
        }
        let agent = result.agent ?? "no agent"
        switch result.status {
        case .queued:
            return WebhookOutcome(
                status: .assigned,
                message: "\(repository)#\(number) queued for \(agent) on \(result.model ?? "its model")"
                    + (result.session.map { " as session \($0)" } ?? ""),
                sessions: result.session.map { [$0] } ?? [])
        case .denied:
            throw WebhookFailure.denied("\(repository)#\(number) denied: \(result.reason ?? "refused")")
        case .duplicate, .unrouted:
            return WebhookOutcome(
                status: .ignored, message: "\(repository)#\(number): \(result.reason ?? "not assigned")",
                sessions: result.session.map { [$0] } ?? [])
        }
    }

    /// A session of issue `number`, by any agent, that waits or works (queued, running, throttled,
    /// blocked or interrupted): a label added while it does is not a second task. (`Assigner`
    /// itself skips only the same agent's.)
    func unfinishedSession(of number: Int, in repository: String) async throws(WebhookFailure) -> SessionRecord? {
        let unfinished: Set<SessionState> = [.queued, .running, .throttled, .blocked, .interrupted]
        do {
            return try await ledger.sessions(in: unfinished).first {
                $0.issue == number && $0.repository.lowercased() == repository.lowercased()
            }
        } catch {
            logger.error("webhook session lookup failed: \(error)", metadata: ["issue": "\(repository)#\(number)"])
            throw WebhookFailure.ledger
        }
    }

    /// `body`'s value, or its `ForgeError` as a 502 with one line.
    func forging<T>(_ body: () async throws -> T) async throws(WebhookFailure) -> T {
        do {
            return try await body()
        } catch let error as ForgeError {
            throw WebhookFailure.forge(oneLine(error.description))
        } catch {
            logger.error("forge call failed: \(error)")
            throw WebhookFailure.forge("the forge could not answer")
        }
    }
}

import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerForges
import AgentSchedulerLedger
import Foundation

/// The actions the API and the page's forms share, each exactly as its command does it: the same
/// checks of roles, policies and budgets, the same answers.
struct ServerActions: Sendable {
    let resources: ServerResources

    /// What `assign` answered.
    struct Assignment: Encodable {
        var results: [AssignmentResult]
        var estimate: DryRunEstimate?
    }

    func assign(_ body: AssignBody) async throws -> Assignment {
        let workspace = await resources.workspaces.workspace()
        let parts = body.repository.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw APIError.badRequest("repository must be OWNER/NAME, not '\(body.repository)'")
        }
        let selection: IssueSelection
        switch (body.issues, body.label) {
        case (let numbers?, nil):
            guard !numbers.isEmpty, numbers.allSatisfy({ $0 > 0 }) else {
                throw APIError.badRequest("issues takes positive issue numbers")
            }
            if let title = body.title, title.allSatisfy(\.isWhitespace) {
                throw APIError.badRequest("the title is empty; say what the task is")
            }
            selection = .numbers(numbers, title: body.title, body: body.body)
        case (nil, let label?):
            guard body.title == nil, body.body == nil else {
                throw APIError.badRequest("title and body give the text of issues; issues with a label carry their own")
            }
            selection = .label(label)
        case (nil, nil): throw APIError.badRequest("say which issues: issues [1, 2] or a label")
        case (_?, _?): throw APIError.badRequest("give either issues or a label, not both")
        }
        let user = try resources.actingUser(body.as, workspace: workspace)
        let dryRun = body.dryRun ?? false
        do {
            let issues = try await selection.issues(of: body.repository, from: resources.forges)
            let assigner = Assigner(
                workspace: workspace, ledger: resources.ledger, clock: resources.clock,
                permissions: resources.forges.permissions)
            let request = AssignmentRequest(
                repository: body.repository, issues: issues,
                target: body.agent == "route" ? .route : .agent(body.agent), assigner: user, dryRun: dryRun,
                model: body.model.flatMap { $0.isEmpty ? nil : $0 })
            let results = try await assigner.assign(request)
            let estimate = dryRun ? try await assigner.dryRunEstimate(results, request: request) : nil
            return Assignment(results: results, estimate: estimate)
        } catch let error as IssueSelection.Unavailable {
            throw APIError.badRequest(error.description)
        } catch let error as Assigner.RequestError {
            throw APIError.badRequest(error.description)
        } catch let error as ForgeError {
            throw APIError(.badGateway, code: "forge", message: error.description)
        }
    }

    func steer(_ id: SessionID, _ body: MessageBody) async throws -> Int64 {
        let user = try resources.actingUser(body.as, workspace: await resources.workspaces.workspace())
        do {
            return try await SessionControls(ledger: resources.ledger, clock: resources.clock)
                .steer(id, message: body.message, by: user)
        } catch let refusal as SessionControls.Refusal {
            throw Self.apiError(refusal)
        }
    }

    func cancel(_ id: SessionID, _ body: ActorBody) async throws -> CancelOutcome {
        let user = try resources.actingUser(body.as, workspace: await resources.workspaces.workspace())
        do {
            return try await SessionControls(ledger: resources.ledger, clock: resources.clock).cancel(id, by: user)
        } catch let refusal as SessionControls.Refusal {
            throw Self.apiError(refusal)
        }
    }

    func followUp(_ id: SessionID, _ body: MessageBody) async throws -> SessionRecord {
        let workspace = await resources.workspaces.workspace()
        let user = try resources.actingUser(body.as, workspace: workspace)
        let followUps = FollowUps(
            workspace: workspace, ledger: resources.ledger, permissions: resources.forges.permissions,
            clock: resources.clock)
        do {
            guard let created = try await followUps.create(following: id, feedback: body.message, by: user) else {
                throw APIError(.conflict, code: "not-queued", message: "the follow-up was not queued")
            }
            return created
        } catch let refusal as FollowUps.Refusal {
            switch refusal {
            case .noSession: throw APIError.notFound(refusal.description)
            case .denied: throw APIError(.forbidden, code: "denied", message: refusal.description)
            case .emptyFeedback: throw APIError.badRequest(refusal.description)
            case .notFinished, .busy, .noBranch:
                throw APIError(.conflict, code: "conflict", message: refusal.description)
            }
        }
    }

    static func apiError(_ refusal: SessionControls.Refusal) -> APIError {
        switch refusal {
        case .noSession: APIError.notFound(refusal.description)
        case .emptyMessage: APIError.badRequest(refusal.description)
        case .ended: APIError(.conflict, code: "ended", message: refusal.description)
        }
    }
}

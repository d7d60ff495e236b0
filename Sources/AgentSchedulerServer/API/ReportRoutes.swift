import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Hummingbird

/// The read-only reports: usage, budget, agents and policies, as their commands' JSON.
struct ReportRoutes: Sendable {
    let resources: ServerResources

    func register(on api: RouterGroup<BasicRequestContext>) {
        api.get("usage") { request, _ in
            let workspace = await resources.workspaces.workspace()
            let query = request.uri.queryParameters
            let now = resources.clock.now()
            var usage: UsageRequest
            do {
                usage = try UsageRequest.parse(
                    org: query.get("org"), period: query.get("period"), since: query.get("since"),
                    until: query.get("until"), by: query.get("by"), now: now)
            } catch let error as ReportInputError {
                throw APIError.badRequest(error.description)
            }
            if let org = usage.org {
                guard let policy = workspace.policy(named: org) else {
                    throw APIError.notFound("no policy for '\(org)'")
                }
                usage.org = policy.org
            }
            let report = try await UsageReport.load(
                usage, from: resources.ledger, policies: workspace.policies, now: now)
            return JSONAnswer.response(json: try report.json())
        }
        api.get("budget") { request, _ in
            let policies = try await policies(request)
            let report = try await BudgetReport.load(
                policies: policies, from: resources.ledger, now: resources.clock.now())
            return JSONAnswer.response(json: try report.json())
        }
        api.get("agents") { _, _ in
            try JSONAnswer.response(Agents(agents: await resources.workspaces.workspace().team.profiles))
        }
        api.get("policies") { request, _ in
            try JSONAnswer.response(Policies(policies: try await policies(request)))
        }
    }

    private func policies(_ request: Request) async throws -> [OrganizationPolicy] {
        let workspace = await resources.workspaces.workspace()
        guard let org = request.uri.queryParameters.get("org") else { return workspace.policies }
        guard let policy = workspace.policy(named: org) else { throw APIError.notFound("no policy for '\(org)'") }
        return [policy]
    }

    private struct Agents: Encodable {
        var agents: [AgentProfile]
    }

    private struct Policies: Encodable {
        var policies: [OrganizationPolicy]
    }
}

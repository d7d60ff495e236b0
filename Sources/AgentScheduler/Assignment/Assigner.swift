import AgentSchedulerCore
import AgentSchedulerForges
import AgentSchedulerLedger
import Foundation

/// Turns an assignment into sessions: checks, for each issue, the agent, the assigner's role in the
/// repository, the repository's allowed agents and the organisation's allowed models, then records
/// a `queued` session, or a `denied` one with a one-line reason (DESIGN §4).
///
/// The assigner needs at least `write` in the repository for an agent that writes, and `read` for
/// a read-only agent. An issue the same agent already has queued or running is skipped, and so is
/// an issue listed again in the same request (for the same agent). A dry run
/// checks everything and records nothing.
public struct Assigner: Sendable {
    public var workspace: Workspace
    /// `nil` in a dry run on a workspace that has no ledger yet.
    public var ledger: (any Ledger)?
    public var clock: any WallClock
    /// Roles from GitHub for `github: true` repositories; `nil` when no repository is on GitHub
    /// (a GitHub repository is then denied: the check fails closed).
    public var permissions: ForgePermissions?

    public init(
        workspace: Workspace, ledger: (any Ledger)?, clock: any WallClock = SystemWallClock(),
        permissions: ForgePermissions? = nil
    ) {
        self.workspace = workspace
        self.ledger = ledger
        self.clock = clock
        self.permissions = permissions
    }

    /// Why an assignment could not be considered at all.
    public enum RequestError: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownAgent(String, suggestion: String?)
        case unknownModel(String, suggestion: String?)

        public var description: String {
            switch self {
            case .unknownAgent(let name, let suggestion):
                "no agent named '\(name)'" + (suggestion.map { "; \($0)" } ?? "")
            case .unknownModel(let name, let suggestion):
                "no model named '\(name)' in the catalog" + (suggestion.map { "; \($0)" } ?? "")
            }
        }
    }

    public func assign(_ request: AssignmentRequest) async throws -> [AssignmentResult] {
        var chosen: AgentProfile?
        if case .agent(let name) = request.target {
            guard let profile = workspace.team.profile(named: name) else {
                throw RequestError.unknownAgent(
                    name, suggestion: Suggestion.hint(for: name, among: workspace.team.allNames))
            }
            chosen = profile
        }
        if let name = request.model, workspace.catalog?.model(named: name) == nil {
            throw RequestError.unknownModel(
                name, suggestion: Suggestion.hint(for: name, among: workspace.catalog?.allNames ?? []))
        }
        let active: Set<SessionState> = [.queued, .running, .throttled, .blocked, .interrupted]
        let existing = try await ledger?.sessions(in: active).filter { $0.repository == request.repository } ?? []
        var results: [AssignmentResult] = []
        // (issue, agent) pairs this command already decided, and the result's index.
        var decided: [String: Int] = [:]
        for issue in request.issues {
            guard let profile = chosen ?? route(issue) else {
                let labels = issue.labels.isEmpty ? "no labels" : "labels " + issue.labels.joined(separator: ", ")
                results.append(
                    AssignmentResult(
                        issue: issue.number, status: .unrouted,
                        reason: "no agent's routing.labels match the issue's \(labels)", dryRun: request.dryRun))
                continue
            }
            if let session = existing.first(where: { $0.issue == issue.number && $0.agent == profile.handle }) {
                results.append(
                    AssignmentResult(
                        issue: issue.number, status: .duplicate, agent: profile.handle, model: session.model,
                        session: session.id,
                        reason: "already \(session.state.rawValue) as session \(session.id); nothing added",
                        dryRun: request.dryRun))
                continue
            }
            let key = "\(issue.number) \(profile.handle)"
            if let first = decided[key] {
                let earlier = results[first]
                results.append(
                    AssignmentResult(
                        issue: issue.number, status: .duplicate, agent: profile.handle, model: earlier.model,
                        session: earlier.session,
                        reason: "listed more than once in this command; "
                            + (earlier.session.map { "queued once, as session \($0)" } ?? "decided once, above"),
                        dryRun: request.dryRun))
                continue
            }
            decided[key] = results.count
            results.append(try await decide(issue, profile: profile, request: request))
        }
        return results
    }

    /// The profile `--route` picks: labels matching, highest priority first, then by handle.
    func route(_ issue: Issue) -> AgentProfile? {
        workspace.team.profiles
            .filter { $0.routing?.matches(issue.labels) ?? false }
            .min { ($0.routing!.priority, $1.handle) > ($1.routing!.priority, $0.handle) }
    }

    private func decide(
        _ issue: Issue, profile: AgentProfile, request: AssignmentRequest
    ) async throws
        -> AssignmentResult
    {
        let repository = request.repository
        let policy: OrganizationPolicy
        let role: RepositoryRole
        let grant =
            await permissions?.grant(for: request.assigner, in: repository, configuration: workspace.configuration)
            ?? .notConsulted
        switch AccessCheck.evaluate(
            workspace: workspace, repository: repository, user: request.assigner, profile: profile, forge: grant)
        {
        case .denied(let reason):
            let org = workspace.policy(forRepository: repository)?.org ?? String(repository.split(separator: "/")[0])
            return try await record(
                issue, profile: profile, model: profile.model, org: org, request: request, denial: reason)
        case .allowed(let allowedPolicy, let allowedRole, _):
            (policy, role) = (allowedPolicy, allowedRole)
        }
        let needed = RepositoryRole.required(for: profile.permission)
        guard role >= needed else {
            return try await record(
                issue, profile: profile, model: profile.model, org: policy.org, request: request,
                denial:
                    "\(request.assigner)'s role in \(repository) is \(role.rawValue); agent \(profile.handle) (\(profile.permission.rawValue)) needs \(needed.rawValue) or above"
            )
        }
        let models = (request.model.map { [$0] } ?? profile.models).compactMap { workspace.catalog?.model(named: $0) }
        guard let model = models.first(where: policy.models.allows) else {
            let denial =
                request.model.map { "model \($0) is not allowed in \(policy.org)" }
                ?? "none of agent \(profile.handle)'s models (\(profile.models.joined(separator: ", "))) is allowed in \(policy.org)"
            return try await record(
                issue, profile: profile, model: request.model ?? profile.model, org: policy.org, request: request,
                denial: denial)
        }
        guard let cost = Self.price(of: model, profile: profile, policy: policy) else {
            return try await record(
                issue, profile: profile, model: model.name, org: policy.org, request: request,
                denial: BudgetError.unpriced(model: model.name, unit: policy.billing).description)
        }
        var result = AssignmentResult(
            issue: issue.number, status: .queued, agent: profile.handle, model: model.name, cost: cost,
            dryRun: request.dryRun)
        if request.dryRun {
            result.estimate = try await CostEstimator(ledger: ledger, defaults: policy.limits)
                .estimate(profile: profile, model: model, policy: policy)
        }
        if !request.dryRun, let ledger {
            result.session =
                try await ledger.createSession(
                    NewSession(
                        org: policy.org, repository: repository, issue: issue.number, title: issue.title,
                        body: issue.body, agent: profile.handle, assigner: request.assigner, model: model.name,
                        priority: profile.routing?.priority ?? 0, premiumLimit: profile.limits.maxPremiumRequests,
                        creditLimit: profile.limits.maxAICredits),
                    at: clock.now()
                ).id
        }
        return result
    }

    /// What a session of `profile` on `model` is charged, in words; `nil` when the model has no
    /// price in the organisation's unit (the session is then denied: fail closed).
    static func price(of model: ModelDefinition, profile: AgentProfile, policy: OrganizationPolicy) -> String? {
        switch policy.billing {
        case .premiumRequests:
            guard let multiplier = policy.models.multiplier(for: model) else { return nil }
            return policy.charging == .perSession
                ? multiplier.counted
                : "\(multiplier) per model request"
                    + (profile.limits.maxTurns.map { ", at most \(multiplier.times($0)) in \($0) turns" } ?? "")
        case .aiCredits:
            guard let rates = policy.models.pricing(for: model)?.standard else { return nil }
            return "AI credits per token: $\(rates.input) in, $\(rates.output) out per million"
                + (profile.limits.maxAICredits.map { ", at most \($0.amount.counted)" } ?? "")
        }
    }

    /// The sum of a dry run's estimates against the budgets the sessions would spend under: the
    /// organisation's, the assigner's allowance and each agent's cap, now. Empty when nothing was
    /// queued with an estimate.
    public func dryRunEstimate(
        _ results: [AssignmentResult], request: AssignmentRequest
    ) async throws -> DryRunEstimate? {
        let estimated = results.compactMap { result in result.estimate.map { (result, $0) } }
        guard let policy = workspace.policy(forRepository: request.repository), let first = estimated.first?.1
        else { return nil }
        let sum = { (pick: (CostEstimate) -> Amount) in
            estimated.dropFirst().reduce(pick(first)) { $0 + pick($1.1) }
        }
        var scopes: [BudgetScope] = []
        for agent in [nil] + Set(estimated.compactMap(\.0.agent)).sorted() {
            let spend = Spend(
                policy: policy, session: nil, user: request.assigner, agent: agent ?? "",
                repository: request.repository,
                model: "", kind: .session)
            let all = BudgetEngine.scopes(for: spend, at: clock.now())
            scopes += agent == nil ? all.filter { $0.kind != .agent } : all.filter { $0.kind == .agent }
        }
        return DryRunEstimate(
            unit: first.unit, sessions: estimated.count, median: sum(\.median), p90: sum(\.p90),
            budgets: try await BudgetLine.load(scopes, from: ledger))
    }

    /// A denial, recorded as a `denied` session unless this is a dry run.
    private func record(
        _ issue: Issue, profile: AgentProfile, model: String, org: String, request: AssignmentRequest, denial: String
    ) async throws -> AssignmentResult {
        var result = AssignmentResult(
            issue: issue.number, status: .denied, agent: profile.handle, model: model, reason: denial,
            dryRun: request.dryRun)
        if !request.dryRun, let ledger {
            result.session =
                try await ledger.createSession(
                    NewSession(
                        org: org, repository: request.repository, issue: issue.number, title: issue.title,
                        agent: profile.handle, assigner: request.assigner, model: model, state: .denied, reason: denial),
                    at: clock.now()
                ).id
        }
        return result
    }
}

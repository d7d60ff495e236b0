import AgentSchedulerCore
import AgentSchedulerForges
import Foundation

extension DemoWorkspace {
    /// One queued session of the routed batch, as the scheduler will admit it.
    struct PlannedSession {
        var issue: Int
        var agent: String
        var priority: Int
        var cost: PremiumRequests
    }

    /// Checks the batches against the workspace (a dry-run assignment) and works out the
    /// organisation budget that leaves the last paid session of the routed batch unadmitted.
    ///
    /// Per-session charging costs each session 1 × its model's multiplier for the organisation,
    /// taken when the session is admitted; an assigner's sessions are admitted highest
    /// `routing.priority` first, then in the order they were assigned. The budget is the batch's
    /// cost less that of its last paid session, so it is used up exactly when that session comes
    /// up. The plan fails when a user's or an agent's allowance, or a session's own cap, would
    /// stop a session first: the demo means to show the organisation's budget at work.
    static func planBudget(workspace: Workspace, issues: IssueList, batches: [DemoBatch]) async throws -> DemoBudget {
        let assigner = Assigner(workspace: workspace, ledger: nil)
        var routed: [AssignmentResult] = []
        var routedBy = ""
        // The budget planned is acme's; the organisation on credits runs beside it, untouched.
        for batch in batches where batch.repository == repositoryName {
            let request = try batch.request(issues: issues, dryRun: true)
            let results = try await assigner.assign(request)
            if batch.route {
                for result in results where result.status != .queued {
                    throw DemoError.planFailed(
                        "#\(result.issue) would be \(result.status.rawValue) for \(batch.assigner): "
                            + (result.reason ?? "no reason given"))
                }
                routed += results
                routedBy = batch.assigner
            } else {
                for result in results where result.status != .denied {
                    throw DemoError.planFailed(
                        "#\(result.issue) would be \(result.status.rawValue) for \(batch.assigner), not denied")
                }
            }
        }
        guard let policy = workspace.policy(forRepository: repositoryName) else {
            throw DemoError.planFailed("no organisation policy governs \(repositoryName)")
        }
        guard policy.charging == .perSession else {
            throw DemoError.planFailed(
                "\(policy.org) charges \(policy.charging.rawValue); the demo's budget is worked out for per-session")
        }
        let sessions = try routed.map { result in
            guard let agent = result.agent, let profile = workspace.team.profile(named: agent),
                let model = result.model.flatMap({ workspace.catalog?.model(named: $0) }),
                let cost = policy.models.multiplier(for: model)
            else { throw DemoError.planFailed("#\(result.issue) was queued without a known agent and model") }
            return PlannedSession(
                issue: result.issue, agent: profile.handle, priority: profile.routing?.priority ?? 0,
                cost: cost)
        }
        // Stable: equal priorities keep the order of assignment.
        let admitted = sessions.enumerated().sorted {
            ($1.element.priority, $0.offset) < ($0.element.priority, $1.offset)
        }
        .map(\.element)
        guard let last = admitted.last(where: { $0.cost > .zero }) else {
            throw DemoError.planFailed("the routed batch has no paid session for a budget to block")
        }
        let total = admitted.reduce(PremiumRequests.zero) { $0 + $1.cost }
        let limit = total - last.cost
        guard limit > .zero else {
            throw DemoError.planFailed("the routed batch has one paid session only; a budget of 0 would block it alone")
        }
        try checkAllowances(policy: policy, workspace: workspace, user: routedBy, sessions: admitted, total: total)
        let policyFile = URL(fileURLWithPath: policy.source).lastPathComponent
        guard let reviewed = admitted.first(where: { $0.issue == reviewedIssue }) else {
            throw DemoError.planFailed(
                "#\(reviewedIssue), which the review round follows up, is not in the routed batch")
        }
        return DemoBudget(
            org: policy.org, policyFile: WorkspaceLoader.policiesFolder + "/" + policyFile, limit: limit,
            batchCost: total, blockedIssue: last.issue, blockedAgent: last.agent, blockedCost: last.cost,
            followUpCost: reviewed.cost)
    }

    /// Fails when anything but the organisation's budget would stop a session of the batch: the
    /// user's allowance, an agent's cap, or a session's `max-premium-requests`.
    private static func checkAllowances(
        policy: OrganizationPolicy, workspace: Workspace, user: String, sessions: [PlannedSession],
        total: PremiumRequests
    ) throws {
        if let allowance = policy.allowance(for: user), allowance < total.amount {
            throw DemoError.planFailed(
                "\(user)'s allowance in \(policy.org) (\(allowance)) is below the batch's cost (\(total))")
        }
        for agent in Set(sessions.map(\.agent)).sorted() {
            let cost = sessions.filter { $0.agent == agent }.reduce(PremiumRequests.zero) { $0 + $1.cost }
            if let cap = policy.agents[agent] ?? nil, cap < cost.amount {
                throw DemoError.planFailed(
                    "\(agent)'s cap in \(policy.org) (\(cap)) is below its sessions' cost (\(cost))")
            }
            if let cap = workspace.team.profile(named: agent)?.limits.maxPremiumRequests,
                let most = sessions.filter({ $0.agent == agent }).map(\.cost).max(), cap < most
            {
                throw DemoError.planFailed(
                    "\(agent)'s max-premium-requests (\(cap)) is below one session's cost (\(most))")
            }
        }
    }

    /// Writes `budget.limit` as `budget.premium-requests` in the organisation's policy file in
    /// `folder`, keeping the rest of the file (comments included) as it is.
    static func lowerBudget(to budget: DemoBudget, in folder: URL) throws {
        let note =
            "the batch costs \(budget.batchCost); #\(budget.blockedIssue) "
            + "(\(budget.blockedAgent), \(budget.blockedCost)) waits in blocked"
        try setBudget(budget.limit, in: folder, policyFile: budget.policyFile, note: note)
    }

    /// Writes `limit` as the `budget.premium-requests` of `policyFile` (relative to `folder`), with
    /// a comment giving the old value and `note`.
    static func setBudget(_ limit: PremiumRequests, in folder: URL, policyFile: String, note: String) throws {
        let file = folder.appendingPathComponent(policyFile)
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw DemoError.fileSystem(path: file.path, reason: error.localizedDescription)
        }
        try write(try settingBudget(limit, in: text, path: file.path, note: note), to: file)
    }

    /// `text`, a policy, with the value of `budget.premium-requests` replaced by `limit` and a
    /// comment giving the old value and `note`.
    ///
    /// The value must be a plain scalar in block style, followed by nothing but a comment.
    static func settingBudget(_ limit: PremiumRequests, in text: String, path: String, note: String) throws -> String {
        var composer = YAMLComposer(path: path)
        let root: YAMLNode?
        do {
            root = try composer.compose(text)
        } catch {
            throw DemoError.invalidWorkspace([error.description])
        }
        func value(_ key: String, in node: YAMLNode?) -> YAMLNode? {
            guard case .mapping(let pairs) = node?.content else { return nil }
            return pairs.first { $0.key.scalar?.string == key }?.value
        }
        let missing = DemoError.planFailed("\(path) has no 'budget: premium-requests:' line to lower")
        guard let node = value("premium-requests", in: value("budget", in: root)), let scalar = node.scalar,
            scalar.isPlain
        else { throw missing }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = node.location.line - 1
        guard lines.indices.contains(index) else { throw missing }
        let line = Array(lines[index].unicodeScalars)
        let start = node.location.column - 1
        let end = start + scalar.string.unicodeScalars.count
        guard start >= 0, end <= line.count,
            String(String.UnicodeScalarView(line[start..<end])) == scalar.string
        else { throw missing }
        let rest = String(String.UnicodeScalarView(line[end...])).trimmingCharacters(in: .whitespaces)
        guard rest.isEmpty || rest.hasPrefix("#") else { throw missing }
        lines[index] =
            String(String.UnicodeScalarView(line[..<start]))
            + "\(limit)   # agentsched demo (was \(scalar.string)): \(note)"
        return lines.joined(separator: "\n")
    }
}

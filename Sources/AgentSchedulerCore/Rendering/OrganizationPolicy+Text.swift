extension OrganizationPolicy {
    /// A summary for people: budget, allowances, concurrency, repositories and models.
    ///
    /// With a catalog, multiplier overrides show the catalog's own figure beside them.
    public func text(catalog: ModelCatalog?) -> String {
        var lines = ["\(org)  (\(source))"]
        func row(_ label: String, _ value: String) {
            lines.append("  " + label.padding(13) + value)
        }
        row("billing", billing == .aiCredits ? "\(billing.rawValue) (per request)" : billing.rawValue)
        if billing == .premiumRequests { row("charging", charging.rawValue) }
        var budgetText = budget.limit.map { "\($0) \(billing.noun)" } ?? "unlimited"
        if budget.period != .none { budgetText += " \(budget.period.rawValue)" }
        budgetText += "; when exhausted: \(budget.onExhausted.rawValue)"
        if let fallback = budget.fallbackModel { budgetText += " to \(fallback)" }
        if !budget.alerts.isEmpty {
            budgetText += "; alerts at " + budget.alerts.map { "\($0)%" }.joined(separator: ", ")
        }
        row("budget", budgetText)
        var users = defaultUserAllowance.map { ["default \($0)"] } ?? []
        users += self.users.keys.sorted().map { "\($0) \(self.users[$0]!.map(\.description) ?? "unlimited")" }
        row("users", users.isEmpty ? "no allowances" : users.joined(separator: ", "))
        let agentCaps = agents.keys.sorted().map { "\($0) \(agents[$0]!.map(\.description) ?? "unlimited")" }
        row("agents", agentCaps.isEmpty ? "no caps" : agentCaps.joined(separator: ", "))
        let limits = [
            concurrency.sessions.map { "\($0) sessions" }, concurrency.perRepository.map { "\($0) per repository" },
            concurrency.perUser.map { "\($0) per user" },
        ].compactMap { $0 }
        row("concurrency", limits.isEmpty ? "no limits" : limits.joined(separator: ", "))
        row(
            "limits",
            "per session unless the profile says: \(self.limits.maxTurns) turns, \(self.limits.maxToolCalls) tool calls, "
                + "\(self.limits.maxRuntime) runtime, files up to \(self.limits.maxFileBytes) bytes")
        if repositories.isEmpty {
            row("repositories", "none (no one may assign work)")
        } else {
            lines.append("  repositories")
        }
        for rule in repositories {
            let roles = rule.roles.keys.sorted().map { "\($0) \(rule.roles[$0]!.rawValue)" }.joined(separator: ", ")
            lines.append(
                "    \(rule.match.padding(20)) roles: \(roles.isEmpty ? "none" : roles); agents: \(rule.agents.joined(separator: ", "))"
            )
        }
        var models = "allow: \(self.models.allow.joined(separator: ", "))"
        for name in self.models.pricing.keys.sorted() {
            let rates = self.models.pricing[name]!.standard
            models += "; \(name) priced at $\(rates.input) in, $\(rates.output) out per million tokens"
        }
        for name in self.models.multipliers.keys.sorted() {
            let catalogFigure =
                catalog?.model(named: name).map { " (catalog: \($0.multiplier.map(\.description) ?? "none"))" } ?? ""
            models += "; \(name) costs \(self.models.multipliers[name]!)\(catalogFigure)"
        }
        row("models", models)
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}

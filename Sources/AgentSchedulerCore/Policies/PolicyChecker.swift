/// The checks on organisation policies that need the catalog and the team: fallback models,
/// model and agent names, allowances against the budget, and one file per organisation.
struct PolicyChecker {
    /// `nil` when the catalog could not be loaded; model names are then not checked.
    var catalog: ModelCatalog?
    var team: Team
    private(set) var diagnostics: [Diagnostic] = []

    init(catalog: ModelCatalog?, team: Team) {
        self.catalog = catalog
        self.team = team
    }

    /// The policies, with model names made canonical; a second file for an organisation is left out.
    mutating func check(_ documents: [PolicyDocument]) -> [OrganizationPolicy] {
        var byOrg: [String: PolicyDocument] = [:]
        var policies: [OrganizationPolicy] = []
        for document in documents {
            let key = document.policy.org.lowercased()
            if let first = byOrg[key] {
                for (here, other) in [(document, first), (first, document)] {
                    diagnostics.append(
                        .error(
                            .duplicate, "organisation '\(here.policy.org)' is also defined in \(other.policy.source)",
                            hint: "keep one policy file per organisation", at: here.orgLocation))
                }
                continue
            }
            byOrg[key] = document
            policies.append(check(document))
        }
        return policies
    }

    private mutating func check(_ document: PolicyDocument) -> OrganizationPolicy {
        var policy = document.policy
        if let catalog {
            policy.models.multipliers = [:]
            for name in document.multiplierModels {
                // An override for a retired name is not the replacement's price: it is dropped (warned).
                guard let resolution = knownModel(name, in: catalog, role: "'multipliers'"), !resolution.isRetired
                else { continue }
                policy.models.multipliers[resolution.model.name] = document.policy.models.multipliers[name.value]
            }
            policy.models.pricing = [:]
            for name in document.pricingModels {
                guard let resolution = knownModel(name, in: catalog, role: "'pricing'"), !resolution.isRetired
                else { continue }
                policy.models.pricing[resolution.model.name] = document.policy.models.pricing[name.value]
            }
            for name in document.allowedModels {
                if Glob(name.value).isLiteral {
                    // `allows` looks at the model that runs: a retired name allows nothing more (warned).
                    _ = knownModel(name, in: catalog, role: "'models.allow'")
                } else if !catalog.models.contains(where: { ModelPolicy(allow: [name.value]).allows($0) }) {
                    diagnostics.append(
                        .warning(
                            .unknownModel, "'models.allow' pattern '\(name.value)' matches no catalog model",
                            at: name.location))
                }
            }
            if let name = document.fallbackModel, let model = knownModel(name, in: catalog, role: "fallback")?.model {
                policy.budget.fallbackModel = model.name
                if !policy.models.isFree(model, in: policy.billing) {
                    let cost =
                        policy.billing == .premiumRequests
                        ? (policy.models.multiplier(for: model).map { "costs \($0) premium requests" }
                            ?? "has no multiplier")
                        : "is not free in AI credits"
                    diagnostics.append(
                        .error(
                            .policy, "fallback model '\(model.name)' \(cost); it must cost 0",
                            hint: policy.billing == .premiumRequests
                                ? "choose a model with multiplier 0, such as one included in every plan"
                                : "choose a model whose token prices are all 0, such as a local server",
                            at: name.location))
                }
                if !policy.models.allows(model) {
                    diagnostics.append(
                        .error(
                            .policy,
                            "fallback model '\(model.name)' is not allowed by this organisation's 'models.allow'",
                            hint: "add it to 'models.allow'", at: name.location))
                }
            }
        }
        for name in document.repositoryAgents where name.value != "*" {
            checkAgent(name, role: "'repositories[].agents'")
        }
        for name in document.agentCaps {
            checkAgent(name, role: "'agents'")
        }
        if let budget = policy.budget.limit {
            for allowance in document.allowances where allowance.amount > budget {
                diagnostics.append(
                    .warning(
                        .policy,
                        "\(allowance.who) may use \(allowance.amount) \(budget.unit.noun), more than the organisation's budget of \(budget)",
                        hint: "the organisation budget still applies; lower the allowance to make it meaningful",
                        at: allowance.location))
            }
        }
        return policy
    }

    /// What `name` resolves to, warning when it is retired; `nil` (reported) when it is unknown.
    private mutating func knownModel(
        _ name: Located<String>, in catalog: ModelCatalog, role: String
    ) -> ModelResolution? {
        if let resolution = catalog.resolve(name.value) {
            if let warning = resolution.retirementWarning(for: name) { diagnostics.append(warning) }
            return resolution
        }
        diagnostics.append(
            .error(
                .unknownModel, "\(role) model '\(name.value)' is not in the model catalog",
                hint: Suggestion.hint(for: name.value, among: catalog.allNames), at: name.location))
        return nil
    }

    private mutating func checkAgent(_ name: Located<String>, role: String) {
        let glob = Glob(name.value)
        if glob.isLiteral {
            guard team.profile(named: name.value) == nil else { return }
            diagnostics.append(
                .error(
                    .unknownAgent, "\(role) names '\(name.value)', which is not a profile of the team",
                    hint: Suggestion.hint(for: name.value, among: team.allNames), at: name.location))
        } else if !team.profiles.contains(where: { glob.matches($0.handle) || glob.matches($0.name) }) {
            diagnostics.append(
                .warning(
                    .unknownAgent, "\(role) pattern '\(name.value)' matches no profile of the team", at: name.location))
        }
    }
}

/// An organisation policy as read from its file, with the places of every name that must be
/// checked against the catalog and the team once all files are loaded.
struct PolicyDocument {
    var policy: OrganizationPolicy
    var orgLocation: SourceLocation
    var fallbackModel: Located<String>?
    var allowedModels: [Located<String>] = []
    var multiplierModels: [Located<String>] = []
    var pricingModels: [Located<String>] = []
    var repositoryAgents: [Located<String>] = []
    var agentCaps: [Located<String>] = []
    var allowances: [(who: String, amount: Amount, location: SourceLocation)] = []
    var budgetLocation: SourceLocation?

    static let knownKeys = [
        "org", "billing", "charging", "budget", "users", "agents", "concurrency", "repositories", "models", "limits",
        "sandbox", "execute",
    ]

    /// Reads `policies/ORG.yaml`; `nil` when nothing usable could be read.
    static func read(path: String, limits: YAMLLimits, decoder: DocumentDecoder) -> PolicyDocument? {
        guard
            let root = decoder.readRoot(
                limits: limits, whenEmpty: ("policy file is empty", "a policy needs at least 'org: NAME'"))
        else { return nil }
        guard var keys = decoder.mapping(root, key: "policy", known: knownKeys) else { return nil }
        guard let orgNode = keys.take("org") else {
            keys.missing("org", hint: "name the organisation, e.g. 'org: acme'")
            return nil
        }
        guard let org = decoder.nonEmptyString(orgNode, key: "org") else { return nil }
        var document = PolicyDocument(
            policy: OrganizationPolicy(org: org.trimmingSpaces, source: path), orgLocation: orgNode.location)
        document.decode(&keys, decoder: decoder)
        keys.reportUnknownKeys(in: "organisation policy")
        return document
    }

    private mutating func decode(_ keys: inout MappingReader, decoder: DocumentDecoder) {
        // The unit comes first: every amount below is read in it.
        if let node = keys.take("billing") {
            policy.billing = decoder.choice(node, key: "billing", as: BillingUnit.self) ?? policy.billing
        }
        if let node = keys.take("charging") {
            policy.charging = decoder.choice(node, key: "charging", as: ChargingMode.self) ?? policy.charging
            if policy.billing == .aiCredits, policy.charging == .perSession {
                decoder.error(
                    .policy, "'charging: per-session' is for premium requests; AI credits are charged per request",
                    hint: "remove 'charging:', or write 'charging: per-request'", at: node)
            }
        }
        if let node = keys.take("budget") {
            budgetLocation = node.location
            decodeBudget(node, decoder: decoder)
        }
        if let node = keys.take("users") {
            for entry in allowanceMap(node, key: "users", decoder: decoder) {
                let name = entry.name.value
                if name == "default" {
                    policy.defaultUserAllowance = entry.amount
                } else {
                    policy.users[name] = .some(entry.amount)
                }
                if let amount = entry.amount {
                    allowances.append((name == "default" ? "default user" : "user '\(name)'", amount, entry.location))
                }
            }
        }
        if let node = keys.take("agents") {
            for entry in allowanceMap(node, key: "agents", decoder: decoder) {
                policy.agents[entry.name.value] = .some(entry.amount)
                agentCaps.append(entry.name)
                if let amount = entry.amount {
                    allowances.append(("agent '\(entry.name.value)'", amount, entry.location))
                }
            }
        }
        if let node = keys.take("concurrency") {
            decodeConcurrency(node, decoder: decoder)
        }
        if let node = keys.take("repositories") {
            decodeRepositories(node, decoder: decoder)
        }
        if let node = keys.take("models") {
            decodeModels(node, decoder: decoder)
        }
        if let node = keys.take("sandbox") {
            policy.sandbox = decoder.choice(node, key: "sandbox", as: SandboxMode.self) ?? policy.sandbox
        }
        if let node = keys.take("execute"), var execute = decoder.mapping(node, key: "execute", known: ["network"]) {
            if let network = execute.take("network") {
                policy.executeNetwork =
                    decoder.choice(network, key: "network", as: NetworkAccess.self) ?? policy.executeNetwork
            }
            execute.reportUnknownKeys(in: "execute")
        }
        if let node = keys.take("limits") {
            decodeLimits(node, decoder: decoder)
        }
    }

    /// `limits:`, the default caps of sessions whose profile sets none; unset keys keep the
    /// built-in defaults.
    private mutating func decodeLimits(_ node: YAMLNode, decoder: DocumentDecoder) {
        let known = ["max-turns", "max-tool-calls", "max-runtime", "max-file-bytes"]
        guard var keys = decoder.mapping(node, key: "limits", known: known) else { return }
        var limits = SessionDefaults.builtIn
        if let value = keys.take("max-turns") {
            limits.maxTurns = decoder.integer(value, key: "max-turns", in: 1...Int.max) ?? limits.maxTurns
        }
        if let value = keys.take("max-tool-calls") {
            limits.maxToolCalls = decoder.integer(value, key: "max-tool-calls", in: 1...Int.max) ?? limits.maxToolCalls
        }
        if let value = keys.take("max-runtime") {
            limits.maxRuntime = decoder.duration(value, key: "max-runtime").map(HumanDuration.init) ?? limits.maxRuntime
        }
        if let value = keys.take("max-file-bytes") {
            limits.maxFileBytes =
                decoder.integer(value, key: "max-file-bytes", in: 1...Int.max) ?? limits.maxFileBytes
        }
        keys.reportUnknownKeys(in: "limits")
        policy.limits = limits
    }

    private mutating func decodeBudget(_ node: YAMLNode, decoder: DocumentDecoder) {
        let unit = policy.billing
        let known = [unit.rawValue, "period", "on-exhausted", "fallback-model", "alerts"]
        guard var keys = decoder.mapping(node, key: "budget", known: known) else { return }
        var budget = BudgetPolicy()
        if let value = keys.take(unit.rawValue), !value.isNull {
            budget.limit = decoder.amount(value, key: unit.rawValue, unit: unit)
        }
        reportOtherUnit(in: &keys, decoder: decoder)
        if let value = keys.take("period") {
            budget.period = decoder.choice(value, key: "period", as: BudgetPolicy.Period.self) ?? budget.period
        }
        let onExhausted = keys.take("on-exhausted")
        if let onExhausted {
            budget.onExhausted =
                decoder.choice(onExhausted, key: "on-exhausted", as: BudgetPolicy.Exhaustion.self) ?? budget.onExhausted
        }
        if let value = keys.take("fallback-model"), let name = decoder.nonEmptyString(value, key: "fallback-model") {
            budget.fallbackModel = name
            fallbackModel = Located(name, at: value.location)
        }
        if budget.onExhausted == .fallback, budget.fallbackModel == nil, let onExhausted {
            decoder.error(
                .missingKey, "'on-exhausted: fallback' needs a 'fallback-model'",
                hint: "name a catalog model with multiplier 0, e.g. 'fallback-model: gpt-4.1'", at: onExhausted)
        }
        if let value = keys.take("alerts") {
            if case .sequence(let items) = value.content {
                budget.alerts = items.compactMap { decoder.integer($0, key: "alerts", in: 1...100) }.sorted()
            } else {
                decoder.typeMismatch(value, expected: "a list of percentages", key: "alerts")
            }
        }
        keys.reportUnknownKeys(in: "budget")
        policy.budget = budget
    }

    /// `name: { premium-requests: N }` (or `ai-credits: N`) entries; the amount is `nil` for
    /// `name: {}`. `location` is the amount's place when there is one, else the name's.
    private func allowanceMap(
        _ node: YAMLNode, key: String, decoder: DocumentDecoder
    ) -> [(name: Located<String>, amount: Amount?, location: SourceLocation)] {
        guard let entries = decoder.mapping(node, key: key, known: [])?.entries else { return [] }
        let unit = policy.billing
        var result: [(name: Located<String>, amount: Amount?, location: SourceLocation)] = []
        for (name, value) in entries {
            if value.isNull {
                result.append((name, nil, name.location))
                continue
            }
            guard var fields = decoder.mapping(value, key: "\(key).\(name.value)", known: [unit.rawValue]) else {
                continue
            }
            if let node = fields.take(unit.rawValue), !node.isNull {
                guard let amount = decoder.amount(node, key: unit.rawValue, unit: unit) else { continue }
                result.append((name, amount, node.location))
            } else {
                result.append((name, nil, name.location))
            }
            reportOtherUnit(in: &fields, decoder: decoder)
            fields.reportUnknownKeys(in: "\(key).\(name.value)")
        }
        return result
    }

    /// An amount in the unit the policy does not bill in is an error, not an unknown key: it
    /// would otherwise be a budget silently ignored.
    private func reportOtherUnit(in keys: inout MappingReader, decoder: DocumentDecoder) {
        for other in BillingUnit.allCases where other != policy.billing {
            guard let node = keys.take(other.rawValue) else { continue }
            decoder.error(
                .policy, "'\(other.rawValue)' is not this policy's unit: it bills in \(policy.billing.rawValue)",
                hint: "write the amount as '\(policy.billing.rawValue): N', or set 'billing: \(other.rawValue)'",
                at: node)
        }
    }

    private mutating func decodeConcurrency(_ node: YAMLNode, decoder: DocumentDecoder) {
        guard var keys = decoder.mapping(node, key: "concurrency", known: ["sessions", "per-repo", "per-user"]) else {
            return
        }
        if let value = keys.take("sessions") {
            policy.concurrency.sessions = decoder.integer(value, key: "sessions", in: 1...Int.max)
        }
        if let value = keys.take("per-repo") {
            policy.concurrency.perRepository = decoder.integer(value, key: "per-repo", in: 1...Int.max)
        }
        if let value = keys.take("per-user") {
            policy.concurrency.perUser = decoder.integer(value, key: "per-user", in: 1...Int.max)
        }
        keys.reportUnknownKeys(in: "concurrency")
    }

    private mutating func decodeRepositories(_ node: YAMLNode, decoder: DocumentDecoder) {
        guard case .sequence(let items) = node.content else {
            decoder.typeMismatch(node, expected: "a list of repository rules", key: "repositories")
            return
        }
        for item in items {
            guard
                var keys = decoder.mapping(
                    item, key: "repositories[]", known: ["match", "roles", "agents", "mcp-servers"])
            else {
                continue
            }
            guard let matchNode = keys.take("match") else {
                keys.missing("match", hint: "give a glob on OWNER/NAME, e.g. 'match: \"acme/*\"'")
                continue
            }
            guard let match = decoder.nonEmptyString(matchNode, key: "match") else { continue }
            if !match.contains("/") && match != "*" {
                decoder.warning(
                    .invalidValue, "'match' is '\(match)', which cannot match any OWNER/NAME",
                    hint: "write it as OWNER/NAME or OWNER/*", at: matchNode)
            }
            var rule = RepositoryRule(match: match)
            if let roles = keys.take("roles"), let entries = decoder.mapping(roles, key: "roles", known: [])?.entries {
                for (user, value) in entries {
                    if let role = decoder.choice(value, key: "roles.\(user.value)", as: RepositoryRole.self) {
                        rule.roles[user.value] = role
                    }
                }
            }
            if let agents = keys.take("agents"),
                let names = decoder.stringList(agents, key: "agents", commaSeparated: true)
            {
                rule.agents = names.map(\.value)
                repositoryAgents += names
            }
            if let servers = keys.take("mcp-servers"),
                let names = decoder.stringList(servers, key: "mcp-servers", commaSeparated: true)
            {
                rule.mcpServers = names.map(\.value)
            }
            keys.reportUnknownKeys(in: "repository rule")
            policy.repositories.append(rule)
        }
    }

    private mutating func decodeModels(_ node: YAMLNode, decoder: DocumentDecoder) {
        guard var keys = decoder.mapping(node, key: "models", known: ["allow", "multipliers", "pricing"]) else {
            return
        }
        if let allow = keys.take("allow"), let names = decoder.stringList(allow, key: "allow", commaSeparated: true) {
            policy.models.allow = names.map(\.value)
            allowedModels = names
        }
        if let multipliers = keys.take("multipliers"),
            let entries = decoder.mapping(multipliers, key: "multipliers", known: [])?.entries
        {
            for (name, value) in entries {
                if let amount = decoder.amount(value, key: "multipliers.\(name.value)") {
                    policy.models.multipliers[name.value] = amount
                    multiplierModels.append(name)
                }
            }
        }
        if let pricing = keys.take("pricing"),
            let entries = decoder.mapping(pricing, key: "pricing", known: [])?.entries
        {
            for (name, value) in entries {
                if let prices = ModelCatalog.readPricing(value, sibling: nil, model: name.value, decoder: decoder) {
                    policy.models.pricing[name.value] = prices
                    pricingModels.append(name)
                }
            }
        }
        keys.reportUnknownKeys(in: "models")
    }
}

import Testing

@testable import AgentSchedulerCore

@Suite("Organisation policies")
struct OrganizationPolicyTests {
    static let team = [
        "agents/helper.yaml": "description: Helps.\n",
        "agents/reviewer.md": "---\nname: Code Reviewer\ndescription: Reviews.\nmodel: sonnet\n---\nReview.\n",
    ]
    static let fallbackHint = "choose a model with multiplier 0, such as one included in every plan"
    static let allowanceHint = "the organisation budget still applies; lower the allowance to make it meaningful"

    static func policy(_ label: String, _ text: String, _ expected: ExpectedDiagnostic...) -> FileCase {
        FileCase(label, file: "policies/acme.yaml", text, expected)
    }

    static let invalidPolicies: [FileCase] = [
        policy(
            "unknown sandbox", "org: acme\nsandbox: firejail\n",
            ExpectedDiagnostic(
                2, 10, .error, .invalidValue, "'sandbox' is 'firejail'; it must be one of bubblewrap, none")),
        policy(
            "bad execute network", "org: acme\nexecute: { network: open }\n",
            ExpectedDiagnostic(2, 21, .error, .invalidValue, "'network' is 'open'; it must be one of deny, allow")),
        policy(
            "missing org", "charging: per-session\n",
            ExpectedDiagnostic(
                1, 1, .error, .missingKey, "missing required key 'org'", hint: "name the organisation, e.g. 'org: acme'"
            )),
        policy("empty org", "org: \"\"\n", ExpectedDiagnostic(1, 6, .error, .invalidValue, "'org' is empty")),
        policy(
            "unknown key", "org: acme\nbudgt:\n  premium-requests: 5\n",
            ExpectedDiagnostic(
                2, 1, .warning, .unknownKey, "unknown key 'budgt' in organisation policy",
                hint: "did you mean 'budget'?")),
        policy(
            "unknown key in the budget", "org: acme\nbudget:\n  premium-request: 5\n",
            ExpectedDiagnostic(
                3, 3, .warning, .unknownKey, "unknown key 'premium-request' in budget",
                hint: "did you mean 'premium-requests'?")),
        policy(
            "bad charging", "org: acme\ncharging: monthly\n",
            ExpectedDiagnostic(
                2, 11, .error, .invalidValue, "'charging' is 'monthly'; it must be one of per-session, per-request")),
        policy(
            "bad period", "org: acme\nbudget:\n  period: monthy\n",
            ExpectedDiagnostic(
                3, 11, .error, .invalidValue, "'period' is 'monthy'; it must be one of monthly, weekly, daily, none",
                hint: "did you mean 'monthly'?")),
        policy(
            "bad on-exhausted, with suggestion", "org: acme\nbudget:\n  on-exhausted: fallbak\n",
            ExpectedDiagnostic(
                3, 17, .error, .invalidValue, "'on-exhausted' is 'fallbak'; it must be one of block, fallback",
                hint: "did you mean 'fallback'?")),
        policy(
            "fallback without fallback-model", "org: acme\nbudget:\n  on-exhausted: fallback\n",
            ExpectedDiagnostic(
                3, 17, .error, .missingKey, "'on-exhausted: fallback' needs a 'fallback-model'",
                hint: "name a catalog model with multiplier 0, e.g. 'fallback-model: gpt-4.1'")),
        policy(
            "fallback model that costs", "org: acme\nbudget:\n  on-exhausted: fallback\n  fallback-model: sonnet\n",
            ExpectedDiagnostic(
                4, 19, .error, .policy, "fallback model 'claude-sonnet-4.5' costs 1 premium requests; it must cost 0",
                hint: fallbackHint)),
        policy(
            "fallback model made to cost by an org override",
            "org: acme\nbudget:\n  on-exhausted: fallback\n  fallback-model: gpt-4.1\nmodels:\n  multipliers:\n    GPT-4.1: 0.25\n",
            ExpectedDiagnostic(
                4, 19, .error, .policy, "fallback model 'gpt-4.1' costs 0.25 premium requests; it must cost 0",
                hint: fallbackHint)),
        policy(
            "fallback model not in models.allow",
            "org: acme\nbudget:\n  on-exhausted: fallback\n  fallback-model: GPT-4.1\nmodels:\n  allow: [\"claude-*\"]\n",
            ExpectedDiagnostic(
                4, 19, .error, .policy, "fallback model 'gpt-4.1' is not allowed by this organisation's 'models.allow'",
                hint: "add it to 'models.allow'")),
        policy(
            "fallback model not in the catalog",
            "org: acme\nbudget:\n  on-exhausted: fallback\n  fallback-model: gpt-4.2\n",
            ExpectedDiagnostic(
                4, 19, .error, .unknownModel, "fallback model 'gpt-4.2' is not in the model catalog",
                hint: "did you mean 'gpt-4.1'?")),
        policy(
            "unknown model in models.allow", "org: acme\nmodels:\n  allow: [gpt-4.1, gpt-4.2]\n",
            ExpectedDiagnostic(
                3, 20, .error, .unknownModel, "'models.allow' model 'gpt-4.2' is not in the model catalog",
                hint: "did you mean 'gpt-4.1'?")),
        policy(
            "unknown model in multipliers", "org: acme\nmodels:\n  multipliers:\n    claude-opus-4.8: 27\n",
            ExpectedDiagnostic(
                4, 5, .error, .unknownModel, "'multipliers' model 'claude-opus-4.8' is not in the model catalog",
                hint: "did you mean 'claude-opus-4.7'?")),
        policy(
            "models.allow glob matching nothing", "org: acme\nmodels:\n  allow: [\"llama-*\"]\n",
            ExpectedDiagnostic(
                3, 11, .warning, .unknownModel, "'models.allow' pattern 'llama-*' matches no catalog model")),
        policy(
            "unknown agent in repositories[].agents",
            "org: acme\nrepositories:\n  - match: \"acme/*\"\n    agents: [helpr]\n",
            ExpectedDiagnostic(
                4, 14, .error, .unknownAgent,
                "'repositories[].agents' names 'helpr', which is not a profile of the team",
                hint: "did you mean 'helper'?")),
        policy(
            "agent glob matching nothing in repositories[].agents",
            "org: acme\nrepositories:\n  - match: \"acme/*\"\n    agents: [\"bot-*\"]\n",
            ExpectedDiagnostic(
                4, 14, .warning, .unknownAgent, "'repositories[].agents' pattern 'bot-*' matches no profile of the team"
            )),
        policy(
            "unknown agent in agents", "org: acme\nagents:\n  helpr: { premium-requests: 5 }\n",
            ExpectedDiagnostic(
                3, 3, .error, .unknownAgent, "'agents' names 'helpr', which is not a profile of the team",
                hint: "did you mean 'helper'?")),
        policy(
            "role owner", "org: acme\nrepositories:\n  - match: \"acme/*\"\n    roles: { alice: owner }\n",
            ExpectedDiagnostic(
                4, 21, .error, .invalidValue,
                "'roles.alice' is 'owner'; it must be one of read, triage, write, maintain, admin")),
        policy(
            "negative premium-requests", "org: acme\nbudget:\n  premium-requests: -5\n",
            ExpectedDiagnostic(3, 21, .error, .invalidValue, "'premium-requests' is -5; amounts cannot be negative")),
        policy(
            "an alert above 100 percent", "org: acme\nbudget:\n  alerts: [50, 150]\n",
            ExpectedDiagnostic(3, 16, .error, .invalidValue, "'alerts' is 150; it must be from 1 to 100")),
        policy(
            "alerts as a number", "org: acme\nbudget:\n  alerts: 75\n",
            ExpectedDiagnostic(3, 11, .error, .typeMismatch, "'alerts' must be a list of percentages, not a number")),
        policy(
            "concurrency sessions 0", "org: acme\nconcurrency:\n  sessions: 0\n",
            ExpectedDiagnostic(3, 13, .error, .invalidValue, "'sessions' is 0; it must be at least 1")),
        policy(
            "user allowance above the org budget",
            "org: acme\nbudget:\n  premium-requests: 100\nusers:\n  alice: { premium-requests: 200 }\n",
            ExpectedDiagnostic(
                5, 30, .warning, .policy,
                "user 'alice' may use 200 premium requests, more than the organisation's budget of 100",
                hint: allowanceHint)),
        policy(
            "default allowance above the org budget",
            "org: acme\nbudget:\n  premium-requests: 100\nusers:\n  default: { premium-requests: 150.5 }\n",
            ExpectedDiagnostic(
                5, 32, .warning, .policy,
                "default user may use 150.5 premium requests, more than the organisation's budget of 100",
                hint: allowanceHint)),
        policy(
            "agent cap above the org budget",
            "org: acme\nbudget:\n  premium-requests: 10\nagents:\n  helper: { premium-requests: 11 }\n",
            ExpectedDiagnostic(
                5, 31, .warning, .policy,
                "agent 'helper' may use 11 premium requests, more than the organisation's budget of 10",
                hint: allowanceHint)),
        policy(
            "repository match without a slash", "org: acme\nrepositories:\n  - match: acme\n",
            ExpectedDiagnostic(
                3, 12, .warning, .invalidValue, "'match' is 'acme', which cannot match any OWNER/NAME",
                hint: "write it as OWNER/NAME or OWNER/*")),
        policy(
            "repository rule without match", "org: acme\nrepositories:\n  - roles: {alice: write}\n",
            ExpectedDiagnostic(
                3, 5, .error, .missingKey, "missing required key 'match'",
                hint: "give a glob on OWNER/NAME, e.g. 'match: \"acme/*\"'")),
        policy(
            "repositories as a mapping", "org: acme\nrepositories: {a: b}\n",
            ExpectedDiagnostic(
                2, 15, .error, .typeMismatch, "'repositories' must be a list of repository rules, not a mapping")),
    ]

    @Test("an invalid policy gives exactly the expected diagnostic", arguments: invalidPolicies)
    func invalid(policy: FileCase) throws {
        var files = Self.team
        files[policy.file] = policy.text
        let loaded = try loadWorkspace(files)
        #expect(loaded.diagnostics == policy.expected.map { $0.diagnostic(in: loaded.path(policy.file)) })
    }

    @Test("two files for one organisation are two errors naming each other's file")
    func duplicateOrganisation() throws {
        var files = Self.team
        files["policies/acme.yaml"] = "org: acme\n"
        files["policies/acme-2.yaml"] = "org: ACME\nbudget: {premium-requests: 5}\n"
        let loaded = try loadWorkspace(files)
        let hint = "keep one policy file per organisation"
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(
                    1, 6, .error, .duplicate,
                    "organisation 'ACME' is also defined in \(loaded.path("policies/acme.yaml"))", hint: hint
                ).diagnostic(in: loaded.path("policies/acme-2.yaml")),
                ExpectedDiagnostic(
                    1, 6, .error, .duplicate,
                    "organisation 'acme' is also defined in \(loaded.path("policies/acme-2.yaml"))", hint: hint
                ).diagnostic(in: loaded.path("policies/acme.yaml")),
            ])
        #expect(loaded.workspace.policies.map(\.source) == [loaded.path("policies/acme-2.yaml")])
    }

    @Test("a complete policy is read into every field, with model names made canonical")
    func complete() throws {
        var files = Self.team
        files["policies/acme.yaml"] = """
            org: acme
            charging: per-request
            budget:
              premium-requests: 300
              period: weekly
              on-exhausted: fallback
              fallback-model: GPT-4.1
              alerts: [90, 75, 100]
            users:
              default: { premium-requests: 100 }
              alice:   { premium-requests: 200.5 }
              bob: {}
            agents:
              helper: { premium-requests: 50 }
              Code Reviewer:
            concurrency: { sessions: 8, per-repo: 2, per-user: 4 }
            repositories:
              - match: "acme/infra-*"
                roles: { alice: read, carol: maintain }
                agents: [Code Reviewer]
              - match: "acme/*"
                roles: { alice: write, bob: triage, carol: admin }
            models:
              allow: ["gpt-*", sonnet]
              multipliers:
                Opus: 27

            """
        let loaded = try loadWorkspace(files)
        #expect(loaded.diagnostics == [])
        let policy = try #require(loaded.workspace.policy(named: "ACME"))
        #expect(
            policy
                == OrganizationPolicy(
                    org: "acme",
                    charging: .perRequest,
                    budget: BudgetPolicy(
                        limit: PremiumRequests(300).amount, period: .weekly, onExhausted: .fallback,
                        fallbackModel: "gpt-4.1", alerts: [75, 90, 100]),
                    users: ["alice": PremiumRequests(thousandths: 200_500).amount, "bob": Amount?.none],
                    defaultUserAllowance: PremiumRequests(100).amount,
                    agents: ["helper": PremiumRequests(50).amount, "Code Reviewer": Amount?.none],
                    concurrency: ConcurrencyPolicy(sessions: 8, perRepository: 2, perUser: 4),
                    repositories: [
                        RepositoryRule(
                            match: "acme/infra-*", roles: ["alice": .read, "carol": .maintain],
                            agents: ["Code Reviewer"]),
                        RepositoryRule(match: "acme/*", roles: ["alice": .write, "bob": .triage, "carol": .admin]),
                    ],
                    models: ModelPolicy(
                        allow: ["gpt-*", "sonnet"], multipliers: ["claude-opus-4.7": PremiumRequests(27)]),
                    source: loaded.path("policies/acme.yaml")))
        #expect(loaded.workspace.policy(forRepository: "acme/infra-db")?.org == "acme")
        #expect(loaded.workspace.policy(forRepository: "globex/web") == nil)
    }

    @Test(
        "sandbox and execute's network are read, and default to bubblewrap without the network",
        arguments: [
            ("", SandboxMode.bubblewrap, NetworkAccess.deny),
            ("sandbox: none\n", .none, .deny),
            ("execute: { network: allow }\n", .bubblewrap, .allow),
            ("sandbox: bubblewrap\nexecute: { network: deny }\n", .bubblewrap, .deny),
        ])
    func containment(text: String, sandbox: SandboxMode, network: NetworkAccess) throws {
        var files = Self.team
        files["policies/acme.yaml"] = "org: acme\n" + text
        let loaded = try loadWorkspace(files)
        #expect(loaded.diagnostics == [])
        let policy = try #require(loaded.workspace.policy(named: "acme"))
        #expect(policy.sandbox == sandbox)
        #expect(policy.executeNetwork == network)
    }

    static let acme = OrganizationPolicy(
        org: "acme",
        users: ["alice": PremiumRequests(200).amount, "bob": Amount?.none],
        defaultUserAllowance: PremiumRequests(100).amount,
        repositories: [
            RepositoryRule(match: "acme/infra-*", roles: ["alice": .read], agents: ["reviewer"]),
            RepositoryRule(match: "acme/*", roles: ["alice": .write, "carol": .admin]),
        ],
        models: ModelPolicy(allow: ["claude-*", "GPT-4.?"], multipliers: ["claude-opus-4.7": PremiumRequests(27)]),
        source: "policies/acme.yaml")

    @Test(
        "the first repository rule that matches wins, without regard to case",
        arguments: [
            ("acme/infra-db", "acme/infra-*"), ("acme/webapp", "acme/*"), ("ACME/Infra-DB", "acme/infra-*"),
            ("globex/webapp", nil), ("acme", nil),
        ] as [(String, String?)])
    func ruleForRepository(repository: String, match: String?) {
        #expect(Self.acme.rule(for: repository)?.match == match)
    }

    @Test(
        "a user's role comes from the first matching rule",
        arguments: [
            ("alice", "acme/infra-db", .read), ("alice", "acme/webapp", .write), ("carol", "acme/webapp", .admin),
            ("carol", "acme/infra-db", nil), ("dave", "acme/webapp", nil), ("alice", "globex/webapp", nil),
        ] as [(String, String, RepositoryRole?)])
    func role(user: String, repository: String, role: RepositoryRole?) {
        #expect(Self.acme.role(of: user, in: repository) == role)
    }

    @Test("a user's allowance is their own, else the default; an entry without an amount is unlimited")
    func allowance() {
        #expect(Self.acme.allowance(for: "alice") == PremiumRequests(200).amount)
        #expect(Self.acme.allowance(for: "dave") == PremiumRequests(100).amount)
        #expect(Self.acme.allowance(for: "bob") == nil)
        #expect(OrganizationPolicy(org: "x", source: "x.yaml").allowance(for: "anyone") == nil)
    }

    @Test("models.allow matches catalog names and aliases as globs, without regard to case")
    func modelAllows() {
        let sonnet = ModelDefinition(name: "claude-sonnet-4.5", provider: .anthropic, multiplier: PremiumRequests(1))
        let gpt = ModelDefinition(name: "gpt-4.1", provider: .openai, multiplier: .zero, aliases: ["GPT-4.1"])
        let gemini = ModelDefinition(
            name: "gemini-2.5-pro", provider: .openai, multiplier: PremiumRequests(1), aliases: ["Gemini 2.5 Pro"])
        #expect(Self.acme.models.allows(sonnet))
        #expect(Self.acme.models.allows(gpt))
        #expect(!Self.acme.models.allows(gemini))
        #expect(ModelPolicy().allows(gemini))
        #expect(ModelPolicy(allow: ["Gemini *"]).allows(gemini))
        #expect(!ModelPolicy(allow: []).allows(gpt))
    }

    @Test("an organisation's multiplier override replaces the catalog's")
    func multiplierOverride() {
        let opus = ModelDefinition(name: "claude-opus-4.7", provider: .anthropic, multiplier: PremiumRequests(15))
        let haiku = ModelDefinition(
            name: "claude-haiku-4.5", provider: .anthropic, multiplier: PremiumRequests(thousandths: 330))
        #expect(Self.acme.models.multiplier(for: opus) == PremiumRequests(27))
        #expect(Self.acme.models.multiplier(for: haiku) == PremiumRequests(thousandths: 330))
    }

    @Test("repository rules allow profiles by handle, display name or glob")
    func ruleAllowsProfile() {
        let reviewer = AgentProfile(
            handle: "reviewer", name: "Code Reviewer", description: "", prompt: "", models: [], source: "r.md")
        #expect(RepositoryRule(match: "a/*").allows(reviewer))
        #expect(RepositoryRule(match: "a/*", agents: ["Code Reviewer"]).allows(reviewer))
        #expect(RepositoryRule(match: "a/*", agents: ["rev*"]).allows(reviewer))
        #expect(!RepositoryRule(match: "a/*", agents: ["implementer"]).allows(reviewer))
        #expect(RepositoryRole.required(for: .write) == .write)
        #expect(RepositoryRole.required(for: .readOnly) == .read)
        #expect(RepositoryRole.read < .triage && RepositoryRole.maintain < .admin)
    }
}

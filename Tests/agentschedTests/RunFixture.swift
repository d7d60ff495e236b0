import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import AgentSchedulerTesting
import Foundation

/// A workspace for `run` tests: the example team, a catalog whose models are served by a fake
/// model server (OpenAI protocol over real HTTP), an `acme` policy the test writes, and local git
/// repositories `acme/webapp` and `acme/api`.
///
/// Each model has its own script key on the server: `free` (gpt-4.1, 0×), `paid`
/// (claude-sonnet-4.5, 1×), `haiku` (0.33×), `opus` (3×), `mini` (gpt-5-mini, 0×).
struct RunFixture: ~Copyable {
    let workspace: TemporaryWorkspace
    let server: FakeModelServer
    static let key = "fake-key-6f1d2c"
    static let environment = ["AGENTSCHED_FAKE_KEY": key]

    init(server: FakeModelServer, policy: String) async throws {
        let workspace = try TemporaryWorkspace()
        for file in ["acme.yaml", "globex.yaml", "initech.yaml"] { try workspace.remove("policies/\(file)") }
        try workspace.write("policies/models.yaml", Self.catalog(server))
        try workspace.write("policies/acme.yaml", policy)
        try workspace.write(
            "agentsched.yaml",
            """
            user: alice
            repositories:
              acme/webapp: { path: repos/webapp }
              acme/api: { path: repos/api }
            """)
        for repository in ["webapp", "api"] {
            let folder = workspace.url.appendingPathComponent("repos/\(repository)")
            try workspace.write("repos/\(repository)/README.md", "# \(repository)\n")
            try workspace.write("repos/\(repository)/test.sh", "#!/bin/sh\necho ok\n")
            try await TestProcess.git(["init", "-q"], in: folder)
            try await TestProcess.git(["add", "."], in: folder)
            try await TestProcess.git(["commit", "-qm", "init"], in: folder)
        }
        self.server = server
        self.workspace = workspace
    }

    /// The fake models, each with a multiplier and token prices. `claude-sonnet-4.5`'s prices are a
    /// thousand times the real ones, so a few fake tokens cost whole credits; `gpt-4.1` is free in
    /// both units (the fallback model); `claude-sonnet-4.6` speaks the Anthropic Messages API.
    static func catalog(_ server: FakeModelServer) -> String {
        func model(
            _ name: String, key: String, multiplier: String, aliases: [String], pricing: String,
            provider: String = "openai"
        ) -> String {
            let list = aliases.map { "\"\($0)\"" }.joined(separator: ", ")
            return """
                  \(name):
                    provider: \(provider)
                    base-url: "\(server.baseURL(for: key).absoluteString)"
                    api-key-env: AGENTSCHED_FAKE_KEY
                    multiplier: \(multiplier)
                    pricing: \(pricing)
                    aliases: [\(list)]
                    timeout: 30s
                """
        }
        return """
            default: gpt-4.1
            models:
            \(model("gpt-4.1", key: "free", multiplier: "0", aliases: ["GPT-4.1"], pricing: "{ input: 0, output: 0 }"))
            \(model("claude-sonnet-4.5", key: "paid", multiplier: "1", aliases: ["Claude Sonnet 4.5", "sonnet"],
                pricing: "{ input: 3000, cached-input: 300, output: 15000, cache-write: 3750 }"))
            \(model("claude-haiku-4.5", key: "haiku", multiplier: "0.33", aliases: ["haiku"],
                pricing: "{ input: 1.00, cached-input: 0.10, output: 5.00, cache-write: 1.25 }"))
            \(model("claude-opus-4.5", key: "opus", multiplier: "3", aliases: ["opus"],
                pricing: "{ input: 5.00, cached-input: 0.50, output: 25.00, cache-write: 6.25 }"))
            \(model("gpt-5-mini", key: "mini", multiplier: "0", aliases: ["GPT-5 mini"],
                pricing: "{ input: 0.25, cached-input: 0.025, output: 2.00 }"))
            \(model("claude-sonnet-4.6", key: "anthropic", multiplier: "1", aliases: [],
                pricing: "{ input: 3000, cached-input: 300, output: 15000, cache-write: 3750 }", provider: "anthropic"))
            """
    }

    /// An `acme` policy billed in AI credits: roles on `acme/*`, the budget and the concurrency the
    /// test needs.
    static func creditsPolicy(
        budget: String, sessions: Int = 8, onExhausted: String = "block",
        roles: String = "{ alice: write, bob: read, carol: admin, dave: triage }"
    ) -> String {
        acmePolicy(
            billing: "billing: ai-credits", budget: "ai-credits: \(budget)", sessions: sessions, perRepo: sessions,
            perUser: sessions, onExhausted: onExhausted, roles: roles)
    }

    /// An `acme` policy: roles on `acme/*`, the budget and the concurrency the test needs.
    static func policy(
        charging: String = "per-session", budget: Int? = nil, sessions: Int = 8, perRepo: Int = 8, perUser: Int = 8,
        onExhausted: String = "block", roles: String = "{ alice: write, bob: read, carol: admin, dave: triage }"
    ) -> String {
        acmePolicy(
            billing: "charging: \(charging)", budget: budget.map { "premium-requests: \($0)" }, sessions: sessions,
            perRepo: perRepo, perUser: perUser, onExhausted: onExhausted, roles: roles)
    }

    /// The policy both units share, with `billing` (the unit's or charging's line) and the
    /// budget's amount line.
    private static func acmePolicy(
        billing: String, budget: String?, sessions: Int, perRepo: Int, perUser: Int, onExhausted: String,
        roles: String
    ) -> String {
        """
        org: acme
        \(billing)
        budget:
        \(budget.map { "  \($0)" } ?? "")
          period: monthly
          on-exhausted: \(onExhausted)
        \(onExhausted == "fallback" ? "  fallback-model: gpt-4.1" : "")
        concurrency: { sessions: \(sessions), per-repo: \(perRepo), per-user: \(perUser) }
        repositories:
          - match: "acme/*"
            roles: \(roles)
            agents: ["*"]
        models:
          allow: ["*"]
        """
    }

    /// Runs `agentsched ARGUMENTS` in the workspace, with the fake key in the environment.
    func run(_ arguments: String...) async throws -> AgentschedProcess.Result {
        try await BackgroundAgentsched.run(arguments, in: workspace.url, environment: Self.environment)
    }

    /// Starts `agentsched ARGUMENTS` in the background.
    func start(_ arguments: String...) throws -> BackgroundAgentsched {
        try BackgroundAgentsched(arguments, in: workspace.url, environment: Self.environment)
    }

    /// Assigns issue 1 of acme/webapp to the implementer, as alice.
    func assignOne() async throws {
        let result = try await run(
            "assign", "--repo", "acme/webapp", "--issues", "1", "--title", "Fix the failing test", "--agent",
            "implementer")
        guard result.status == 0 else { throw FixtureTimeout(what: "assign: \(result.stderr)") }
    }

    /// Waits until session 1 has called its first tool.
    func waitForToolCall() async throws {
        try await waitFor("the tool call") { ledger in
            try await ledger.events(session: 1, after: 0).contains { $0.kind == .toolCall }
        }
    }

    /// The workspace's ledger, opened by the test.
    func ledger() throws -> SQLiteLedger {
        try SQLiteLedger(path: workspace.url.appendingPathComponent(".agentsched/ledger.sqlite").path)
    }

    /// Waits until `condition` holds on the ledger (polling), or fails after `seconds`.
    func waitFor(
        _ what: String, seconds: Double = 20, _ condition: (SQLiteLedger) async throws -> Bool
    ) async throws {
        let ledger = try ledger()
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition(ledger) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw FixtureTimeout(what: what)
    }

    struct FixtureTimeout: Error, CustomStringConvertible {
        var what: String
        var description: String { "failed or timed out: \(what)" }
    }
}

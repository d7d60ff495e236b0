import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import Foundation
import Testing

@Suite("agentsched usage and budget, end to end")
struct UsageCommandTests {
    /// The reports' clock: Friday 20 November 2026, noon UTC.
    static let now = "2026-11-20T12:00:00Z"

    /// Runs `agentsched ARGUMENTS` in `workspace` with the clock at `now` and the default state folder.
    static func run(
        _ workspace: borrowing TemporaryWorkspace, _ arguments: String..., now: String = now
    ) async throws
        -> AgentschedProcess.Result
    {
        try await AgentschedProcess.run(
            arguments, in: workspace.url, environment: ["AGENTSCHED_NOW": now, "AGENTSCHED_STATE": ""])
    }

    /// Fills the workspace's ledger by spending through `BudgetEngine` under the example policies:
    ///
    /// - 3 Nov, acme: alice 2 × claude-sonnet-4.5 (2); bob, the reviewer, 1 × claude-haiku-4.5 (0.33);
    /// - 17 Nov, acme: carol 1 × claude-opus-4.7 at acme's own multiplier (27);
    /// - 18 Nov, globex: frank 5 × claude-sonnet-4.5 (his whole allowance), then 1 more that runs on the
    ///   fallback gpt-4.1 for nothing;
    /// - 19 Nov: erin, globex's test-writer, 3 × grok-code-fast-1 (0.75); `zoë, "z"`, acme, 1 × gpt-5.
    static func fill(_ workspace: borrowing TemporaryWorkspace) async throws {
        let loaded = WorkspaceLoader(root: workspace.path).load()
        try #require(loaded.errors.isEmpty)
        let catalog = try #require(loaded.catalog)
        let acme = try #require(loaded.policy(named: "acme"))
        let globex = try #require(loaded.policy(named: "globex"))
        let ledger = try SQLiteLedger(path: workspace.url.appendingPathComponent(".agentsched/ledger.sqlite").path)
        let clock = ManualWallClock(Date(timeIntervalSince1970: 0))
        let engine = BudgetEngine(ledger: ledger, catalog: catalog, clock: clock, worker: "e2e")
        try await ledger.registerWorker(
            WorkerLease(id: "e2e", pid: 1, host: "test", expiresAt: .distantFuture), at: clock.now())
        let spends: [(OrganizationPolicy, String, String, String, String, Int, String)] = [
            (acme, "alice", "implementer", "acme/webapp", "claude-sonnet-4.5", 2, "2026-11-03T09:15:00Z"),
            (acme, "bob", "reviewer", "acme/webapp", "claude-haiku-4.5", 1, "2026-11-03T11:00:00Z"),
            (acme, "carol", "security-auditor", "acme/infra-core", "claude-opus-4.7", 1, "2026-11-17T08:00:00Z"),
            (globex, "frank", "implementer", "globex/app", "claude-sonnet-4.5", 5, "2026-11-18T10:00:00Z"),
            (globex, "frank", "implementer", "globex/app", "claude-sonnet-4.5", 1, "2026-11-18T10:30:00Z"),
            (globex, "erin", "test-writer", "globex/app", "grok-code-fast-1", 3, "2026-11-19T14:00:00Z"),
            (acme, "zoë, \"z\"", "docs-writer", "acme/docs", "gpt-5", 1, "2026-11-19T16:00:00Z"),
        ]
        var sessions: [String: SessionID] = [:]
        for (policy, user, agent, repository, model, units, at) in spends {
            clock.set(try Date.ISO8601FormatStyle().parse(at))
            if sessions[user] == nil {
                sessions[user] =
                    try await ledger.createSession(
                        NewSession(
                            org: policy.org, repository: repository, issue: sessions.count + 1, agent: agent,
                            assigner: user, model: model),
                        at: clock.now()
                    ).id
            }
            let spend = Spend(
                policy: policy, session: sessions[user], user: user, agent: agent, repository: repository,
                model: model, units: units, kind: .request)
            guard case .reserved(let reservation) = try await engine.reserve(spend) else {
                Issue.record("\(user)'s spend of \(model) was blocked")
                return
            }
            try await engine.commit(reservation, policy: policy, requests: units)
        }
    }

    @Test("usage prints this month's spend by organisation, reconciled to the charges")
    func table() async throws {
        let workspace = try TemporaryWorkspace()
        try await Self.fill(workspace)
        let result = try await Self.run(workspace, "usage")
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(
            result.stdout == """
                ORG     SESSIONS  MODEL REQUESTS  PREMIUM REQUESTS
                acme           4               5             30.33
                globex         2               9              5.75
                TOTAL          6              14             36.08

                """)
        let earlier = try await Self.run(
            workspace, "usage", "--by", "day,user", "--since", "2026-11-01", "--until", "2026-11-17")
        #expect(
            earlier.stdout == """
                DAY         USER   SESSIONS  MODEL REQUESTS  PREMIUM REQUESTS
                2026-11-03  alice         1               2                 2
                2026-11-03  bob           1               1              0.33
                2026-11-17  carol         1               1                27
                TOTAL                     3               4             29.33

                """)
    }

    @Test("usage --format json for one organisation, by user and model, shows the fallback and the budget")
    func json() async throws {
        let workspace = try TemporaryWorkspace()
        try await Self.fill(workspace)
        let result = try await Self.run(workspace, "usage", "--org", "globex", "--by", "user,model", "--format", "json")
        #expect(result.status == 0)
        #expect(
            result.stdout == """
                {
                  "budgets" : [
                    {
                      "limit" : 50,
                      "remaining" : 44.25,
                      "reserved" : 0,
                      "resets_at" : "2026-11-23T00:00:00Z",
                      "scope" : "org:globex",
                      "unit" : "premium-requests",
                      "used" : 5.75
                    }
                  ],
                  "period" : {
                    "from" : "2026-11-01T00:00:00Z",
                    "until" : "2026-12-01T00:00:00Z"
                  },
                  "rows" : [
                    {
                      "ai_credits" : 0,
                      "cache_write_tokens" : 0,
                      "cached_tokens" : 0,
                      "input_tokens" : 0,
                      "model" : "grok-code-fast-1",
                      "model_actual" : "grok-code-fast-1",
                      "model_requests" : 3,
                      "output_tokens" : 0,
                      "premium_requests" : 0.75,
                      "sessions" : 1,
                      "user" : "erin"
                    },
                    {
                      "ai_credits" : 0,
                      "cache_write_tokens" : 0,
                      "cached_tokens" : 0,
                      "input_tokens" : 0,
                      "model" : "claude-sonnet-4.5",
                      "model_actual" : "claude-sonnet-4.5",
                      "model_requests" : 5,
                      "output_tokens" : 0,
                      "premium_requests" : 5,
                      "sessions" : 1,
                      "user" : "frank"
                    },
                    {
                      "ai_credits" : 0,
                      "cache_write_tokens" : 0,
                      "cached_tokens" : 0,
                      "input_tokens" : 0,
                      "model" : "claude-sonnet-4.5",
                      "model_actual" : "gpt-4.1",
                      "model_requests" : 1,
                      "output_tokens" : 0,
                      "premium_requests" : 0,
                      "sessions" : 1,
                      "user" : "frank"
                    }
                  ],
                  "totals" : {
                    "ai_credits" : 0,
                    "cache_write_tokens" : 0,
                    "cached_tokens" : 0,
                    "input_tokens" : 0,
                    "model_requests" : 9,
                    "output_tokens" : 0,
                    "premium_requests" : 5.75,
                    "sessions" : 2
                  },
                  "unit" : "premium-requests"
                }

                """)
    }

    @Test("usage --format csv, markdown and github-csv")
    func otherFormats() async throws {
        let workspace = try TemporaryWorkspace()
        try await Self.fill(workspace)
        let csv = try await Self.run(workspace, "usage", "--org", "acme", "--by", "user,agent", "--format", "csv")
        #expect(csv.status == 0)
        #expect(
            csv.stdout
                == [
                    "user,agent,sessions,model_requests,premium_requests,input_tokens,cached_tokens,cache_write_tokens,output_tokens,ai_credits",
                    "alice,implementer,1,2,2,0,0,0,0,0",
                    "bob,reviewer,1,1,0.33,0,0,0,0,0",
                    "carol,security-auditor,1,1,27,0,0,0,0,0",
                    "\"zoë, \"\"z\"\"\",docs-writer,1,1,1,0,0,0,0,0",
                ].map { $0 + "\r\n" }.joined())
        let markdown = try await Self.run(
            workspace, "usage", "--period", "2026-11", "--by", "repo", "--format", "markdown")
        #expect(
            markdown.stdout == """
                | repo | sessions | model requests | premium requests |
                | --- | ---: | ---: | ---: |
                | acme/docs | 1 | 1 | 1 |
                | acme/infra-core | 1 | 1 | 27 |
                | acme/webapp | 2 | 3 | 2.33 |
                | globex/app | 2 | 9 | 5.75 |
                | **Total** | **6** | **14** | **36.08** |

                """)
        let github = try await Self.run(workspace, "usage", "--format", "github-csv")
        #expect(github.status == 0)
        #expect(
            github.stdout
                == [
                    "Timestamp,User,Model,Requests Used,Exceeds Monthly Quota,Total Monthly Quota",
                    "2026-11-03T00:00:00Z,alice,claude-sonnet-4.5,2,False,200",
                    "2026-11-03T00:00:00Z,bob,claude-haiku-4.5,0.33,False,50",
                    "2026-11-17T00:00:00Z,carol,claude-opus-4.7,27,False,150",
                    "2026-11-18T00:00:00Z,frank,claude-sonnet-4.5,5,False,5",
                    "2026-11-18T00:00:00Z,frank,gpt-4.1,0,False,5",
                    "2026-11-19T00:00:00Z,erin,grok-code-fast-1,0.75,False,40",
                    "2026-11-19T00:00:00Z,\"zoë, \"\"z\"\"\",gpt-5,1,False,100",
                ].map { $0 + "\r\n" }.joined())
        let october = try await Self.run(workspace, "usage", "--format", "github-csv", "--period", "2026-10")
        #expect(october.stdout == "Timestamp,User,Model,Requests Used,Exceeds Monthly Quota,Total Monthly Quota\r\n")
    }

    @Test("budget shows each scope's standing in the current period")
    func budget() async throws {
        let workspace = try TemporaryWorkspace()
        try await Self.fill(workspace)
        let result = try await Self.run(workspace, "budget", "--org", "globex")
        #expect(result.status == 0)
        #expect(
            result.stdout == """
                SCOPE                          LIMIT  USED  RESERVED  REMAINING  PERCENT  RESETS AT
                org:globex                        50  5.75         0      44.25      11%  2026-11-23T00:00:00Z
                user:globex/erin                  40  0.75         0      39.25       1%  2026-11-23T00:00:00Z
                user:globex/frank                  5     5         0          0     100%  2026-11-23T00:00:00Z
                user:globex/grace                 50     0         0         50       0%  2026-11-23T00:00:00Z
                user:globex/heidi                 15     0         0         15       0%  2026-11-23T00:00:00Z
                agent:globex/docs-writer          10     0         0         10       0%  2026-11-23T00:00:00Z
                agent:globex/implementer          30     5         0         25      16%  2026-11-23T00:00:00Z
                agent:globex/security-auditor     25     0         0         25       0%  2026-11-23T00:00:00Z
                agent:globex/test-writer          20  0.75         0      19.25       3%  2026-11-23T00:00:00Z

                """)
        let json = try await Self.run(workspace, "budget", "--format", "json")
        #expect(json.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let budgets = try #require(document["budgets"] as? [[String: Any]])
        let zoe = try #require(budgets.first { $0["scope"] as? String == "user:acme/zoë, \"z\"" })
        #expect(zoe["limit"] as? Int == 100)
        #expect(zoe["used"] as? Int == 1)
        #expect(zoe["percent"] as? Int == 1)
        #expect((budgets.first { $0["scope"] as? String == "org:acme" })?["used"] as? Double == 30.33)
        let nextWeek = try await Self.run(workspace, "budget", "--org", "globex", now: "2026-11-23T00:00:00Z")
        #expect(
            nextWeek.stdout.contains(
                "\norg:globex                        50     0         0         50       0%  2026-11-30T00:00:00Z\n"))
    }

    @Test("a workspace without a ledger reports nothing spent, and no state folder appears")
    func noLedger() async throws {
        let workspace = try TemporaryWorkspace()
        let usage = try await Self.run(workspace, "usage")
        #expect(usage.status == 0)
        #expect(
            usage.stdout == """
                ORG    SESSIONS  MODEL REQUESTS  PREMIUM REQUESTS
                TOTAL         0               0                 0

                """)
        let csv = try await Self.run(workspace, "usage", "--format", "csv")
        #expect(
            csv.stdout
                == "org,sessions,model_requests,premium_requests,input_tokens,cached_tokens,cache_write_tokens,output_tokens,ai_credits\r\n"
        )
        let json = try await Self.run(workspace, "usage", "--format", "json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["rows"] as? [Any])?.isEmpty == true)
        let budget = try await Self.run(workspace, "budget", "--org", "acme")
        #expect(budget.status == 0)
        #expect(budget.stdout.hasPrefix("SCOPE  "))
        #expect(!FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent(".agentsched").path))
    }

    @Test(
        "a bad command line exits 64 and says why",
        arguments: [
            (["usage", "--by", "org,usr"], "unknown dimension 'usr' in --by; did you mean 'user'?"),
            (["usage", "--by", "org,org"], "dimension 'org' appears twice in --by"),
            (["usage", "--period", "2026-11", "--since", "2026-11-01"], "--period cannot be combined with --since"),
            (["usage", "--period", "November"], "--period 'November' is not a month"),
            (["usage", "--since", "2026-11-10", "--until", "2026-11-01"], "--until 2026-11-01 is before --since"),
            (["usage", "--until", "2026-11-01"], "--until needs --since"),
            (["usage", "--since", "2026-11-31"], "--since '2026-11-31' is neither a date"),
            (["usage", "--format", "xlsx"], "--format"),
            (["usage", "--format", "github-csv", "--by", "user"], "--by does not apply to --format github-csv"),
            (["budget", "--format", "csv"], "--format"),
        ])
    func badCommandLine(arguments: [String], message: String) async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await AgentschedProcess.run(
            arguments, in: workspace.url, environment: ["AGENTSCHED_NOW": Self.now])
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr.contains(message))
    }

    @Test("a malformed AGENTSCHED_NOW is refused", arguments: ["usage", "budget"])
    func badClock(command: String) async throws {
        let workspace = try TemporaryWorkspace()
        let result = try await Self.run(workspace, command, now: "2026-11-20 12:00")
        #expect(result.status == 64)
        #expect(result.stderr.contains("AGENTSCHED_NOW '2026-11-20 12:00' is not an ISO 8601 instant"))
    }

    @Test(
        "an unknown organisation exits 1 with a suggestion; an invalid workspace exits 2",
        arguments: ["usage", "budget"])
    func workFailures(command: String) async throws {
        let workspace = try TemporaryWorkspace()
        let unknown = try await Self.run(workspace, command, "--org", "acmee")
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "error: no policy for organisation 'acmee'; did you mean 'acme'?\n")
        try workspace.write("policies/broken.yaml", "org: [broken\n")
        let invalid = try await Self.run(workspace, command)
        #expect(invalid.status == 2)
        #expect(invalid.stdout == "")
        #expect(invalid.stderr.contains("policies/broken.yaml:"))
    }

    @Test("an unreadable ledger fails the work with the reason")
    func unreadableLedger() async throws {
        let workspace = try TemporaryWorkspace()
        try workspace.write(".agentsched/ledger.sqlite", "this is not a database")
        let result = try await Self.run(workspace, "usage")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: the ledger at "))
    }
}

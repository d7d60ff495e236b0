import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    @Suite("agentsched run under AI credits: the worst case reserved, the reported usage charged")
    struct CreditsRunTests {
        /// An agent with no tools and a short prompt, so a request's worst case is mostly its answer.
        static let spender = """
            name: spender
            description: Answers in one long message.
            prompt: You fix issues.
            tools: []
            model: claude-sonnet-4.5
            limits: { max-output-tokens: 256 }
            """

        /// An answer of 200 fake tokens: 300 credits of output at the fixture's sonnet price.
        static let longAnswer = FakeModelStep.text(String(repeating: "word ", count: 160))

        /// The fixture's claude-sonnet-4.5 prices (DESIGN §2.3), to recompute costs from tokens.
        static let sonnetPricing = TokenPricing(
            standard: TokenPricing.Rates(
                input: price("3000"), cachedInput: price("300"), output: price("15000"), cacheWrite: price("3750")))

        static func price(_ text: String) -> TokenPrice {
            try! TokenPrice.parse(text).get()
        }

        static func credits(_ text: String) -> AICredits {
            try! AICredits.parse(text).get()
        }

        static func fixture(_ server: FakeModelServer, budget: String, sessions: Int = 8) async throws -> RunFixture {
            let fixture = try await RunFixture(
                server: server, policy: RunFixture.creditsPolicy(budget: budget, sessions: sessions))
            try fixture.workspace.write("agents/spender.yaml", Self.spender)
            return fixture
        }

        static func assign(
            _ fixture: borrowing RunFixture, issues: ClosedRange<Int>, agent: String = "spender"
        )
            async throws
        {
            let list = issues.map(String.init).joined(separator: ",")
            let result = try await fixture.run(
                "assign", "--repo", "acme/webapp", "--issues", list, "--title", "Fix it", "--agent", agent)
            #expect(result.status == 0, "\(result.stderr)")
        }

        @Test(
            "several run processes on one workspace keep committed + reserved within a credits budget far below the work",
            arguments: [1, 4])
        func processesShareACreditsBudget(processes: Int) async throws {
            try await FakeModelServer.withServer(latency: .milliseconds(30)) { server in
                server.setScript(Array(repeating: Self.longAnswer, count: 200), for: "paid")
                let fixture = try await Self.fixture(server, budget: "3000")
                try await Self.assign(fixture, issues: 1...40)
                let runs = try (0..<processes).map { _ in
                    try fixture.start("run", "--until-idle", "--concurrency", "8", "--progress", "none")
                }
                for run in runs {
                    let result = try await run.wait()
                    #expect(result.status == 0, "\(result.stderr)")
                }
                let audit = try await CreditsAudit(ledger: try fixture.ledger(), pricing: Self.sonnetPricing)
                try audit.check(limit: Self.credits("3000"), completed: 1...40)
            }
        }

        @Test("400 concurrent sessions in one process never overrun a credits budget and leave nothing reserved")
        func fourHundredSessions() async throws {
            try await FakeModelServer.withServer(latency: .milliseconds(50)) { server in
                server.setScript(Array(repeating: Self.longAnswer, count: 400), for: "paid")
                let fixture = try await Self.fixture(server, budget: "6000", sessions: 400)
                try await Self.assign(fixture, issues: 1...400)
                let run = try await fixture.run("run", "--until-idle", "--concurrency", "400", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let audit = try await CreditsAudit(ledger: try fixture.ledger(), pricing: Self.sonnetPricing)
                try audit.check(limit: Self.credits("6000"), completed: 1...400)
            }
        }

        @Test("near the end of the budget max_tokens is lowered to what the budget holds, and the lowered cap is sent")
        func maxTokensLowered() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([.text("Fixed.")], for: "paid")
                // Without max-output-tokens the model's 4,096-token cap is asked for: 6,144 credits of
                // output alone.
                let fixture = try await Self.fixture(server, budget: "2000")
                try fixture.workspace.write(
                    "agents/spender.yaml",
                    Self.spender.replacingOccurrences(of: "limits: { max-output-tokens: 256 }", with: ""))
                try await Self.assign(fixture, issues: 1...1)
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let ledger = try fixture.ledger()
                #expect(try await ledger.session(1)?.state == .completed)
                let sent = try #require(server.requests(for: "paid").first?.json?["max_tokens"]?.intValue)
                #expect(sent >= 256)
                #expect(sent < 4096)
                let events = try await ledger.events(session: 1, after: 0)
                let lowered = try #require(
                    events.first { $0.kind == .budgetOutputLowered }, "\(events.map { "\($0.kind) \($0.data)" })")
                #expect(lowered.data["max_tokens"] == "\(sent)")
                #expect(lowered.data["wanted"] == "4096")
                // The reservation held exactly the worst case of what was sent, and it fitted.
                let priced = try #require(events.first { $0.kind == .requestPriced })
                let reserved = Self.credits(try #require(priced.data["reserved"]))
                let bound = try #require(priced.data["prompt_bound"].flatMap(Int.init))
                #expect(reserved == Self.sonnetPricing.worstCase(promptTokens: bound, outputTokens: sent).credits)
                #expect(reserved <= Self.credits("2000"))
                let oneMore = Self.sonnetPricing.worstCase(promptTokens: bound, outputTokens: sent + 1).credits
                #expect(oneMore > Self.credits("2000"))
                let audit = try await CreditsAudit(ledger: ledger, pricing: Self.sonnetPricing)
                try audit.check(limit: Self.credits("2000"), completed: 1...1)
            }
        }

        @Test("below the floor the session blocks with the scope, the figures and the reset time")
        func blockedBelowTheFloor() async throws {
            try await FakeModelServer.withServer { server in
                let fixture = try await Self.fixture(server, budget: "100")
                try await Self.assign(fixture, issues: 1...1)
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let session = try #require(try await fixture.ledger().session(1))
                #expect(session.state == .blocked)
                let reason = try #require(session.reason)
                #expect(
                    reason.contains(
                        "the budget of organisation acme is used up: 0.00 used and 0.00 reserved of 100.00 AI credits"))
                #expect(reason.contains("it resets at"))
                #expect(server.requests(for: "paid").isEmpty)
            }
        }

        @Test("an answer without usage is charged its whole reservation, with an event", arguments: [true, false])
        func answerWithoutUsage(stream: Bool) async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([.reply(text: "Fixed.", toolCalls: [], usage: .omitted)], for: "paid")
                let fixture = try await Self.fixture(server, budget: "5000")
                if !stream {
                    let catalog = try String(
                        contentsOf: fixture.workspace.url.appendingPathComponent("policies/models.yaml"),
                        encoding: .utf8)
                    try fixture.workspace.write(
                        "policies/models.yaml",
                        catalog.replacingOccurrences(of: "timeout: 30s", with: "timeout: 30s\n    stream: false"))
                }
                try await Self.assign(fixture, issues: 1...1)
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let ledger = try fixture.ledger()
                #expect(try await ledger.session(1)?.state == .completed)
                let events = try await ledger.events(session: 1, after: 0)
                let missing = try #require(events.first { $0.kind == .budgetUsageMissing })
                let charges = try await ledger.charges(session: 1)
                #expect(charges.count == 1)
                let charge = try #require(charges.first)
                #expect(charge.amount.description == missing.data["charged"])
                let reserved = try #require(events.last { $0.kind == .budgetReserved })
                #expect(charge.amount.description == reserved.data["amount"])
                #expect(charge.tokens == .zero)
                #expect(!events.contains { $0.kind == .requestPriced })
            }
        }

        @Test("Anthropic's cache reads and writes are priced at their own rates", arguments: [true, false])
        func anthropicCacheFields(stream: Bool) async throws {
            try await FakeModelServer.withServer { server in
                server.setScript(
                    [.reply(text: "Fixed.", toolCalls: [], usage: .cached(read: 6, written: 4))], for: "anthropic")
                let fixture = try await Self.fixture(server, budget: "5000")
                let catalog = try String(
                    contentsOf: fixture.workspace.url.appendingPathComponent("policies/models.yaml"), encoding: .utf8)
                if !stream {
                    try fixture.workspace.write(
                        "policies/models.yaml",
                        catalog.replacingOccurrences(of: "timeout: 30s", with: "timeout: 30s\n    stream: false"))
                }
                try fixture.workspace.write(
                    "agents/spender.yaml",
                    Self.spender.replacingOccurrences(of: "claude-sonnet-4.5", with: "claude-sonnet-4.6"))
                try await Self.assign(fixture, issues: 1...1)
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let ledger = try fixture.ledger()
                let charge = try #require(try await ledger.charges(session: 1).first)
                let request = try #require(server.requests(for: "anthropic").first?.json)
                let prompt = TokenEstimate.promptTokens(for: request)
                #expect(charge.tokens.cachedInput == 6)
                #expect(charge.tokens.cacheWrite == 4)
                #expect(charge.tokens.input == prompt - 10)
                #expect(charge.tokens.output == TokenEstimate.completionTokens(text: "Fixed.", toolCalls: []))
                #expect(charge.amount == Self.sonnetPricing.cost(of: charge.tokens).credits.amount)
                let show = try await fixture.run("sessions", "show", "1")
                #expect(show.stdout.contains("tokens       \(prompt - 10) in, 6 cached, 4 cache-write"))
                #expect(show.stdout.contains("requests"))
            }
        }

        @Test("a session that reaches max-ai-credits stops at a safe point: failed with the reason, its work kept")
        func runawayCap() async throws {
            try await FakeModelServer.withServer { server in
                // The first answer costs about 300 credits of output; the second request's worst case
                // (about 500) no longer fits under the 700-credit cap.
                server.setScript(
                    [
                        .textAndToolCalls(String(repeating: "word ", count: 160), [("read", #"{"path":"README.md"}"#)]),
                        .text("Done."),
                    ], for: "paid")
                let fixture = try await Self.fixture(server, budget: "100000")
                try fixture.workspace.write(
                    "agents/spender.yaml",
                    Self.spender.replacingOccurrences(of: "tools: []", with: "tools: [read]")
                        .replacingOccurrences(
                            of: "limits: { max-output-tokens: 256 }",
                            with: "limits: { max-output-tokens: 256, max-ai-credits: 700 }"))
                try await Self.assign(fixture, issues: 1...1)
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let ledger = try fixture.ledger()
                let session = try #require(try await ledger.session(1))
                #expect(session.state == .failed)
                #expect(
                    session.reason?.hasPrefix("stopped by the max-ai-credits limit: the credit cap of session 1")
                        == true)
                // It stopped after the read, before a second request: a safe point.
                let events = try await ledger.events(session: 1, after: 0)
                #expect(events.contains { $0.kind == .toolResult })
                #expect(server.requests(for: "paid").count == 1)
                let spent = try await ledger.charges(session: 1).reduce(AICredits.zero) {
                    $0 + ($1.amount.aiCredits ?? .zero)
                }
                #expect(spent <= Self.credits("700"))
                #expect(try await ledger.openReservations().isEmpty)
            }
        }

        @Test("assign --dry-run estimates from completed sessions and sets the batch against each budget")
        func dryRunEstimates() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript(Array(repeating: Self.longAnswer, count: 3), for: "paid")
                let fixture = try await Self.fixture(server, budget: "5000")
                let before = try await fixture.run(
                    "assign", "--repo", "acme/webapp", "--issues", "9", "--title", "Fix it", "--agent", "spender",
                    "--dry-run")
                #expect(before.stdout.contains("(from limits)"), "\(before.stdout)")
                try await Self.assign(fixture, issues: 1...3)
                #expect(try await fixture.run("run", "--until-idle", "--progress", "none").status == 0)
                let costs = try await fixture.ledger().charges(from: .distantPast, until: .distantFuture, org: "acme")
                    .compactMap(\.amount.aiCredits).sorted()
                #expect(costs.count == 3)
                let result = try await fixture.run(
                    "assign", "--repo", "acme/webapp", "--issues", "7,8", "--title", "Fix it", "--agent", "spender",
                    "--dry-run")
                #expect(result.status == 0, "\(result.stderr)")
                let median = costs[1].amount.reported
                #expect(result.stdout.contains("estimate for 2 sessions: median"), "\(result.stdout)")
                #expect(result.stdout.contains("organisation acme:"), "\(result.stdout)")
                let json = try await fixture.run(
                    "assign", "--repo", "acme/webapp", "--issues", "7", "--title", "Fix it", "--agent", "spender",
                    "--dry-run", "--format", "json")
                let results = try #require(
                    try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
                let estimate = try #require(results.first?["estimate"] as? [String: Any])
                #expect(estimate["basis"] as? String == "history")
                #expect(estimate["sessions"] as? Int == 3)
                #expect(estimate["unit"] as? String == "ai-credits")
                #expect(
                    (estimate["median"] as? NSNumber).map { Self.credits($0.decimalValue.description).amount.reported }
                        == median)
            }
        }

        @Test("usage shows tokens and credits in every form, and github-credits-csv quotes what needs quoting")
        func usageInCredits() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([.text("Fixed, \"really\".")], for: "paid")
                let fixture = try await Self.fixture(server, budget: "5000")
                try await Self.assign(fixture, issues: 1...1)
                #expect(try await fixture.run("run", "--until-idle", "--progress", "none").status == 0)
                let ledger = try fixture.ledger()
                let charge = try #require(try await ledger.charges(session: 1).first)
                let credits = try #require(charge.amount.aiCredits)

                let json = try await fixture.run("usage", "--by", "agent", "--format", "json")
                let document = try #require(
                    try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
                #expect(document["unit"] as? String == "ai-credits")
                let totals = try #require(document["totals"] as? [String: Any])
                #expect((totals["ai_credits"] as? NSNumber)?.decimalValue.description == credits.description)
                #expect(totals["input_tokens"] as? Int == charge.tokens.input)
                #expect(totals["output_tokens"] as? Int == charge.tokens.output)

                let table = try await fixture.run("usage", "--by", "agent")
                #expect(table.stdout.contains("AI CREDITS"))
                #expect(table.stdout.contains("US$"))
                #expect(table.stdout.contains(credits.amount.reported))
                #expect(!table.stdout.contains("PREMIUM REQUESTS"))

                let csv = try await fixture.run("usage", "--format", "github-credits-csv")
                let lines = csv.stdout.components(separatedBy: "\r\n")
                #expect(
                    lines[0]
                        == "date,username,product,sku,model,quantity,unit_type,applied_cost_per_quantity,gross_amount,discount_amount,net_amount,organization,repository"
                )
                let dollars = FixedPoint.text(credits.nanocredits, decimals: 11)
                #expect(
                    lines[1].hasSuffix(
                        ",alice,copilot,copilot_ai_credits,claude-sonnet-4.5,\(credits),ai-credits,0.01,\(dollars),0,\(dollars),acme,acme/webapp"
                    ))
                #expect(lines.count == 3 && lines[2].isEmpty)

                let budget = try await fixture.run("budget")
                let orgLine = try #require(
                    budget.stdout.split(separator: "\n").first { $0.hasPrefix("org:acme@ai-credits ") })
                #expect(orgLine.contains(" ai-credits "), "\(budget.stdout)")
                #expect(orgLine.contains("5000.00"), "\(budget.stdout)")
            }
        }
    }
}

/// The credits accounting of a finished run, replayed from the ledger's events and checked
/// against DESIGN §5 and §9.
struct CreditsAudit {
    /// The largest committed + reserved of the organisation scope at any instant.
    var peak = AICredits.zero
    var committed = AICredits.zero
    var reservedAtEnd = AICredits.zero
    /// The sum of the `request.priced` events' costs, each recomputed from its tokens.
    var pricedFromTokens = AICredits.zero
    var pricedRequests = 0
    /// The largest worst case one request reserved.
    var largestWorstCase = AICredits.zero
    var charges: [Charge] = []
    var openReservations = 0
    var sessions: [SessionRecord] = []

    init(ledger: SQLiteLedger, pricing: TokenPricing) async throws {
        var held: [String: AICredits] = [:]
        var reserved = AICredits.zero
        for event in try await ledger.events(session: nil, after: 0) {
            func amount() -> AICredits { try! AICredits.parse(event.data["amount"] ?? "").get() }
            switch event.kind {
            case .budgetReserved:
                guard event.data["unit"] == "ai-credits", let id = event.data["reservation"] else { continue }
                held[id] = amount()
                reserved += amount()
                largestWorstCase = max(largestWorstCase, amount())
            case .budgetCharged:
                guard let id = event.data["reservation"], let hold = held.removeValue(forKey: id) else { continue }
                reserved = reserved - hold
                committed += amount()
            case .budgetReleased:
                guard let id = event.data["reservation"], let hold = held.removeValue(forKey: id) else { continue }
                reserved = reserved - hold
            case .requestPriced:
                let tokens = TokenCounts(
                    input: Int(event.data["input_tokens"] ?? "") ?? -1,
                    cachedInput: Int(event.data["cached_tokens"] ?? "") ?? -1,
                    cacheWrite: Int(event.data["cache_write_tokens"] ?? "") ?? -1,
                    output: Int(event.data["output_tokens"] ?? "") ?? -1)
                pricedFromTokens += pricing.cost(of: tokens).credits
                pricedRequests += 1
            default:
                continue
            }
            peak = max(peak, committed + reserved)
        }
        reservedAtEnd = reserved
        charges = try await ledger.charges(from: .distantPast, until: .distantFuture, org: "acme")
        openReservations = try await ledger.openReservations().count
        sessions = try await ledger.sessions(in: [])
    }

    /// committed + reserved never passed `limit`; the total charged is the priced usage of the
    /// successful requests; nothing stays reserved; the sessions the budget left out were blocked
    /// by the organisation with less left than one request's worst case.
    func check(
        limit: AICredits, completed issues: ClosedRange<Int>, sourceLocation: Testing.SourceLocation = #_sourceLocation
    )
        throws
    {
        #expect(peak <= limit, "committed + reserved reached \(peak) of \(limit)", sourceLocation: sourceLocation)
        let total = charges.reduce(AICredits.zero) { $0 + ($1.amount.aiCredits ?? .zero) }
        #expect(total == committed, sourceLocation: sourceLocation)
        #expect(total == pricedFromTokens, sourceLocation: sourceLocation)
        #expect(charges.count == pricedRequests, sourceLocation: sourceLocation)
        #expect(charges.allSatisfy { $0.amount.unit == .aiCredits }, sourceLocation: sourceLocation)
        #expect(reservedAtEnd == .zero, sourceLocation: sourceLocation)
        #expect(openReservations == 0, sourceLocation: sourceLocation)
        let done = sessions.filter { $0.state == .completed }
        let blocked = sessions.filter { $0.state == .blocked }
        #expect(!done.isEmpty, sourceLocation: sourceLocation)
        #expect(done.count + blocked.count == issues.count, "\(sessions.map(\.state))", sourceLocation: sourceLocation)
        #expect(done.count == pricedRequests, sourceLocation: sourceLocation)
        let leftover = limit - total
        if !blocked.isEmpty {
            #expect(
                leftover < largestWorstCase, "\(leftover) left, worst case \(largestWorstCase)",
                sourceLocation: sourceLocation)
            #expect(
                blocked.allSatisfy { $0.reason?.contains("organisation acme") == true }, sourceLocation: sourceLocation)
        }
    }
}

import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    @Suite("agentsched run: limits that hold inside a turn, charging, answers that are not answers, event order")
    struct LimitsAndChargingTests {
        static let readReadme = RunCommandTests.readReadme

        /// Writes `agents/worker.yaml` on the paid model with the tools and limits given.
        static func worker(_ fixture: borrowing RunFixture, limits: String?) throws {
            try fixture.workspace.write(
                "agents/worker.yaml",
                """
                name: worker
                description: Works the issue.
                model: claude-sonnet-4.5
                tools: [read, edit, execute]
                \(limits.map { "limits: \($0)" } ?? "")
                prompt: Fix the issue.
                """)
        }

        static func assignWorker(_ fixture: borrowing RunFixture) async throws {
            let result = try await fixture.run(
                "assign", "--repo", "acme/webapp", "--issues", "1", "--title", "Loop", "--agent", "worker")
            #expect(result.status == 0, "\(result.stderr)")
        }

        /// The fixture's catalog with every model's `timeout` and retries replaced.
        static func catalog(_ server: FakeModelServer, timeout: String, retries: Int) -> String {
            RunFixture.catalog(server).replacingOccurrences(
                of: "timeout: 30s", with: "timeout: \(timeout)\n    max-retries: \(retries)")
        }

        @Test("max-runtime kills a running execute: `sleep 30` under 5 s ends at about 5 s, timed out and charged")
        func maxRuntimeKillsExecute() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([.toolCalls([("execute", #"{"command":"sleep 30"}"#)])], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try Self.worker(fixture, limits: "{ max-runtime: 5s }")
                try await Self.assignWorker(fixture)
                let started = ContinuousClock.now
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                let took = ContinuousClock.now - started
                #expect(run.status == 0, "\(run.stderr)")
                #expect(took < .seconds(25), "the run took \(took); the sleep lasts 30 s")
                let ledger = try fixture.ledger()
                let session = try #require(try await ledger.session(1))
                #expect(session.state == .timedOut)
                #expect(session.reason == "stopped by the max-runtime limit")
                let events = try await ledger.events(session: 1, after: 0)
                #expect(events.contains { $0.kind == .sessionLimit && $0.data["limit"] == "max-runtime" })
                #expect(events.contains { $0.kind == .toolResult && $0.data["tool"] == "execute" })
                #expect(try await ledger.openReservations().isEmpty)
                #expect(try await ledger.charges(session: 1).map(\.amount.premiumRequests) == [PremiumRequests(1)])
            }
        }

        @Test("max-runtime cuts a model answer that drips in forever; nothing is charged for it")
        func maxRuntimeCutsDrippingStream() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([.drip(interval: .milliseconds(300))], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try Self.worker(fixture, limits: "{ max-runtime: 3s }")
                try await Self.assignWorker(fixture)
                let started = ContinuousClock.now
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                let took = ContinuousClock.now - started
                #expect(run.status == 0, "\(run.stderr)")
                #expect(took < .seconds(25), "the run took \(took); the catalog's timeout is 30 s")
                let ledger = try fixture.ledger()
                #expect(try await ledger.session(1)?.state == .timedOut)
                #expect(try await ledger.openReservations().isEmpty)
                #expect(try await ledger.charges(session: 1).isEmpty)
            }
        }

        @Test("a model answer that drips in forever ends at the catalog's timeout, as a timeout, however busy it looks")
        func catalogTimeoutIsTotal() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([.drip(interval: .milliseconds(200))], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try fixture.workspace.write("policies/models.yaml", Self.catalog(server, timeout: "2s", retries: 0))
                try Self.worker(fixture, limits: nil)
                try await Self.assignWorker(fixture)
                let started = ContinuousClock.now
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                let took = ContinuousClock.now - started
                #expect(run.status == 0, "\(run.stderr)")
                #expect(took < .seconds(25), "the run took \(took); the drip never ends")
                let ledger = try fixture.ledger()
                let session = try #require(try await ledger.session(1))
                #expect(session.state == .failed)
                #expect(session.reason == "the model did not answer in time")
                let events = try await ledger.events(session: 1, after: 0)
                #expect(events.contains { $0.kind == .modelFailed && $0.data["class"] == "timeout" })
                #expect(try await ledger.charges(session: 1).isEmpty)
            }
        }

        @Test(
            "a looping model stops at the default caps when the profile sets none: the policy's, else built-in",
            arguments: [
                (policyLimits: "limits: { max-tool-calls: 7 }", limit: "max-tool-calls", requests: 7),
                (policyLimits: "limits: { max-turns: 4 }", limit: "max-turns", requests: 4),
                (policyLimits: "", limit: "max-turns", requests: 100),
            ])
        func defaultCaps(policyLimits: String, limit: String, requests: Int) async throws {
            try await FakeModelServer.withServer { server in
                server.setScript(Array(repeating: Self.readReadme, count: 150), for: "paid")
                let fixture = try await RunFixture(
                    server: server, policy: RunFixture.policy(budget: 10) + "\n" + policyLimits + "\n")
                try Self.worker(fixture, limits: nil)
                try await Self.assignWorker(fixture)
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let session = try #require(try await fixture.ledger().session(1))
                #expect(session.state == .failed)
                #expect(session.reason == "stopped by the \(limit) limit")
                #expect(server.requests(for: "paid").count == requests)
            }
        }

        @Test("the policy's max-file-bytes reaches the session's tools: a larger file is refused with the limit")
        func maxFileBytesReachesTools() async throws {
            try await FakeModelServer.withServer { server in
                // 320 bytes: `edit` could not write them under the cap, so the command makes them.
                server.setScript(
                    [
                        .toolCalls([
                            ("edit", #"{"path":"EDITED.md","content":"\#(String(repeating: "x", count: 101))"}"#)
                        ]),
                        .toolCalls([("execute", #"{"command":"head -c 320 /dev/zero | tr '\\0' a > NOTES.md"}"#)]),
                        .toolCalls([("read", #"{"path":"NOTES.md"}"#)]), .text("Done."),
                    ], for: "paid")
                let fixture = try await RunFixture(
                    server: server, policy: RunFixture.policy(budget: 10) + "\nlimits: { max-file-bytes: 100 }\n")
                try Self.worker(fixture, limits: nil)
                try await Self.assignWorker(fixture)
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let events = try await fixture.ledger().events(session: 1, after: 0)
                let read = try #require(events.last { $0.kind == .toolResult && $0.data["tool"] == "read" })
                #expect(read.data["error"] == "true")
                #expect(read.data["output"]?.contains("'NOTES.md' is 320 bytes, over the 100 bytes read limit") == true)
                let edit = try #require(events.first { $0.kind == .toolResult && $0.data["tool"] == "edit" })
                #expect(edit.data["error"] == "true")
                #expect(edit.data["output"]?.contains("max-file-bytes") == true, "\(edit.data)")
            }
        }

        @Test("a tool call's arguments over 256 KiB are refused and not re-sent on the next turns")
        func oversizedArgumentsNotResent() async throws {
            try await FakeModelServer.withServer { server in
                let content = String(repeating: "x", count: 300 * 1024)
                server.setScript(
                    [
                        .toolCalls([("edit", #"{"path":"BIG.md","content":"\#(content)"}"#)]), Self.readReadme,
                        .text("Done."),
                    ], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try Self.worker(fixture, limits: nil)
                try await Self.assignWorker(fixture)
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let requests = server.requests(for: "paid")
                #expect(requests.count == 3)
                #expect(requests.dropFirst().allSatisfy { $0.body.count < 20_000 }, "\(requests.map(\.body.count))")
                let events = try await fixture.ledger().events(session: 1, after: 0)
                let result = try #require(events.first { $0.kind == .toolResult && $0.data["tool"] == "edit" })
                #expect(result.data["error"] == "true")
                #expect(result.data["output"]?.contains("over the 256 KiB limit for one tool call") == true)
                let worktree = fixture.workspace.url.appendingPathComponent(".agentsched/worktrees/1/BIG.md")
                #expect(!FileManager.default.fileExists(atPath: worktree.path))
            }
        }

        @Test(
            "a cancelled session is charged for what it consumed: per session once, per request each request",
            arguments: [
                (charging: "per-session", kinds: [ChargeKind.session], usage: "worker,1,1,1"),
                (charging: "per-request", kinds: [ChargeKind.request], usage: "worker,1,1,1"),
            ])
        func cancelCharges(charging: String, kinds: [ChargeKind], usage: String) async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([.toolCalls([("execute", #"{"command":"sleep 30"}"#)])], for: "paid")
                let fixture = try await RunFixture(
                    server: server, policy: RunFixture.policy(charging: charging, budget: 10))
                try Self.worker(fixture, limits: nil)
                try await Self.assignWorker(fixture)
                let run = try fixture.start("run", "--until-idle", "--progress", "none")
                try await fixture.waitForToolCall()
                let cancel = try await fixture.run("sessions", "cancel", "1", "--wait", "10")
                #expect(cancel.status == 0, "\(cancel.stderr)")
                #expect(try await run.wait().status == 0)
                let ledger = try fixture.ledger()
                #expect(try await ledger.session(1)?.state == .cancelled)
                #expect(try await ledger.openReservations().isEmpty)
                let charges = try await ledger.charges(session: 1)
                #expect(charges.map(\.context.kind) == kinds)
                #expect(charges.map(\.amount.premiumRequests) == [PremiumRequests(1)])
                let report = try await fixture.run("usage", "--by", "agent", "--format", "csv")
                #expect(report.stdout.contains(usage), "\(report.stdout)")
            }
        }

        @Test(
            "choices: [] is a malformed answer: retried, never completed or charged on its own",
            arguments: [
                (steps: [FakeModelStep.emptyChoices, .text("Done.")], state: SessionState.completed, charged: 1),
                (steps: Array(repeating: FakeModelStep.emptyChoices, count: 4), state: .failed, charged: 0),
            ])
        func emptyChoices(steps: [FakeModelStep], state: SessionState, charged: Int) async throws {
            try await FakeModelServer.withServer { server in
                server.setScript(steps, for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try Self.worker(fixture, limits: nil)
                try await Self.assignWorker(fixture)
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let ledger = try fixture.ledger()
                let session = try #require(try await ledger.session(1))
                #expect(session.state == state)
                if state == .completed { #expect(session.outputs.summary == "Done.") }
                let events = try await ledger.events(session: 1, after: 0)
                #expect(events.contains { $0.kind == .modelFailed && $0.data["class"] == "malformed-response" })
                #expect(try await ledger.charges(session: 1).count == charged)
            }
        }

        @Test("an answer cut at the output limit is logged and the model asked to go on")
        func cutAnswer() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([.cut(text: "The first half of"), .text("Done, in full.")], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 10))
                try Self.worker(fixture, limits: nil)
                try await Self.assignWorker(fixture)
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let ledger = try fixture.ledger()
                #expect(try await ledger.session(1)?.outputs.summary == "Done, in full.")
                let events = try await ledger.events(session: 1, after: 0)
                let cut = try #require(events.first { $0.kind == .modelTruncated })
                #expect(cut.data["finish_reason"] == "length")
                #expect(cut.data["next"] == "ask the model to continue")
                let logs = try await fixture.run("sessions", "logs", "1")
                #expect(logs.stdout.contains("model.truncated"))
            }
        }

        @Test("per-request charging: each charge follows its answer, and no reservation splits a tool call")
        func perRequestEventOrder() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript(
                    [.toolCalls([("execute", #"{"command":"sleep 0.3"}"#)]), Self.readReadme, .text("Done.")],
                    for: "paid")
                let fixture = try await RunFixture(
                    server: server, policy: RunFixture.policy(charging: "per-request", budget: 10))
                try Self.worker(fixture, limits: nil)
                try await Self.assignWorker(fixture)
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let kinds = try await fixture.ledger().events(session: 1, after: 0).map(\.kind.rawValue)
                    .filter { $0.hasPrefix("model.") || $0.hasPrefix("tool.") || $0.hasPrefix("budget.") }
                #expect(
                    kinds == [
                        "budget.reserved", "model.request", "model.response", "budget.charged", "tool.call",
                        "tool.result", "budget.reserved", "model.request", "model.response", "budget.charged",
                        "tool.call", "tool.result", "budget.reserved", "model.request", "model.response",
                        "budget.charged",
                    ])
            }
        }

        @Test("a session blocked mid-way logs no session.finished: it is blocked, not finished")
        func blockedIsNotFinished() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([Self.readReadme, Self.readReadme, .text("Done.")], for: "paid")
                let fixture = try await RunFixture(
                    server: server, policy: RunFixture.policy(charging: "per-request", budget: 1))
                try Self.worker(fixture, limits: nil)
                try await Self.assignWorker(fixture)
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let ledger = try fixture.ledger()
                #expect(try await ledger.session(1)?.state == .blocked)
                let events = try await ledger.events(session: 1, after: 0)
                #expect(!events.contains { $0.kind == .sessionFinished })
                let last = try #require(events.last { $0.kind == .sessionState })
                #expect(last.data["to"] == "blocked")
                #expect(try await ledger.openReservations().isEmpty)
            }
        }
    }
}

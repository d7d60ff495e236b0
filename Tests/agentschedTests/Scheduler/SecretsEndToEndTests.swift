import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import Testing

extension SchedulerEndToEnd {
    @Suite("secrets never leave, hostile text stays visible, a down server is reported at once")
    struct SecretsEndToEndTests {
        /// Everything a user or a later request can read of session 1, as text.
        static func everything(
            _ fixture: borrowing RunFixture, server: FakeModelServer
        ) async throws -> [String: String] {
            var seen: [String: String] = [:]
            let events = try await fixture.ledger().events(session: nil, after: 0)
            seen["ledger events"] = events.map { $0.data.values.joined(separator: " ") }.joined(separator: "\n")
            seen["sessions logs"] = try await fixture.run("sessions", "logs", "1").stdout
            seen["sessions show"] = try await fixture.run("sessions", "show", "1").stdout
            seen["sessions show json"] = try await fixture.run("sessions", "show", "1", "--format", "json").stdout
            seen["sessions list json"] = try await fixture.run("sessions", "list", "--format", "json").stdout
            let conversation = try await fixture.ledger().conversation(1)
            seen["conversation"] = conversation?.messages.joined(separator: "\n") ?? ""
            seen["model requests"] = server.requests(for: "paid").map { String(decoding: $0.body, as: UTF8.self) }
                .joined(separator: "\n")
            return seen
        }

        @Test(
            "a key the provider echoes in an error answer or a bad stream is absent from events, logs, show, list, the conversation and later requests",
            arguments: [
                AuthorizationEcho.status(400), .status(404), .status(302), .errorEvent, .badChunk,
            ])
        func echoedKeyIsRedacted(echo: AuthorizationEcho) async throws {
            try await FakeModelServer.withServer { server in
                server.setScript([.echoAuthorization(echo), .text("Nothing to fix.")], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 100))
                try await fixture.assignOne()
                let run = try await fixture.run("run", "--until-idle", "--progress", "plain")
                #expect(!run.stdout.contains(RunFixture.key) && !run.stderr.contains(RunFixture.key))
                let seen = try await Self.everything(fixture, server: server)
                for (place, text) in seen {
                    #expect(!text.contains(RunFixture.key), "the key reached \(place)")
                }
                // The provider's words are kept, with the key replaced.
                #expect(seen["ledger events"]!.contains("Bearer \(Redactor.marker)"), "\(seen["ledger events"]!)")
            }
        }

        @Test("a tool result that prints the key is redacted before it reaches the model and the ledger")
        func toolOutputIsRedacted() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript(
                    [
                        .toolCalls([("execute", #"{"command":"VALUE=$(cat secret.txt); echo \"key: $VALUE\""}"#)]),
                        .toolCalls([("read", #"{"path":"secret.txt"}"#)]),
                        .text("Done."),
                    ], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 100))
                let repository = fixture.workspace.url.appendingPathComponent("repos/webapp")
                try fixture.workspace.write("repos/webapp/secret.txt", RunFixture.key + "\n")
                try await TestProcess.git(["add", "secret.txt"], in: repository)
                try await TestProcess.git(["commit", "-qm", "secret"], in: repository)
                try await fixture.assignOne()
                let run = try await fixture.run("run", "--until-idle", "--progress", "none")
                #expect(run.status == 0, "\(run.stderr)")
                let requests = server.requests(for: "paid")
                #expect(requests.count == 3)
                let later = requests.dropFirst().map { String(decoding: $0.body, as: UTF8.self) }
                #expect(later.allSatisfy { $0.contains(Redactor.marker) }, "\(later)")
                let seen = try await Self.everything(fixture, server: server)
                for (place, text) in seen {
                    #expect(!text.contains(RunFixture.key), "the key reached \(place)")
                }
            }
        }

        @Test("a model that repeats the key has it redacted in its summary, the events and the saved conversation")
        func modelTextIsRedacted() async throws {
            try await FakeModelServer.withServer { server in
                server.setScript(
                    [
                        .textAndToolCalls("Using \(RunFixture.key) now.", [("read", #"{"path":"README.md"}"#)]),
                        .text("The key is \(RunFixture.key)."),
                    ], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 100))
                try await fixture.assignOne()
                let run = try await fixture.run("run", "--until-idle", "--progress", "plain")
                #expect(run.status == 0, "\(run.stderr)")
                let seen = try await Self.everything(fixture, server: server)
                for (place, text) in seen where place != "model requests" {
                    #expect(!text.contains(RunFixture.key), "the key reached \(place)")
                }
                #expect(seen["sessions show"]!.contains("The key is \(Redactor.marker)."))
                #expect(seen["conversation"]!.contains("Using \(Redactor.marker) now."))
            }
        }

        static let osc52 = "\u{1B}]52;c;SGVsbG8=\u{07}"
        static let clearScreen = "\u{1B}[2J\u{1B}[H"

        @Test(
            "escape sequences in an issue title, a model summary and a reason are visible in show, logs, list and plain progress; JSON keeps them exact"
        )
        func hostileTextIsVisible() async throws {
            try await FakeModelServer.withServer { server in
                let summary = "All done.\(Self.osc52)\(Self.clearScreen)"
                server.setScript([.text(summary), .badRequest("refused \(Self.clearScreen)here")], for: "paid")
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 100))
                let title = "Fix the parser\(Self.clearScreen)"
                let issues = try JSONSerialization.data(withJSONObject: [
                    ["number": 1, "title": title, "body": "b"], ["number": 2, "title": "second", "body": "b"],
                ])
                try fixture.workspace.write("issues.json", String(decoding: issues, as: UTF8.self))
                #expect(
                    try await fixture.run(
                        "assign", "--repo", "acme/webapp", "--issues-file", "issues.json", "--agent", "implementer"
                    ).status == 0)
                let run = try await fixture.run("run", "--until-idle", "--concurrency", "1", "--progress", "plain")
                #expect(!run.stdout.contains("\u{1B}"), "\(run.stdout)")
                #expect(run.stdout.contains("refused ␛[2J␛[Hhere"), "\(run.stdout)")
                for arguments in [["sessions", "show", "1"], ["sessions", "logs", "1"], ["sessions", "list"]] {
                    let output = try await BackgroundAgentsched.run(
                        arguments, in: fixture.workspace.url, environment: RunFixture.environment)
                    #expect(!output.stdout.contains("\u{1B}") && !output.stdout.contains("\u{07}"), "\(arguments)")
                    if arguments[1] != "list" {
                        #expect(output.stdout.contains("␛[2J␛[H"), "\(arguments): \(output.stdout)")
                    }
                }
                let show = try await fixture.run("sessions", "show", "1")
                #expect(show.stdout.contains("␛]52;c;SGVsbG8=\\u{7}"), "\(show.stdout)")
                let json = try await fixture.run("sessions", "show", "1", "--format", "json")
                let strings = Self.strings(in: try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)))
                #expect(strings.contains(title))
                #expect(strings.contains { $0.contains(summary) }, "\(json.stdout)")
            }
        }

        /// Every string value in a decoded JSON document.
        static func strings(in value: Any) -> [String] {
            switch value {
            case let text as String: [text]
            case let array as [Any]: array.flatMap { strings(in: $0) }
            case let object as [String: Any]: object.values.flatMap { strings(in: $0) }
            default: []
            }
        }

        @Test("a server that is down is reported at once and plainly, after a few short retries")
        func refusedConnection() async throws {
            try await FakeModelServer.withServer { server in
                let fixture = try await RunFixture(server: server, policy: RunFixture.policy(budget: 100))
                let down = "http://127.0.0.1:9/v1"
                let catalog = RunFixture.catalog(server).replacingOccurrences(
                    of: server.baseURL(for: "paid").absoluteString, with: down)
                try fixture.workspace.write("policies/models.yaml", catalog)
                try await fixture.assignOne()
                let started = ContinuousClock.now
                let run = try await fixture.run("run", "--until-idle", "--progress", "plain")
                let elapsed = ContinuousClock.now - started
                #expect(elapsed < .seconds(25), "took \(elapsed); the catalog's timeout is 30 s")
                let session = try #require(try await fixture.ledger().session(1))
                #expect(session.state == .failed)
                #expect(
                    session.reason?.contains("cannot connect to \(down) (connection refused); is the server running?")
                        == true, "\(session.reason ?? "")")
                #expect(run.stdout.contains("connection refused"))
            }
        }
    }
}

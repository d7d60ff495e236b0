import AgentScheduler
import AgentSchedulerLedger
import AgentSchedulerServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The API's actions: assign, steer, cancel and follow-up, checked as the commands check them")
struct ActionsAPITests {
    static let assign =
        #"{"repository": "acme/webapp", "issues": [201], "title": "Fix the date parser", "agent": "implementer", "as": "alice"}"#

    @Test("a dry run answers the estimate and queues nothing; a real assign queues a session")
    func assign() async throws {
        let served = try await ServedWorkspace()
        let before = try await served.ledger.sessions(in: []).count
        try await served.test { client in
            let dry = try await client.post(
                "/api/v1/assign", json: Self.assign.replacingOccurrences(of: "}", with: #", "dry_run": true}"#))
            #expect(dry.status == .ok)
            let dryJSON = try dry.json()
            #expect((dryJSON["estimate"] as? [String: Any])?["text"] as? String != nil)
            #expect(((dryJSON["results"] as? [[String: Any]])?.first)?["dry_run"] as? Bool == true)

            let real = try await client.post("/api/v1/assign", json: Self.assign)
            #expect(real.status == .created)
            let result = try #require((try real.json()["results"] as? [[String: Any]])?.first)
            #expect(result["status"] as? String == "queued")
            #expect(result["session"] as? Int != nil)

            let again = try await client.post("/api/v1/assign", json: Self.assign)
            #expect(((try again.json()["results"] as? [[String: Any]])?.first)?["status"] as? String == "duplicate")
        }
        #expect(try await served.ledger.sessions(in: []).count == before + 1)
    }

    @Test("a user without the role is denied with the command's reason; an unknown model is a 400")
    func assignDenied() async throws {
        let served = try await ServedWorkspace()
        try await served.test { client in
            let dave = try await client.post(
                "/api/v1/assign", json: Self.assign.replacingOccurrences(of: "alice", with: "dave"))
            let result = try #require((try dave.json()["results"] as? [[String: Any]])?.first)
            #expect(result["status"] as? String == "denied")
            #expect((result["reason"] as? String)?.contains("dave") == true)

            let model = try await client.post(
                "/api/v1/assign", json: Self.assign.replacingOccurrences(of: "}", with: #", "model": "no-such-model"}"#)
            )
            #expect(model.status == .badRequest)
            #expect(model.text.contains("no model named 'no-such-model'"))
        }
    }

    @Test(
        "a malformed body is a 400 naming the problem",
        arguments: [
            (
                #"{"repository": "acme/webapp", "issues": [1], "title": "t", "agent": "implementer", "colour": "red"}"#,
                "unknown field 'colour'"
            ),
            (
                #"{"repository": "acme/webapp", "issues": "1", "title": "t", "agent": "implementer"}"#,
                "'issues' must be"
            ),
            (#"{"repository": "acme/webapp", "issues": [1], "title": "t"}"#, "missing field 'agent'"),
            (#"{"repository": "webapp", "issues": [1], "title": "t", "agent": "implementer"}"#, "OWNER/NAME"),
            (#"{"repository": "acme/webapp", "agent": "implementer"}"#, "say which issues"),
            (#"{"repository": "acme/webapp", "issues": [0], "title": "t", "agent": "implementer"}"#, "positive"),
            (#"[1, 2]"#, "JSON object"),
            (#"not json"#, "not JSON"),
            (#"{"repository": "acme/webapp", "issues": [5], "agent": "implementer"}"#, "no text for #5"),
        ])
    func malformed(body: String, message: String) async throws {
        let served = try await ServedWorkspace(shared: true)
        try await served.test { client in
            let response = try await client.post("/api/v1/assign", json: body)
            #expect(response.status == .badRequest)
            #expect(try response.errorCode() == "bad-request")
            #expect(response.text.contains(message), "\(response.text)")
        }
    }

    @Test("a body over 1 MiB is refused with 413")
    func tooLarge() async throws {
        let served = try await ServedWorkspace(shared: true)
        try await served.test { client in
            let response = try await client.post(
                "/api/v1/sessions/1/steer", json: #"{"message": ""# + String(repeating: "x", count: 1 << 21) + #""}"#)
            #expect(response.status == .contentTooLarge)
        }
    }

    @Test("steering a waiting session queues the message; a finished one is a 409, an empty message a 400")
    func steer() async throws {
        let served = try await ServedWorkspace()
        try await served.test { client in
            let assigned = try await client.post("/api/v1/assign", json: Self.assign)
            let id = try #require(((try assigned.json()["results"] as? [[String: Any]])?.first)?["session"] as? Int)
            let steered = try await client.post(
                "/api/v1/sessions/\(id)/steer", json: #"{"message": "Add a test too", "as": "alice"}"#)
            #expect(steered.status == .accepted)
            #expect(try steered.json()["message"] as? Int != nil)
            let empty = try await client.post("/api/v1/sessions/\(id)/steer", json: #"{"message": "  "}"#)
            #expect(empty.status == .badRequest)
        }
        let completed = try #require(try await served.ledger.sessions(in: [.completed]).first)
        try await served.test { client in
            let ended = try await client.post("/api/v1/sessions/\(completed.id)/steer", json: #"{"message": "more"}"#)
            #expect(ended.status == .conflict)
            #expect(try ended.errorCode() == "ended")
            let missing = try await client.post("/api/v1/sessions/424242/steer", json: #"{"message": "more"}"#)
            #expect(missing.status == .notFound)
        }
    }

    @Test("cancelling a queued session cancels it at once; cancelling again says it is final")
    func cancel() async throws {
        let served = try await ServedWorkspace()
        try await served.test { client in
            let assigned = try await client.post("/api/v1/assign", json: Self.assign)
            let id = try #require(((try assigned.json()["results"] as? [[String: Any]])?.first)?["session"] as? Int)
            let cancelled = try await client.post("/api/v1/sessions/\(id)/cancel", json: nil)
            #expect(cancelled.status == .ok)
            #expect(try cancelled.json()["outcome"] as? String == "cancelled")
            let again = try await client.post("/api/v1/sessions/\(id)/cancel", json: #"{"as": "bob"}"#)
            #expect(try again.json()["outcome"] as? String == "already-final")
        }
        let cancelled = try await served.ledger.sessions(in: [.cancelled])
        #expect(cancelled.count == 1)
    }

    @Test("a follow-up of a finished session is queued on its branch; a denied one has no branch")
    func followUp() async throws {
        let served = try await ServedWorkspace()
        let sessions = try await served.ledger.sessions(in: [])
        let branchHeads = Dictionary(grouping: sessions.filter { $0.outputs.branch != nil }, by: { $0.outputs.branch! })
        // The newest finished session of a branch is the one a follow-up continues.
        let last = try #require(
            branchHeads.values.compactMap { $0.max { $0.id < $1.id } }
                .filter { $0.state == .completed && $0.org == "acme" }.min { $0.id < $1.id })
        let denied = try #require(sessions.first { $0.state == .denied })
        try await served.test { client in
            let response = try await client.post(
                "/api/v1/sessions/\(last.id)/follow-up", json: #"{"message": "Rename the helper", "as": "alice"}"#)
            #expect(response.status == .created, "\(response.text)")
            let json = try response.json()
            #expect(json["follows"] as? Int == Int(last.id.rawValue))
            #expect(json["state"] as? String == "queued")
            let none = try await client.post(
                "/api/v1/sessions/\(denied.id)/follow-up", json: #"{"message": "x", "as": "alice"}"#)
            #expect(none.status == .conflict)
        }
    }

    @Test("an action without 'as' runs as the workspace's user (user: in agentsched.yaml)")
    func defaultUser() async throws {
        let served = try await ServedWorkspace()
        try await served.test { client in
            let response = try await client.post(
                "/api/v1/assign", json: Self.assign.replacingOccurrences(of: #", "as": "alice""#, with: ""))
            #expect(response.status == .created)
        }
        let queued = try #require(try await served.ledger.sessions(in: [.queued]).first)
        #expect(queued.assigner == "alice")
    }
}

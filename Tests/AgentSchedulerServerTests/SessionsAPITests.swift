import AgentScheduler
import AgentSchedulerLedger
import AgentSchedulerServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The sessions API: lists, one session, events and patches")
struct SessionsAPITests {
    /// A query of the list and what it keeps.
    struct Filter: Sendable, CustomTestStringConvertible {
        var query: String
        var states: Set<SessionState> = []
        var repository: String?
        var agent: String?
        var user: String?

        func keeps(_ session: SessionRecord) -> Bool {
            (states.isEmpty || states.contains(session.state)) && (repository.map { $0 == session.repository } ?? true)
                && (agent.map { $0 == session.agent } ?? true) && (user.map { $0 == session.assigner } ?? true)
        }

        var testDescription: String { query }
    }

    @Test(
        "the list filters by state, repository, agent and user",
        arguments: [
            Filter(query: "state=denied", states: [.denied]),
            Filter(query: "state=completed,denied", states: [.completed, .denied]),
            Filter(query: "repo=ACME/webapp", repository: "acme/webapp"),
            Filter(query: "agent=implementer", agent: "implementer"),
            Filter(query: "user=dave", user: "dave"),
            Filter(query: "agent=implementer&state=completed", states: [.completed], agent: "implementer"),
        ])
    func listFilters(filter: Filter) async throws {
        let served = try await ServedWorkspace(shared: true)
        let expected = try await served.ledger.sessions(in: []).filter(filter.keeps).map(\.id)
        try #require(!expected.isEmpty, "the demo has sessions for \(filter.query)")
        let ids = try await served.test { client in
            let response = try await client.get("/api/v1/sessions?\(filter.query)")
            #expect(response.status == .ok)
            let sessions = try #require(try response.json()["sessions"] as? [[String: Any]])
            return sessions.compactMap { ($0["id"] as? Int).map { SessionID(Int64($0)) } }
        }
        #expect(ids == expected)
    }

    @Test("one session's spend, read from its own charges, is what the list aggregates for it")
    func oneSessionSpendMatchesTheList() async throws {
        let served = try await ServedWorkspace(shared: true)
        let all = try await SessionSummary.load(from: served.ledger)
        try #require(all.contains { $0.modelRequests > 0 })
        for summary in all {
            #expect(try await SessionSummary.load(summary.session, from: served.ledger) == summary)
        }
    }

    @Test("an unknown state is a 400 that lists the states")
    func unknownState() async throws {
        let served = try await ServedWorkspace(shared: true)
        try await served.test { client in
            let response = try await client.get("/api/v1/sessions?state=finished")
            #expect(response.status == .badRequest)
            #expect(try response.errorCode() == "bad-request")
            #expect(response.text.contains("timed-out"))
        }
    }

    @Test("one session has its spend, outputs and pull request; a missing one is a 404 in the error shape")
    func oneSession() async throws {
        let served = try await ServedWorkspace(shared: true)
        let completed = try #require(try await served.ledger.sessions(in: [.completed]).first)
        try await served.test { client in
            let response = try await client.get("/api/v1/sessions/\(completed.id)")
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["state"] as? String == "completed")
            #expect(json["title"] as? String == completed.title)
            #expect((json["pull_request"] as? [String: Any])?["url"] as? String == completed.outputs.pullRequest?.url)
            for path in ["/api/v1/sessions/999999", "/api/v1/sessions/abc", "/api/v1/sessions/-1/events"] {
                let missing = try await client.get(path)
                #expect(missing.status == .notFound, "\(path)")
                #expect(try missing.errorCode() == "not-found")
            }
        }
    }

    @Test("events come in pages: limit, then next as the following page's after")
    func eventPages() async throws {
        let served = try await ServedWorkspace(shared: true)
        let session = try #require(try await served.ledger.sessions(in: [.completed]).first)
        let all = try await served.ledger.events(session: session.id, after: 0).map(\.id)
        try #require(all.count > 3)
        let paged = try await served.test { client in
            var ids: [Int64] = []
            var after: Int64 = 0
            while true {
                let response = try await client.get("/api/v1/sessions/\(session.id)/events?after=\(after)&limit=2")
                #expect(response.status == .ok)
                let json = try response.json()
                let events = try #require(json["events"] as? [[String: Any]])
                #expect(events.count <= 2)
                ids += events.compactMap { ($0["id"] as? Int).map(Int64.init) }
                for event in events {
                    let kind = try #require(event["kind"] as? String)
                    #expect((event["line"] as? String)?.contains(kind) == true)
                }
                guard let next = json["next"] as? Int else { break }
                after = Int64(next)
            }
            return ids
        }
        #expect(paged == all)
    }

    @Test("a bad after or limit is a 400", arguments: ["after=x", "after=-3", "limit=0", "limit=5000"])
    func badPaging(query: String) async throws {
        let served = try await ServedWorkspace(shared: true)
        try await served.test { client in
            let response = try await client.get("/api/v1/events?\(query)")
            #expect(response.status == .badRequest)
        }
    }

    @Test("a session's patch is served as text; a session without one is a 404")
    func patch() async throws {
        let served = try await ServedWorkspace(shared: true)
        let sessions = try await served.ledger.sessions(in: [])
        let patched = try #require(sessions.first { $0.outputs.patch != nil })
        let denied = try #require(sessions.first { $0.state == .denied })
        try await served.test { client in
            let response = try await client.get("/api/v1/sessions/\(patched.id)/patch")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/x-diff") == true)
            #expect(response.text.contains("diff --git"))
            let none = try await client.get("/api/v1/sessions/\(denied.id)/patch")
            #expect(none.status == .notFound)
        }
    }

    @Test("a patch path outside the state folder is never read")
    func patchOutsideState() async throws {
        let served = try await ServedWorkspace()
        let session = try #require(try await served.ledger.sessions(in: [.completed]).first)
        var outputs = session.outputs
        outputs.patch = "/etc/passwd"
        try await served.ledger.recordOutputs(session.id, outputs, at: Date())
        try await served.test { client in
            let response = try await client.get("/api/v1/sessions/\(session.id)/patch")
            #expect(response.status == .notFound)
            #expect(!response.text.contains("root:"))
        }
    }

    @Test("every answer carries the strict Content-Security-Policy and no-sniff")
    func securityHeaders() async throws {
        let served = try await ServedWorkspace(shared: true)
        try await served.test { client in
            for path in ["/api/v1/sessions", "/api/v1/nothing", "/api/v1/openapi.json"] {
                let response = try await client.get(path)
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true, "\(path)")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            }
        }
    }
}

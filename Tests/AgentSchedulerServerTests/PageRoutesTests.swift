import AgentSchedulerLedger
import AgentSchedulerServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("The Agents page as served: pages, assets and forms")
struct PageRoutesTests {
    static let hostile = #"<img src=x onerror=alert(1)>"#

    /// Posts a form as the page's own browser would: urlencoded, from this origin.
    static func post(_ client: any TestClientProtocol, _ path: String, _ fields: String) async throws -> TestResponse {
        try await client.execute(
            uri: path, method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .origin: "http://localhost"],
            body: ByteBuffer(string: fields))
    }

    @Test(
        "every page is HTML under the strict policy, and loads only this server's script",
        arguments: ["/", "/sessions/1", "/new", "/usage", "/login", "/no-such-page"])
    func pages(path: String) async throws {
        let served = try await ServedWorkspace(shared: true)
        try await served.test { client in
            let response = try await client.get(path)
            #expect(response.status == (path == "/no-such-page" ? .notFound : .ok))
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            let scripts = response.text.matches(of: /<script[^>]*>/).map { String($0.0) }
            #expect(scripts == [#"<script src="/assets/app.js" defer>"#])
        }
    }

    @Test("the script and stylesheet are served with their types")
    func assets() async throws {
        let served = try await ServedWorkspace(token: "page-token", shared: true)
        try await served.test { client in
            let script = try await client.get(AgentsPageAssets.scriptPath)
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.text == AgentsPageAssets.script)
            let style = try await client.get(AgentsPageAssets.stylesheetPath)
            #expect(style.headers[.contentType] == "text/css; charset=utf-8")
        }
    }

    @Test("an issue titled as an XSS payload is text on the board and on its session page")
    func hostileTitle() async throws {
        let served = try await ServedWorkspace()
        let created = try await served.ledger.createSession(
            NewSession(
                org: "acme", repository: "acme/webapp", issue: 777, title: Self.hostile,
                body: "\"><script>alert(2)</script>",
                agent: "implementer", assigner: "alice", model: "claude-sonnet-4.5"), at: Date())
        try await served.test { client in
            for path in ["/", "/sessions/\(created.id)"] {
                let page = try await client.get(path).text
                #expect(!page.contains(Self.hostile), "\(path)")
                #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;"), "\(path)")
                #expect(!page.contains("<script>alert(2)"), "\(path)")
            }
        }
    }

    @Test(
        "the steer form queues the message and redirects to a fixed notice; an empty message re-renders with the reason"
    )
    func steerForm() async throws {
        let served = try await ServedWorkspace()
        let created = try await served.ledger.createSession(
            NewSession(
                org: "acme", repository: "acme/webapp", issue: 778, title: "Waiting", agent: "implementer",
                assigner: "alice", model: "claude-sonnet-4.5"), at: Date())
        try await served.test { client in
            let steered = try await Self.post(client, "/sessions/\(created.id)/steer", "message=Use+the+new+parser")
            #expect(steered.status == .seeOther)
            #expect(steered.headers[.location] == "/sessions/\(created.id)?done=steered")
            let page = try await client.get("/sessions/\(created.id)?done=steered")
            #expect(page.text.contains("Message queued"))
            let empty = try await Self.post(client, "/sessions/\(created.id)/steer", "message=+")
            #expect(empty.status == .badRequest)
            #expect(empty.text.contains(#"role="alert""#))
            let unknown = try await client.get("/sessions/\(created.id)?done=%3Cscript%3E")
            #expect(!unknown.text.contains("<script>"))
        }
    }

    @Test("the cancel form cancels a waiting session; a form from another site is refused")
    func cancelForm() async throws {
        let served = try await ServedWorkspace()
        let created = try await served.ledger.createSession(
            NewSession(
                org: "acme", repository: "acme/webapp", issue: 779, title: "Waiting", agent: "implementer",
                assigner: "alice", model: "claude-sonnet-4.5"), at: Date())
        try await served.test { client in
            let forged = try await client.execute(
                uri: "/sessions/\(created.id)/cancel", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .origin: "http://evil.example"],
                body: ByteBuffer(string: ""))
            #expect(forged.status == .forbidden)
            let cancelled = try await Self.post(client, "/sessions/\(created.id)/cancel", "as=alice")
            #expect(cancelled.headers[.location] == "/sessions/\(created.id)?done=cancelled")
        }
        #expect(try await served.ledger.session(created.id)?.state == .cancelled)
    }

    @Test("the new task form estimates without queueing, then assigns")
    func newTaskForm() async throws {
        let served = try await ServedWorkspace()
        let before = try await served.ledger.sessions(in: []).count
        try await served.test { client in
            let fields = "repository=acme%2Fwebapp&issues=401&title=Fix+it&agent=implementer&model=&as=alice"
            let estimate = try await Self.post(client, "/assign", fields + "&action=estimate")
            #expect(estimate.status == .ok)
            #expect(estimate.text.contains(#"<section id="estimate""#))
            #expect(estimate.text.contains("would queue"))
            #expect(estimate.text.contains("Estimate only"))
            let assigned = try await Self.post(client, "/assign", fields + "&action=assign")
            #expect(assigned.text.contains("1 session queued."))
            let bad = try await Self.post(
                client, "/assign", "repository=acme%2Fwebapp&issues=x&agent=implementer&action=assign")
            #expect(bad.text.contains(#"role="alert""#))
        }
        #expect(try await served.ledger.sessions(in: []).count == before + 1)
    }
}

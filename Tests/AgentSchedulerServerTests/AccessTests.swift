import AgentSchedulerServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Who may use the server: the token, the sign-in cookie and the same-origin check")
struct AccessTests {
    static let token = "s3cret-serve-token"

    @Test(
        "with a token, a request without it is refused: 401 for the API, the sign-in page for pages",
        arguments: [
            ("/api/v1/sessions", HTTPResponse.Status.unauthorized),
            ("/api/v1/openapi.json", .unauthorized),
            ("/", .seeOther),
            ("/sessions/1", .seeOther),
        ])
    func tokenRequired(path: String, status: HTTPResponse.Status) async throws {
        let served = try await ServedWorkspace(token: Self.token, shared: true)
        try await served.test { client in
            let response = try await client.get(path)
            #expect(response.status == status)
            if status == .seeOther { #expect(response.headers[.location] == "/login") }
            let wrong = try await client.get(path, headers: [.authorization: "Bearer not-the-token"])
            #expect(wrong.status == status)
            let right = try await client.get(path, headers: [.authorization: "Bearer \(Self.token)"])
            #expect(right.status != status)
        }
    }

    @Test("the sign-in page, the assets and the webhook need no token")
    func openPaths() async throws {
        let served = try await ServedWorkspace(token: Self.token, shared: true)
        try await served.test { client in
            let login = try await client.get("/login")
            #expect(login.status == .ok)
            #expect(login.headers[.contentType]?.hasPrefix("text/html") == true)
        }
    }

    @Test("signing in with the token sets an HttpOnly, SameSite=Strict cookie that is not the token")
    func signIn() async throws {
        let served = try await ServedWorkspace(token: Self.token, shared: true)
        try await served.test { client in
            let wrong = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=guess"))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)
            let right = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=\(Self.token)"))
            #expect(right.status == .seeOther)
            let cookie = try #require(right.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains(Self.token))
            let pair = try #require(cookie.split(separator: ";").first.map(String.init))
            let api = try await client.get("/api/v1/sessions", headers: [.cookie: pair])
            #expect(api.status == .ok)
            let forged = try await client.get("/api/v1/sessions", headers: [.cookie: "agentsched_session=00ff"])
            #expect(forged.status == .unauthorized)
        }
    }

    @Test(
        "an action from another site is refused (CSRF), from this origin it runs",
        arguments: [
            (HTTPFields([HTTPField(name: .origin, value: "http://evil.example")]), false),
            (HTTPFields([HTTPField(name: .origin, value: "null")]), false),
            (HTTPFields([HTTPField(name: HTTPField.Name("Sec-Fetch-Site")!, value: "cross-site")]), false),
            (HTTPFields([HTTPField(name: .origin, value: "http://localhost")]), true),
            (HTTPFields([HTTPField(name: HTTPField.Name("Sec-Fetch-Site")!, value: "same-origin")]), true),
        ])
    func sameOrigin(headers: HTTPFields, allowed: Bool) async throws {
        let served = try await ServedWorkspace()
        try await served.test { client in
            let response = try await client.post("/api/v1/sessions/999999/cancel", json: nil, headers: headers)
            if allowed {
                #expect(response.status == .notFound)
            } else {
                #expect(response.status == .forbidden)
                #expect(try response.errorCode() == "csrf")
            }
        }
    }

    @Test("with a token, the cookie does not get past the same-origin check; the bearer token is not a browser's")
    func cookieNeedsSameOrigin() async throws {
        let served = try await ServedWorkspace(token: Self.token)
        try await served.test { client in
            let signedIn = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=\(Self.token)"))
            let cookie = try #require(signedIn.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let forged = try await client.post(
                "/api/v1/sessions/999999/cancel", json: nil, headers: [.cookie: cookie, .origin: "http://evil.example"])
            #expect(forged.status == .forbidden)
            let script = try await client.post(
                "/api/v1/sessions/999999/cancel", json: nil,
                headers: [.authorization: "Bearer \(Self.token)", .origin: "http://evil.example"])
            #expect(script.status == .notFound)
        }
    }
}

import AgentSchedulerTesting
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The fake GitHub itself, spoken to with a plain HTTP client: it must refuse what GitHub refuses.
@Suite("FakeGitHubServer is as strict as GitHub")
struct FakeGitHubServerTests {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    static func send(
        _ method: HTTPMethod = .GET, _ url: String, headers: [String: String?] = [:], body: String? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        let defaults: [String: String?] = [
            "User-Agent": "tests", "Authorization": "Bearer \(testToken)", "X-GitHub-Api-Version": "2022-11-28",
            "Accept": "application/vnd.github+json",
        ]
        for (name, value) in defaults.merging(headers, uniquingKeysWith: { $1 }) {
            if let value { request.headers.add(name: name, value: value) }
        }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        var collected: [String: String] = [:]
        for (name, value) in response.headers { collected[name.lowercased()] = value }
        return Answer(status: Int(response.status.code), headers: collected, body: String(buffer: bytes))
    }

    static func withFake(_ body: (FakeGitHubServer, String) async throws -> Void) async throws {
        try await FakeGitHubServer.withServer { github in
            github.addToken(testToken, login: "agentsched-bot")
            github.addRepository("acme/api", cloneURL: "file:///srv/git/acme/api.git")
            try await body(github, github.apiURL.absoluteString)
        }
    }

    static let refusals: [(name: String, headers: [String: String?], body: String?, status: Int, message: String)] = [
        ("no User-Agent", ["User-Agent": nil], nil, 403, "User-Agent"),
        ("no token", ["Authorization": nil], nil, 401, "Bad credentials"),
        ("a wrong token", ["Authorization": "Bearer nope"], nil, 401, "Bad credentials"),
        ("no API version", ["X-GitHub-Api-Version": nil], nil, 400, "X-GitHub-Api-Version"),
        ("a wrong API version", ["X-GitHub-Api-Version": "2099-01-01"], nil, 400, "Invalid API version"),
    ]

    @Test(arguments: refusals)
    func refuses(name: String, headers: [String: String?], body: String?, status: Int, message: String) async throws {
        try await Self.withFake { github, api in
            let answer = try await Self.send(.GET, api + "/repos/acme/api", headers: headers)
            #expect(answer.status == status, "\(name)")
            #expect(answer.body.contains(message), "\(name)")
            #expect(github.requests.allSatisfy { !"\($0)".contains(testToken) })
        }
    }

    @Test func postBodiesMustBeJSON() async throws {
        try await Self.withFake { github, api in
            let number = github.addIssue(in: "acme/api", title: "T")
            let url = api + "/repos/acme/api/issues/\(number)/comments"
            let text = try await Self.send(.POST, url, headers: ["Content-Type": "text/plain"], body: "hi")
            #expect(text.status == 415)
            let broken = try await Self.send(.POST, url, headers: ["Content-Type": "application/json"], body: "{hi")
            #expect(broken.status == 400)
            #expect(broken.body.contains("Problems parsing JSON"))
            let empty = try await Self.send(.POST, url, headers: ["Content-Type": "application/json"], body: "{}")
            #expect(empty.status == 422)
            #expect(github.comments(on: number, in: "acme/api").isEmpty)
        }
    }

    @Test func pagesCarryLinksETagsAndRateLimitHeaders() async throws {
        try await Self.withFake { github, api in
            for index in 0..<5 { github.addIssue(in: "acme/api", title: "Issue \(index)") }
            let first = try await Self.send(.GET, api + "/repos/acme/api/issues?per_page=2")
            #expect(first.status == 200)
            #expect(first.headers["link"]?.contains("page=2&per_page=2>; rel=\"next\"") == true)
            #expect(first.headers["link"]?.contains("page=3&per_page=2>; rel=\"last\"") == true)
            #expect(first.headers["x-ratelimit-remaining"] == "4999")
            #expect(first.headers["x-ratelimit-used"] == "1")
            #expect(first.headers["x-ratelimit-resource"] == "core")
            let etag = try #require(first.headers["etag"])
            let again = try await Self.send(
                .GET, api + "/repos/acme/api/issues?per_page=2", headers: ["If-None-Match": etag])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            #expect(again.headers["x-ratelimit-used"] == "1")
            let last = try await Self.send(.GET, api + "/repos/acme/api/issues?per_page=2&page=3")
            #expect(last.headers["link"]?.contains("rel=\"next\"") == false)
            #expect(last.body.contains("Issue 0"))
            let log = github.requests
            #expect(log.map(\.conditional) == [false, true, false])
            #expect(log.map(\.status) == [200, 304, 200])
        }
    }

    @Test func reviewCannotBeRequestedFromTheAuthor() async throws {
        try await Self.withFake { github, api in
            github.setPermission("write", for: "mona", in: "acme/api")
            let pull = github.addPullRequest(in: "acme/api", head: "feature", title: "T", author: "mona")
            let answer = try await Self.send(
                .POST, api + "/repos/acme/api/pulls/\(pull)/requested_reviewers",
                headers: ["Content-Type": "application/json"], body: #"{"reviewers":["mona"]}"#)
            #expect(answer.status == 422)
            #expect(answer.body.contains("Review cannot be requested from pull request author."))
        }
    }

    @Test func unknownRepositoriesAndPathsAreNotFound() async throws {
        try await Self.withFake { _, api in
            for path in ["/repos/acme/nothing", "/repos/acme/api/issues/77", "/nowhere"] {
                let answer = try await Self.send(.GET, api + path)
                #expect(answer.status == 404, "\(path)")
                #expect(answer.body.contains("Not Found"), "\(path)")
            }
        }
    }
}

import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension GitHubForge {
    /// `GET path` that must succeed.
    func get(_ path: String) async throws -> GitHubReply {
        let reply = try await exchange("GET", try endpoint(path))
        try expectSuccess(reply, notFound: "\(path) was not found on GitHub")
        return reply
    }

    /// Sends one request and returns GitHub's answer once it is final: a 2xx, a 304, or a 4xx other
    /// than 401 and rate limits, which the caller turns into an error that fits.
    ///
    /// Throws `.unauthorized` on 401, `.rateLimited` when a rate limit would last longer than the
    /// configuration accepts, `.unreachable` once 5xx answers or connection failures have used up the
    /// attempts, and `.malformed` for an answer larger than the body limit.
    ///
    /// A request that is not `repeatable` (a comment: sent twice, it is written twice) is sent once
    /// when the outcome is unknown: a 5xx or a lost connection throws `.unreachable` at once, saying
    /// that it may have been done. Rate limits are answered before anything is done, so they are
    /// waited out and retried either way.
    func exchange(
        _ method: String, _ url: URL, body: (any Encodable & Sendable)? = nil, ifNoneMatch etag: String? = nil,
        repeatable: Bool = true
    ) async throws -> GitHubReply {
        let target = Self.target(of: url)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Accept", value: "application/vnd.github+json")
        request.headers.add(name: "X-GitHub-Api-Version", value: "2022-11-28")
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        if let etag { request.headers.add(name: "If-None-Match", value: etag) }
        if let body {
            let data = try GitHubWire.encoder.encode(body)
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        var attempt = 0
        var rateLimitWaits = 0
        while true {
            attempt += 1
            let reply: GitHubReply
            do {
                reply = try await send(request, method: method, target: target)
            } catch let error as ForgeError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let reason = GitHubReply.describe(error)
                log(method, target, outcome: "failed: \(reason)", attempt: attempt, reply: nil)
                guard repeatable else {
                    throw ForgeError.unreachable(
                        "\(method) \(target) failed and may have been done; not sent again: \(reason)")
                }
                guard attempt < configuration.maxAttempts else {
                    throw ForgeError.unreachable("\(method) \(target) failed \(attempt) times: \(reason)")
                }
                try await clock.sleep(for: backoff(after: attempt))
                continue
            }
            log(method, target, outcome: "\(reply.status)", attempt: attempt, reply: reply)
            switch reply.status {
            case 401:
                throw ForgeError.unauthorized(variable: configuration.tokenVariable)
            case 403, 429:
                guard let wait = rateLimitWait(reply) else { return reply }
                rateLimitWaits += 1
                guard wait <= configuration.longestRateLimitWait, rateLimitWaits <= configuration.maxRateLimitWaits
                else {
                    throw ForgeError.rateLimited(until: wallClock.now().addingTimeInterval(Self.seconds(wait)))
                }
                attempt -= 1  // a rate limit is not a failed attempt
                try await clock.sleep(for: wait)
            case 500...599:
                guard repeatable else {
                    throw ForgeError.unreachable(
                        "\(method) \(target) answered \(reply.status) and may have been done; not sent again")
                }
                guard attempt < configuration.maxAttempts else {
                    throw ForgeError.unreachable("\(method) \(target) answered \(reply.status) \(attempt) times")
                }
                try await clock.sleep(for: backoff(after: attempt))
            default:
                return reply
            }
        }
    }

    /// Throws for a reply that is not a 2xx: `.notFound(notFound)` for 404, and otherwise GitHub's
    /// message on one line.
    func expectSuccess(_ reply: GitHubReply, notFound: String) throws {
        switch reply.status {
        case 200..<300: return
        case 404: throw ForgeError.notFound(notFound)
        default:
            throw ForgeError.conflict(
                "GitHub refused \(reply.method) \(reply.target) (\(reply.status)): \(reply.failureSummary)")
        }
    }

    /// The next page of a list, refused when it points to another host than the API's.
    func nextPage(of reply: GitHubReply) throws -> URL? {
        guard let next = reply.nextPage else { return nil }
        guard isOnAPIHost(next) else {
            throw ForgeError.malformed("\(reply.method) \(reply.target) links its next page to another host")
        }
        return next
    }

    /// Whether `url` is on the API's scheme, host and port: the only place the token may go.
    func isOnAPIHost(_ url: URL) -> Bool {
        let api = configuration.apiURL
        return url.scheme?.lowercased() == api.scheme?.lowercased() && url.host?.lowercased() == api.host?.lowercased()
            && url.port == api.port
    }

    /// The API's URL for `path` (which starts with `/`) and `query`, each value percent-encoded.
    func endpoint(_ path: String, _ query: [(String, String)] = []) throws -> URL {
        var text = configuration.apiURL.absoluteString + path
        if !query.isEmpty {
            text += "?" + query.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
        }
        guard let url = URL(string: text) else { throw ForgeError.malformed("cannot make a URL of \(path)") }
        return url
    }

    /// `/repos/OWNER/NAME`; throws `.notFound` when `repository` is not of that form.
    func repositoryPath(_ repository: String) throws -> String {
        let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw ForgeError.notFound("\(repository) is not a GitHub repository name of the form OWNER/NAME")
        }
        return
            "/repos/\(try Self.segment(String(parts[0]), what: "owner"))/\(try Self.segment(String(parts[1]), what: "repository name"))"
    }

    /// `text` as one path segment: letters, digits, `-`, `_` and `.` only, as GitHub allows in
    /// owners, repository names and logins.
    static func segment(_ text: String, what: String) throws -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !text.isEmpty, text != ".", text != "..",
            text.unicodeScalars.allSatisfy({ allowed.contains($0) && $0.isASCII })
        else { throw ForgeError.notFound("\(text.debugDescription) is not a valid GitHub \(what)") }
        return text
    }

    /// How long to wait before retrying a 403 or 429, or `nil` when it is not a rate limit.
    ///
    /// Follows GitHub's guidance: `retry-after` first (a secondary limit), then a used-up primary
    /// limit until `x-ratelimit-reset`, then a minute for a 429 or a 403 that says it is a rate limit.
    func rateLimitWait(_ reply: GitHubReply) -> Duration? {
        if let text = reply.headers.first(name: "retry-after"),
            let seconds = Int(text.trimmingCharacters(in: .whitespaces))
        {
            return .seconds(max(0, seconds))
        }
        if reply.headers.first(name: "x-ratelimit-remaining") == "0",
            let text = reply.headers.first(name: "x-ratelimit-reset"), let reset = TimeInterval(text)
        {
            let seconds = reset - wallClock.now().timeIntervalSince1970
            return .milliseconds(Int64((max(0, seconds) + 1) * 1000))
        }
        if reply.status == 429 || reply.failureSummary.lowercased().contains("rate limit") {
            return .seconds(60)
        }
        return nil
    }

    private func backoff(after attempt: Int) -> Duration {
        let factor = 1 << min(attempt - 1, 20)
        return min(configuration.initialBackoff * factor, configuration.longestBackoff)
    }

    private func send(_ request: HTTPClientRequest, method: String, target: String) async throws -> GitHubReply {
        let client = try running()
        let timeout = Self.timeAmount(configuration.requestTimeout)
        let response = try await client.execute(request, timeout: timeout)
        var body = ByteBuffer()
        do {
            body = try await response.body.collect(upTo: configuration.bodyLimit)
        } catch is NIOTooManyBytesError {
            throw ForgeError.malformed("\(method) \(target) answered more than \(configuration.bodyLimit) bytes")
        }
        return GitHubReply(
            method: method, target: target, status: Int(response.status.code), headers: response.headers, body: body)
    }

    private func running() throws -> HTTPClient {
        if let client { return client }
        guard !isShutDown else { throw CancellationError() }
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: Self.timeAmount(self.configuration.requestTimeout)),
            decompression: .disabled)
        configuration.httpVersion = .http1Only
        let client = HTTPClient(eventLoopGroup: .singletonMultiThreadedEventLoopGroup, configuration: configuration)
        self.client = client
        return client
    }

    private func log(_ method: String, _ target: String, outcome: String, attempt: Int, reply: GitHubReply?) {
        var metadata: Logger.Metadata = [
            "method": .string(method), "path": .string(target), "outcome": .string(outcome),
            "attempt": .stringConvertible(attempt),
        ]
        if let remaining = reply?.headers.first(name: "x-ratelimit-remaining") {
            metadata["rate-limit-remaining"] = .string(remaining)
        }
        logger.debug("GitHub request", metadata: metadata)
    }

    /// The path and query of `url`, without scheme, host or credentials.
    static func target(of url: URL) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? url.path
        return components?.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
    }

    static func encode(_ value: String) -> String {
        let unreserved = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

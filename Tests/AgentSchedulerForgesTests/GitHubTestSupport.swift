import AgentSchedulerForges
import AgentSchedulerTesting
import Foundation
import Logging
import Synchronization

/// A clock whose sleeps return at once, having moved its time on: rate-limit and backoff waits cost
/// the tests nothing, and the waits asked for can be read back.
final class SkippingClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))

    var now: Instant { Instant(offset: state.withLock { $0.now }) }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(max(.zero, deadline.offset - state.now))
            state.now = max(state.now, deadline.offset)
        }
        await Task.yield()
    }

    /// Every wait asked for, in order.
    var sleeps: [Duration] { state.withLock { $0.sleeps } }
}

/// Keeps every line logged through its `logger`, metadata included, as text.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "github-tests") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    var text: [String] { lines.withLock { $0 } }

    fileprivate func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(
            level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
            function: String, line: UInt
        ) {
            let merged = self.metadata.merging(metadata ?? [:]) { $1 }
            let pairs = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.append("\(level) \(message) \(pairs)")
        }
    }
}

/// The token the tests' forge sends; it must never show up in a log line, an error or a request log.
let testToken = "ghp_SECRET0123456789abcdefTOKEN"

/// Starts a fake GitHub with `acme/api` and a token for `agentsched-bot`, makes a `GitHubForge`
/// against it with a skipping clock, runs `body`, and shuts the forge down.
func withGitHub<T>(
    pathPrefix: String = "", maxAttempts: Int = 4, longestRateLimitWait: Duration = .seconds(900),
    requestTimeout: Duration = .seconds(60),
    _ body: (FakeGitHubServer, GitHubForge, SkippingClock, LogCapture) async throws -> T
) async throws -> T {
    try await FakeGitHubServer.withServer(pathPrefix: pathPrefix) { github in
        github.addToken(testToken, login: "agentsched-bot")
        github.addRepository("acme/api", cloneURL: "file:///srv/git/acme/api.git", branches: ["feature"])
        let clock = SkippingClock()
        let logs = LogCapture()
        let configuration = try GitHubForge.Configuration(
            apiURL: github.apiURL, tokenVariable: "AGENTSCHED_TEST_TOKEN", token: testToken, maxAttempts: maxAttempts,
            longestRateLimitWait: longestRateLimitWait, requestTimeout: requestTimeout)
        let forge = GitHubForge(configuration: configuration, logger: logs.logger, clock: clock)
        do {
            let result = try await body(github, forge, clock, logs)
            try await forge.shutdown()
            return result
        } catch {
            try? await forge.shutdown()
            throw error
        }
    }
}

/// The error `body` throws as a `ForgeError`, or `nil` when it throws nothing or something else.
func forgeError(_ body: () async throws -> Void) async -> ForgeError? {
    do {
        try await body()
        return nil
    } catch let error as ForgeError {
        return error
    } catch {
        return nil
    }
}

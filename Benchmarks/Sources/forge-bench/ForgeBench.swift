import AgentSchedulerForges
import AgentSchedulerTesting
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// `GitHubForge` against the fake GitHub: listing issues by label over ten pages, and a feedback
/// pass over many open pull requests with nothing new and with a few new comments, each beside a
/// raw baseline of plain `HTTPClient` GETs of the same pages.
///
///     swift run -c release forge-bench --issues 1000 --pulls 100 --new-comments 10 --runs 5 \
///         [--agentsched ../.build/release/agentsched]
///
/// With `--agentsched`, the built binary's `assign --label bug --dry-run` is also timed end to
/// end over the same issues (a copy of the example team, `acme/api` on the fake GitHub): process
/// start, workspace load, every page, the permission question and every check.
///
/// The fake closes every connection after its answer, so every request pays for a new connection
/// in both the forge and the baseline.
@main
struct ForgeBench {
    static let token = "bench-token-not-secret"

    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String, _ value: String) -> Int {
            Int(arguments.firstIndex(of: name).map { arguments[$0 + 1] } ?? value)!
        }
        let issueCount = option("--issues", "1000")
        let pullCount = option("--pulls", "100")
        let newComments = option("--new-comments", "10")
        let runs = option("--runs", "5")

        try await FakeGitHubServer.withServer { @Sendable github in
            github.addToken(token, login: "agentsched-bot")
            github.addRepository("acme/api", cloneURL: "file:///dev/null")
            for index in 0..<issueCount {
                github.addIssue(
                    in: "acme/api", title: "Issue \(index)", body: "Body of issue \(index)", labels: ["bug"])
            }
            for index in 0..<(issueCount / 10) {
                github.addIssue(in: "acme/api", title: "Docs \(index)", labels: ["docs"])
            }
            let configuration = try GitHubForge.Configuration(apiURL: github.apiURL, token: token)
            let forge = GitHubForge(configuration: configuration, logger: Logger(label: "forge-bench"))
            let raw = HTTPClient(eventLoopGroup: .singletonMultiThreadedEventLoopGroup)

            var listing: [Double] = []
            var count = 0
            for _ in 0..<runs {
                github.clearRequests()
                let (seconds, issues) = try await time {
                    try await forge.issues(in: "acme/api", matching: IssueQuery(label: "bug"))
                }
                listing.append(seconds)
                count = issues.count
            }
            let listingRequests = github.requests.count
            var baseline: [Double] = []
            for _ in 0..<runs {
                let first = github.apiURL.absoluteString + "/repos/acme/api/issues?state=open&per_page=100&labels=bug"
                baseline.append(try await time { try await rawPages(from: first, with: raw) }.0)
            }
            print("issues by label: \(count) issues, \(listingRequests) requests a listing")
            report("  GitHubForge.issues", listing)
            report("  raw HTTPClient GETs", baseline)
            if let index = arguments.firstIndex(of: "--agentsched") {
                try await assignThroughBinary(arguments[index + 1], github: github, runs: runs)
            }

            var pulls: [Int] = []
            for index in 0..<pullCount {
                let pull = github.addPullRequest(
                    in: "acme/api", head: "agentsched/\(index)", title: "PR \(index)", author: "agentsched-bot")
                github.addIssueComment(on: pull, in: "acme/api", author: "mona", body: "first look")
                pulls.append(pull)
            }
            var cursors: [Int: FeedbackCursor] = [:]
            for pull in pulls {
                cursors[pull] = try await forge.feedback(on: pull, in: "acme/api", after: nil).cursor
            }
            github.clearRequests()
            let (idleSeconds, idleFound) = try await pass(forge, pulls, &cursors)
            let idleRequests = github.requests
            print(
                "feedback over \(pullCount) pull requests, nothing new: \(idleFound) comments, \(idleRequests.count) requests (\(idleRequests.filter { $0.status == 304 }.count) answered 304), \(format(idleSeconds))"
            )
            for pull in pulls.prefix(newComments) {
                github.addIssueComment(on: pull, in: "acme/api", author: "mona", body: "@agentsched one more thing")
            }
            github.clearRequests()
            let (newSeconds, newFound) = try await pass(forge, pulls, &cursors)
            print(
                "feedback over \(pullCount) pull requests, \(newComments) new comments: \(newFound) comments, \(github.requests.count) requests (\(github.requests.filter { $0.status == 200 }.count) answered 200), \(format(newSeconds))"
            )
            let targets = idleRequests.map { github.apiURL.absoluteString + $0.target }
            let (rawSeconds, _) = try await time {
                for target in targets { _ = try await rawGet(target, with: raw) }
            }
            print("  raw HTTPClient GETs of the same \(targets.count) lists: \(format(rawSeconds))")
            try await forge.shutdown()
            try await raw.shutdown()
        }
    }

    static func pass(
        _ forge: GitHubForge, _ pulls: [Int], _ cursors: inout [Int: FeedbackCursor]
    ) async throws -> (
        Double, Int
    ) {
        let started = ContinuousClock.now
        var found = 0
        for pull in pulls {
            let page = try await forge.feedback(on: pull, in: "acme/api", after: cursors[pull])
            cursors[pull] = page.cursor
            found += page.comments.count
        }
        return (seconds(ContinuousClock.now - started), found)
    }

    static func rawPages(from first: String, with client: HTTPClient) async throws -> Int {
        var next: String? = first
        var pages = 0
        while let url = next {
            let (_, link) = try await rawGet(url, with: client)
            pages += 1
            next = link.flatMap { header in
                header.split(separator: ",").first { $0.contains("rel=\"next\"") }.flatMap { part in
                    part.split(separator: ";").first.map {
                        String($0.trimmingCharacters(in: .whitespaces).dropFirst().dropLast())
                    }
                }
            }
        }
        return pages
    }

    static func rawGet(_ url: String, with client: HTTPClient) async throws -> (ByteBuffer, String?) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/vnd.github+json")
        request.headers.add(name: "X-GitHub-Api-Version", value: "2022-11-28")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "User-Agent", value: "forge-bench")
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (body, response.headers.first(name: "link"))
    }

    static func time<T>(_ body: @Sendable () async throws -> T) async throws -> (Double, T) {
        let started = ContinuousClock.now
        let result = try await body()
        return (seconds(ContinuousClock.now - started), result)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ seconds: Double) -> String {
        String(format: "%.1f ms", seconds * 1000)
    }

    static func report(_ label: String, _ samples: [Double]) {
        let sorted = samples.sorted()
        print(
            "\(label): median \(format(sorted[sorted.count / 2])), best \(format(sorted[0])) over \(samples.count) runs"
        )
    }

    /// Times `agentsched assign --repo acme/api --label bug --dry-run` through the built binary.
    static func assignThroughBinary(_ binary: String, github: FakeGitHubServer, runs: Int) async throws {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("forge-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: workspace) }
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).deletingLastPathComponent()
        for folder in ["agents", "policies"] {
            try FileManager.default.copyItem(
                at: root.appendingPathComponent(folder), to: workspace.appendingPathComponent(folder))
        }
        try """
        github: { api-url: "\(github.apiURL.absoluteString)" }
        repositories: { acme/api: { github: true } }
        """.write(to: workspace.appendingPathComponent("agentsched.yaml"), atomically: true, encoding: .utf8)
        github.setPermission("write", for: "alice", in: "acme/api")
        let environment = TestProcess.isolatedEnvironment(home: workspace).merging(["GITHUB_TOKEN": token]) { $1 }
        let arguments = [
            URL(fileURLWithPath: binary).standardizedFileURL.path, "assign", "--repo", "acme/api", "--label", "bug",
            "--agent", "implementer", "--as", "alice", "--dry-run", "--format", "json",
        ]
        var samples: [Double] = []
        var requests = 0
        var lines = 0
        for _ in 0..<runs {
            github.clearRequests()
            let (seconds, outcome) = try await time {
                try await TestProcess.run(arguments, in: workspace, environment: environment)
            }
            guard outcome.status == 0 else {
                print("agentsched assign failed (\(outcome.status)): \(outcome.errors)")
                return
            }
            samples.append(seconds)
            requests = github.requests.count
            lines = outcome.output.components(separatedBy: "\"status\"").count - 1
        }
        print("agentsched assign --label bug --dry-run: \(lines) issues decided, \(requests) requests to GitHub")
        report("  the binary, end to end", samples)
    }
}

import AgentSchedulerTesting
import Foundation

/// `agentsched assign` and `agentsched run` at scale, against the fake model server.
///
/// Builds a workspace with one agent whose sessions each make `--requests` model requests (the
/// fake server answers `todo` tool calls, then a final text, per conversation) and one
/// organisation with no budget limit and concurrency limits of `--concurrency`. It times
/// `assign` of `--sessions` issues in one call, then `run --until-idle --concurrency N`, and reads
/// the peak resident memory of each `agentsched` process. The ideal run time is
/// `sessions / concurrency × requests × latency`.
///
///     swift build -c release --package-path ..     # the agentsched binary measured
///     swift run -c release scheduler-bench --sessions 10000 --concurrency 500 --latency-ms 50
@main
struct SchedulerBench {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String, _ value: String) -> String {
            arguments.firstIndex(of: name).map { arguments[$0 + 1] } ?? value
        }
        let sessions = Int(option("--sessions", "10000"))!
        let concurrency = Int(option("--concurrency", "500"))!
        let requests = Int(option("--requests", "5"))!
        let latency = Int(option("--latency-ms", "50"))!
        let charging = option("--charging", "per-session")
        let keepAlive = option("--keep-alive", "true") != "false"
        let binary = URL(fileURLWithPath: option("--agentsched", "../.build/release/agentsched")).standardizedFileURL
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            print("no agentsched binary at \(binary.path); run `swift build -c release` in the package folder first")
            exit(1)
        }
        try await FakeModelServer.withServer(latency: .milliseconds(latency), keepsConnectionsOpen: keepAlive) {
            @Sendable server in
            server.setConversationScript(
                Array(repeating: .toolCalls([("todo", #"{"action":"list"}"#)]), count: requests - 1)
                    + [.text("Done.")],
                for: "bench")
            let folder = try Workspace.make(
                sessions: sessions, concurrency: concurrency, charging: charging,
                baseURL: server.baseURL(for: "bench"))
            print("workspace: \(folder.path)")

            let assign = try await Child.run(
                binary, ["assign", "--repo", "bench/repo", "--issues-file", "issues.yaml", "--agent", "worker"],
                in: folder)
            print(
                "assign \(sessions) issues: \(assign.seconds.formatted(.number.precision(.fractionLength(2)))) s, "
                    + "peak RSS \(assign.peakMiB) MiB, exit \(assign.status)")

            let run = try await Child.run(
                binary, ["run", "--until-idle", "--concurrency", "\(concurrency)", "--progress", "none"], in: folder)
            let rounds: Double = Double(sessions) / Double(concurrency)
            let ideal: Double = rounds * Double(requests) * Double(latency) / 1000
            print(
                "run \(sessions) sessions × \(requests) requests at concurrency \(concurrency), \(latency) ms latency: "
                    + "\(run.seconds.formatted(.number.precision(.fractionLength(2)))) s "
                    + "(ideal \(ideal.formatted(.number.precision(.fractionLength(2)))) s, "
                    + "\((run.seconds / ideal).formatted(.number.precision(.fractionLength(1))))×), "
                    + "peak RSS \(run.peakMiB) MiB, \(run.cpuSeconds.formatted(.number.precision(.fractionLength(1)))) s CPU, "
                    + "exit \(run.status)")
            var own = rusage()
            getrusage(RUSAGE_SELF.rawValue, &own)
            let seconds = Double(own.ru_utime.tv_sec) + Double(own.ru_stime.tv_sec)
            let micro = Double(own.ru_utime.tv_usec) + Double(own.ru_stime.tv_usec)
            let serverCPU: Double = seconds + micro / 1e6
            print(
                "requests served: \(server.attempts(for: "bench")); the fake server's process used "
                    + "\(serverCPU.formatted(.number.precision(.fractionLength(1)))) s CPU")
            print(run.output.split(separator: "\n").suffix(3).joined(separator: "\n"))
        }
    }
}

import Foundation

/// One `agentsched` process: wall time, exit status, peak resident memory, output.
struct Child {
    var seconds: Double
    var status: Int32
    var peakMiB: Int
    var output: String

    static func run(_ binary: URL, _ arguments: [String], in folder: URL) async throws -> Child {
        let output = folder.appendingPathComponent(".out-\(UUID().uuidString.prefix(6))")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(["BENCH_KEY": "bench"]) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        let started = ContinuousClock.now
        try process.run()
        var usage = rusage()
        var status: Int32 = 0
        // wait4 for this child only, polling so that no thread of the server blocks.
        while wait4(process.processIdentifier, &status, WNOHANG, &usage) == 0 {
            try await Task.sleep(for: .milliseconds(5))
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Child(
            seconds: seconds, status: (status >> 8) & 0xff, peakMiB: Int(usage.ru_maxrss) / 1024,
            output: (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}

import Foundation

/// Runs this executable again as `count` child processes at once and times them from the first
/// start to the last exit.
enum ChildProcesses {
    /// Seconds from the first start to the last exit; throws when any child fails.
    static func run(_ count: Int, arguments: (Int) -> [String]) throws -> Double {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let started = ContinuousClock.now
        let children = try (0..<count).map { index in
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments(index)
            try process.run()
            return process
        }
        var failed = false
        for child in children {
            child.waitUntilExit()
            failed = failed || child.terminationStatus != 0
        }
        guard !failed else { throw BenchFailure("a child process failed: \(arguments(0).prefix(2))") }
        return (ContinuousClock.now - started).seconds
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

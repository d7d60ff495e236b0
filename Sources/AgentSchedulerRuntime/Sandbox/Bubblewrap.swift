import Foundation

/// The bubblewrap program (`bwrap`) that sandboxes sessions, found and tried once.
///
/// `probe()` looks for it in `AGENTSCHED_BWRAP` (a path), else on `PATH`, then runs `true` in a
/// sandbox like a session's: a `bwrap` that is installed but cannot make namespaces here (no user
/// namespaces, a seccomp filter of a container) is as unavailable as a missing one, and the reason
/// says which.
public struct Bubblewrap: Sendable, Hashable {
    /// The program's absolute path.
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// The variable that names the `bwrap` program to use instead of the one on `PATH`.
    public static let overrideVariable = "AGENTSCHED_BWRAP"

    /// A working bubblewrap, or why there is none.
    public static func probe(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async -> Result<Bubblewrap, SandboxUnavailable> {
        #if os(Linux)
            let candidate: String
            if let override = environment[overrideVariable], !override.isEmpty {
                candidate = override
            } else if let found = ProgramLookup.find(
                "bwrap", onPath: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
            {
                candidate = found
            } else {
                return .failure(
                    SandboxUnavailable(
                        "bubblewrap (bwrap) is not installed; install it (Debian and Ubuntu: apt-get install bubblewrap)"
                    ))
            }
            guard FileManager.default.isExecutableFile(atPath: candidate) else {
                return .failure(
                    SandboxUnavailable("\(candidate) (from \(overrideVariable)) is not an executable program"))
            }
            let bubblewrap = Bubblewrap(path: candidate)
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("agentsched-probe-\(UUID())")
            do {
                try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            } catch {
                return .failure(SandboxUnavailable("cannot try bubblewrap: \(error.localizedDescription)"))
            }
            defer { try? FileManager.default.removeItem(at: scratch) }
            let sandbox = Sandbox(bubblewrap: bubblewrap, writable: scratch.path)
            let (executable, arguments) = sandbox.command("true", [], in: scratch.path)
            let process = ChildProcess(
                executable: executable, arguments: arguments, environment: ["PATH": "/usr/bin:/bin"], directory: "/",
                timeout: .seconds(10))
            switch await process.run() {
            case .failure(let error):
                return .failure(SandboxUnavailable("\(candidate) cannot be started: \(error)"))
            case .success(let outcome) where outcome.succeeded:
                return .success(bubblewrap)
            case .success(let outcome):
                let said = outcome.standardError.text.split(separator: "\n").first.map(String.init) ?? ""
                return .failure(
                    SandboxUnavailable(
                        "\(candidate) does not work here (\(outcome.termination)\(said.isEmpty ? "" : ": \(said)"))"))
            }
        #else
            return .failure(SandboxUnavailable("sandboxing `execute` is supported on Linux (bubblewrap) only"))
        #endif
    }
}

/// Why no sandbox can be had: `execute` is then unavailable (DESIGN §13).
public struct SandboxUnavailable: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

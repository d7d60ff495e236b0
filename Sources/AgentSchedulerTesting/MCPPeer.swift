import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The real MCP peer the tests talk to: the official Python SDK (`pip install mcp`) running the
/// fixture server in `Tests/Fixtures/mcp/fixture_server.py`.
///
/// The Python is `AGENTSCHED_MCP_PYTHON`, else `.build/mcp-python/bin/python` in the package (where
/// `.ci/run` installs it). Suites that need it are enabled only when it is there, unless
/// `AGENTSCHED_REQUIRE_MCP_PEER=1` (CI sets it): then a missing peer is a failure, not a skip.
public enum MCPPeer {
    /// The package's root folder.
    public static let packageRoot = URL(filePath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The fixture server's script.
    public static let fixtureScript = packageRoot.appending(path: "Tests/Fixtures/mcp/fixture_server.py").path

    /// The Python interpreter with the `mcp` package, when there is one.
    public static let python: String? = {
        let candidates: [String?] = [
            ProcessInfo.processInfo.environment["AGENTSCHED_MCP_PYTHON"],
            packageRoot.appending(path: ".build/mcp-python/bin/python").path,
        ]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Whether the peer must be there (CI).
    public static let isRequired = ProcessInfo.processInfo.environment["AGENTSCHED_REQUIRE_MCP_PEER"] == "1"

    /// Whether suites that talk to the peer run: it is there, or it is required (and its absence
    /// then fails them).
    public static let enabled = python != nil || isRequired

    /// The interpreter, or an error saying how to get one.
    public static func requirePython() throws -> String {
        guard let python else {
            throw PeerMissing()
        }
        return python
    }

    /// The peer is required and missing.
    public struct PeerMissing: Error, CustomStringConvertible {
        public var description: String {
            "the official MCP SDK is not installed: python3 -m venv .build/mcp-python && "
                + ".build/mcp-python/bin/pip install mcp==2.3.0 (or set AGENTSCHED_MCP_PYTHON)"
        }
    }
}

extension MCPPeer {
    /// The fixture server over streamable HTTP on a free loopback port, and its MCP URL.
    ///
    /// Waits until the port accepts connections (at most 120 s: the SDK's imports are slow on a
    /// loaded machine). Stop it with `signal(SIGTERM)` and
    /// `waitForExit()`.
    public static func startHTTPServer(environment: [String: String] = [:]) async throws -> (SpawnedProgram, String) {
        let python = try requirePython()
        let port = try freePort()
        let program = try SpawnedProgram(
            executable: python, arguments: [fixtureScript, "http", "\(port)"],
            environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"].merging(environment) { $1 },
            standardOutput: .null, standardError: .null)
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if canConnect(port: port) { return (program, "http://127.0.0.1:\(port)/mcp") }
            try await Task.sleep(for: .milliseconds(100))
        }
        program.signal(SIGKILL)
        _ = program.waitForExit()
        throw ServerDidNotStart(port: port)
    }

    /// The fixture server did not listen within the wait.
    public struct ServerDidNotStart: Error, CustomStringConvertible {
        public var port: Int
        public var description: String { "the fixture MCP server did not listen on port \(port) within 120 s" }
    }

    /// A port nothing listens on right now.
    public static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        guard bound else { throw PeerMissing() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func canConnect(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

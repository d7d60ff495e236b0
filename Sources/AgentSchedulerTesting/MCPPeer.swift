import Foundation

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

import AgentSchedulerCore
import AgentSchedulerTesting
import Foundation
import MCP
import Testing

@testable import AgentSchedulerRuntime

@Suite(
    "An MCP connection to the official Python SDK's server over streamable HTTP", .serialized,
    .enabled(if: MCPPeer.enabled))
struct MCPHTTPTransportTests {
    @Test("initialises, lists and calls over POST with event-stream answers, keeping the server's session")
    func listAndCall() async throws {
        let (program, url) = try await MCPPeer.startHTTPServer()
        defer {
            program.signal(SIGKILL)  // uvicorn's graceful shutdown can take long
            _ = program.waitForExit()
        }
        let connection = MCPServerConnection(name: "fixture") {
            MCPHTTPTransport(url: url, headers: [("Authorization", "Bearer not-checked")])
        }
        let tools = try await connection.tools(timeout: .seconds(30))
        #expect(tools.contains { $0.name == "echo" && $0.annotations.readOnlyHint == true })
        let result = try await connection.call("echo", arguments: ["text": .string("over http")], timeout: .seconds(30))
        #expect(MCPConnectionTests.text(result) == "over http")
        // A second call on the same session: the Mcp-Session-Id was kept.
        let again = try await connection.call("echo", arguments: ["text": .string("again")], timeout: .seconds(30))
        #expect(MCPConnectionTests.text(again) == "again")
        await connection.close()
    }

    @Test("a server that is not there fails the start at once, plainly")
    func unreachable() async throws {
        let port = try MCPPeer.freePort()
        let connection = MCPServerConnection(name: "gone") {
            MCPHTTPTransport(url: "http://127.0.0.1:\(port)/mcp", headers: [])
        }
        let started = ContinuousClock.now
        await #expect(throws: MCPCallFailure.self) { _ = try await connection.tools(timeout: .seconds(600)) }
        #expect(ContinuousClock.now - started < .seconds(300))  // refused at once, not timed out
        await connection.close()
    }

    @Test("a call past its timeout over HTTP is cancelled, and the session goes on")
    func timeout() async throws {
        let (program, url) = try await MCPPeer.startHTTPServer()
        defer {
            program.signal(SIGKILL)  // uvicorn's graceful shutdown can take long
            _ = program.waitForExit()
        }
        let connection = MCPServerConnection(name: "fixture") { MCPHTTPTransport(url: url, headers: []) }
        await #expect(throws: MCPCallFailure.timedOut(.seconds(1))) {
            _ = try await connection.call("slow", arguments: ["seconds": .double(30)], timeout: .seconds(1))
        }
        let result = try await connection.call("echo", arguments: ["text": .string("after")], timeout: .seconds(30))
        #expect(MCPConnectionTests.text(result) == "after")
        await connection.close()
    }
}

import AgentSchedulerCore
import AgentSchedulerTesting
import Foundation
import MCP
import Testing

@testable import AgentSchedulerRuntime

@Suite("An MCP connection to the official Python SDK's server, over stdio", .serialized, .enabled(if: MCPPeer.enabled))
struct MCPConnectionTests {
    static func connection(environment: [String: String] = [:]) throws -> MCPServerConnection {
        let python = try MCPPeer.requirePython()
        let program = ChildProcess(
            executable: python, arguments: [MCPPeer.fixtureScript, "stdio"],
            environment: ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }, directory: NSTemporaryDirectory())
        return MCPServerConnection(name: "fixture") { MCPStdioTransport(program: program) }
    }

    static func text(_ result: CallTool.Result) -> String {
        result.content.map {
            if case .text(let text, _, _) = $0 { return text }
            return "?"
        }.joined()
    }

    @Test("lists the server's tools with their annotations and calls one")
    func listAndCall() async throws {
        let connection = try Self.connection()
        let tools = try await connection.tools(timeout: .seconds(30))
        #expect(tools.contains { $0.name == "echo" && $0.annotations.readOnlyHint == true })
        #expect(tools.contains { $0.name == "write_note" && $0.annotations.readOnlyHint == false })
        let result = try await connection.call("echo", arguments: ["text": .string("hello")], timeout: .seconds(30))
        #expect(Self.text(result) == "hello")
        await connection.close()
    }

    @Test("a server that crashes mid-call fails the call at once with its exit, and the next call starts it again")
    func crash() async throws {
        let connection = try Self.connection()
        _ = try await connection.tools(timeout: .seconds(600))
        // Far below the timeout: the call ends when the server does, not when the timeout passes.
        let started = ContinuousClock.now
        await #expect {
            _ = try await connection.call("crash", arguments: [:], timeout: .seconds(600))
        } throws: { error in
            guard case .transport(.serverExited(let detail)) = error as? MCPCallFailure else { return false }
            return detail.contains("exit status 3") && detail.contains("crashing on purpose")
        }
        #expect(ContinuousClock.now - started < .seconds(300))
        let result = try await connection.call("echo", arguments: ["text": .string("again")], timeout: .seconds(600))
        #expect(Self.text(result) == "again")
        await connection.close()
    }

    @Test("a command that answers with something other than JSON-RPC fails at once with what it said")
    func garbage() async throws {
        // The SDK's servers guard their standard output, so a command that is not an MCP server at all
        // stands in for one that breaks the protocol.
        let program = ChildProcess(
            executable: "/bin/sh",
            arguments: ["-c", "read line; echo 'this is not json: usage: tool [options]'; sleep 900"],
            environment: ["PATH": "/usr/bin:/bin"], directory: NSTemporaryDirectory())
        let connection = MCPServerConnection(name: "garbage") { MCPStdioTransport(program: program) }
        let started = ContinuousClock.now
        await #expect {
            _ = try await connection.tools(timeout: .seconds(600))
        } throws: { error in
            guard case .transport(.notJSONRPC(let start)) = error as? MCPCallFailure else { return false }
            return start.contains("this is not json")
        }
        #expect(ContinuousClock.now - started < .seconds(300))
        await connection.close()
    }

    @Test("a call past its timeout is cancelled at the server, and the server goes on serving")
    func timeout() async throws {
        let connection = try Self.connection()
        _ = try await connection.tools(timeout: .seconds(30))
        await #expect(throws: MCPCallFailure.timedOut(.seconds(1))) {
            _ = try await connection.call("slow", arguments: ["seconds": .double(30)], timeout: .seconds(1))
        }
        let result = try await connection.call(
            "echo", arguments: ["text": .string("still here")], timeout: .seconds(30))
        #expect(Self.text(result) == "still here")
        await connection.close()
    }

    @Test("a tool that raises is an error result, not a failed connection")
    func errorResult() async throws {
        let connection = try Self.connection()
        let result = try await connection.call("failing", arguments: [:], timeout: .seconds(30))
        #expect(result.isError == true)
        #expect(Self.text(result).contains("failing"))
        await connection.close()
    }
}

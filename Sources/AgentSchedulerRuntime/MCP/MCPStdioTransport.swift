import Foundation
import Logging
import MCP

/// The MCP SDK's `Transport` over a local server process (`StdioServerProcess`): one JSON-RPC
/// message per line on the server's standard input and output.
///
/// `connect()` starts the process; `disconnect()` ends its whole process group. The SDK's own
/// `StdioTransport` polls its descriptors every 10 ms and buffers output without a limit; this one
/// sleeps in `poll` and refuses a line over 16 MiB or one that is not JSON.
actor MCPStdioTransport: MCPConnectionTransport {
    nonisolated let logger = Logger(label: "agentsched.mcp.stdio", factory: { _ in SwiftLogNoOpLogHandler() })
    nonisolated let closure = ClosureSignal()
    private let program: ChildProcess
    private var process: StdioServerProcess?

    /// A transport that will run `program` (its standard input is made a pipe).
    init(program: ChildProcess) {
        var program = program
        program.takesStandardInput = true
        program.mergesStandardError = false
        self.program = program
    }

    func connect() async throws {
        guard process == nil else { return }
        do {
            process = try StdioServerProcess(program, closure: closure)
        } catch {
            closure.fire(error)
            throw error
        }
    }

    func disconnect() async {
        closure.fire(.closed)
        await process?.terminate()
    }

    func send(_ data: Data) async throws {
        guard let process else { throw MCPTransportError.closed }
        try await process.write(data)
    }

    func receive() -> AsyncThrowingStream<Data, any Error> {
        guard let process else { return AsyncThrowingStream { $0.finish(throwing: MCPTransportError.closed) } }
        return process.messages
    }

    /// The end of the server's standard error (for diagnostics; redact before showing).
    var errorTail: String { process?.errorTail ?? "" }
}

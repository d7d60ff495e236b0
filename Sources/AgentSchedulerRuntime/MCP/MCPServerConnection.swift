import AgentSchedulerCore
import Foundation
import MCP

/// One MCP server as one session uses it: connected on first use through the official Swift SDK's
/// client, its tools listed page by page, each call bounded by a timeout, cancellable, and failed at
/// once when the server goes away.
///
/// After the connection ends (the server exited, or wrote something that is not JSON-RPC) the next
/// use starts it again. `close()` ends it for good; call it when the session ends.
actor MCPServerConnection {
    let name: String
    private let makeTransport: @Sendable () throws(MCPTransportError) -> any MCPConnectionTransport
    private var client: Client?
    private var transport: (any MCPConnectionTransport)?
    private var listed: [MCP.Tool]?
    private var closed = false
    /// The server sent `notifications/tools/list_changed` since its tools were last listed.
    private(set) var toolsChanged = false

    /// A connection to the server `name`, made with transports from `makeTransport` (called once
    /// per start, so secrets are filled at spawn time).
    init(name: String, makeTransport: @escaping @Sendable () throws(MCPTransportError) -> any MCPConnectionTransport) {
        self.name = name
        self.makeTransport = makeTransport
    }

    /// The server's tools, every page; starts the server when it is not running, and lists again
    /// after `notifications/tools/list_changed`.
    func tools(timeout: Duration) async throws(MCPCallFailure) -> [MCP.Tool] {
        let (client, closure) = try await running(timeout: timeout)
        if let listed { return listed }
        var tools: [MCP.Tool] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await Self.race(timeout, closure, abandon: { await client.disconnect() }) {
                [cursor] in try await client.listTools(cursor: cursor)
            }
            tools += page.tools
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 100
        listed = tools
        toolsChanged = false
        return tools
    }

    /// Calls `tool` with `arguments`; cancels the request at the server on timeout or when the task
    /// is cancelled.
    func call(
        _ tool: String, arguments: [String: Value], timeout: Duration
    ) async throws(MCPCallFailure)
        -> CallTool.Result
    {
        let (client, closure) = try await running(timeout: timeout)
        let context: RequestContext<CallTool.Result>
        do {
            context = try await client.send(CallTool.request(.init(name: tool, arguments: arguments)))
        } catch {
            throw .transport(.http("the request could not be sent: \(error)"))
        }
        return try await Self.race(
            timeout, closure,
            abandon: {
                // Resumes the SDK's pending request (so the wait ends) and tells the server.
                try? await client.cancelRequest(context.requestID, reason: "agentsched stopped waiting")
            }
        ) { try await context.value }
    }

    /// Ends the connection and the server; later uses fail.
    func close() async {
        closed = true
        await stop()
    }

    /// The running client, started when needed.
    private func running(timeout: Duration) async throws(MCPCallFailure) -> (Client, ClosureSignal) {
        if Task.isCancelled { throw .transport(.closed) }
        if let client, let transport, transport.closure.reason == nil { return (client, transport.closure) }
        await stop()
        guard !closed else { throw .transport(.closed) }
        let transport: any MCPConnectionTransport
        do {
            transport = try makeTransport()
        } catch {
            throw .transport(error)
        }
        let client = Client(name: "agentsched", version: "1")
        await client.onNotification(ToolListChangedNotification.self) { [weak self] _ in
            await self?.forgetTools()
        }
        self.transport = transport
        self.client = client
        do {
            _ = try await Self.race(timeout, transport.closure, abandon: { await client.disconnect() }) {
                try await client.connect(transport: transport)
            }
        } catch {
            await stop()
            throw error
        }
        return (client, transport.closure)
    }

    private func forgetTools() {
        listed = nil
        toolsChanged = true
    }

    private func stop() async {
        listed = nil
        let (client, transport) = (self.client, self.transport)
        self.client = nil
        self.transport = nil
        await client?.disconnect()
        await transport?.disconnect()
    }

    /// `operation`'s result, unless the timeout passes, the connection ends or the task is cancelled
    /// first; then `abandon` runs, and must make `operation` end (the SDK's requests do not answer
    /// task cancellation).
    private static func race<Result: Sendable>(
        _ timeout: Duration, _ closure: ClosureSignal, abandon: @Sendable () async -> Void,
        _ operation: @escaping @Sendable () async throws -> Result
    ) async throws(MCPCallFailure) -> Result {
        do {
            return try await withThrowingTaskGroup(of: Result.self) { group in
                group.addTask { try await operation() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw MCPCallFailure.timedOut(timeout)
                }
                group.addTask { throw MCPCallFailure.transport(await closure.wait()) }
                let first = await group.nextResult()!
                if case .failure = first { await abandon() }
                group.cancelAll()
                return try first.get()
            }
        } catch let failure as MCPCallFailure {
            throw failure
        } catch let error as MCPError {
            if let reason = closure.reason { throw .transport(reason) }
            switch error {
            case .connectionClosed, .transportError: throw .transport(.http("\(error)"))
            default: throw .server(error.errorDescription ?? "\(error)")
            }
        } catch let error as MCPTransportError {
            throw .transport(error)
        } catch {
            if Task.isCancelled { throw .transport(.closed) }
            throw .server("\(error)")
        }
    }
}

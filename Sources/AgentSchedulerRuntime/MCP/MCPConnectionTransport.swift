import MCP

/// A transport that says when its connection ended, so calls waiting on it fail at once.
protocol MCPConnectionTransport: Transport {
    /// Fires when the server exits, closes its output, or the transport is disconnected.
    nonisolated var closure: ClosureSignal { get }
}

/// Runs a model's tool calls: the effective tool set of the session, confined to its worktree.
///
/// `Toolbox` is the one implementation that runs tools; wrappers (`RedactingToolRunner`) only
/// change what comes back.
public protocol ToolRunner: Sendable {
    /// What the model is told it may call; asked before every request (MCP servers' tools can change).
    func definitions() async -> [ToolDefinition]
    /// Runs one call; failures and refusals come back as results for the model, never as errors.
    func run(_ call: ToolCall) async -> ToolResult
}

/// Charges model requests: the scheduler reserves before each request and commits or releases after.
public protocol RequestCharging: Sendable {
    /// Called before each model request with the request about to go out; returns the
    /// `max_tokens` to send, at most `request.maxTokens` (lower when the budget holds less).
    /// Throwing stops the session: a `ChargingPause` pauses it (the budget said "not now"), any
    /// other error fails it.
    func willSend(turn: Int, request: ModelRequest) async throws -> Int
    /// Called once per request: `succeeded` false means the provider failed and nothing is charged.
    func didFinish(turn: Int, succeeded: Bool, usage: TokenUsage?) async
}

/// Keeps the conversation after every complete turn, so an interrupted session can resume.
public protocol ConversationStore: Sendable {
    func save(_ messages: [ChatMessage]) async throws
    func load() async throws -> [ChatMessage]?
}

/// Steering messages handed in while a session runs; the loop takes them after the current tool call.
public actor SteeringInbox {
    private var waiting: [String] = []

    public init() {}

    public func send(_ message: String) {
        waiting.append(message)
    }

    /// The messages waiting, without taking them.
    public func peek() -> [String] { waiting }

    /// The messages waiting, oldest first; the inbox is empty afterwards.
    public func take() -> [String] {
        defer { waiting = [] }
        return waiting
    }
}

/// Thrown by `RequestCharging.willSend` when the budget pauses a session instead of ending it: the
/// loop returns `.paused` and reports no `session.finished`.
public protocol ChargingPause: Error, CustomStringConvertible {}

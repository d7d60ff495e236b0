/// The caps every session of an organisation runs under where its profile sets none: the
/// policy's `limits:` map, else the built-in defaults.
///
/// A profile's own `limits` take precedence key by key (`applied(to:)`); these only fill the gaps,
/// so no session runs without a turn, tool-call, runtime and file-size cap.
public struct SessionDefaults: Sendable, Hashable, Codable {
    /// Model requests (turns) a session may make.
    public var maxTurns: Int
    /// Tool calls a session may make.
    public var maxToolCalls: Int
    /// Wall time a session may run, a deadline that interrupts a running request or command.
    public var maxRuntime: HumanDuration
    /// The largest file a session's tools read, edit or write, in bytes.
    public var maxFileBytes: Int

    /// 100 turns, 300 tool calls, one hour, 8 MiB.
    public static let builtIn = SessionDefaults(
        maxTurns: 100, maxToolCalls: 300, maxRuntime: HumanDuration(.seconds(3600)), maxFileBytes: 8 << 20)

    public init(maxTurns: Int, maxToolCalls: Int, maxRuntime: HumanDuration, maxFileBytes: Int) {
        self.maxTurns = maxTurns
        self.maxToolCalls = maxToolCalls
        self.maxRuntime = maxRuntime
        self.maxFileBytes = maxFileBytes
    }

    enum CodingKeys: String, CodingKey {
        case maxTurns = "max-turns"
        case maxToolCalls = "max-tool-calls"
        case maxRuntime = "max-runtime"
        case maxFileBytes = "max-file-bytes"
    }

    /// `profile`'s limits, with every cap it leaves unset taken from these defaults.
    public func applied(to profile: AgentLimits) -> AgentLimits {
        var limits = profile
        limits.maxTurns = profile.maxTurns ?? maxTurns
        limits.maxToolCalls = profile.maxToolCalls ?? maxToolCalls
        limits.maxRuntime = profile.maxRuntime ?? maxRuntime
        return limits
    }
}

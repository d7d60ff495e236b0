/// The limits the tools keep to: output size, command time, search breadth.
public struct ToolLimits: Sendable, Hashable {
    /// The most output a tool returns, in bytes; past it, output is cut with a note.
    public var maxOutputBytes: Int
    /// How long `execute` lets a command run when the call names no timeout.
    public var executeTimeout: Duration
    /// The longest timeout a call may ask `execute` for.
    public var maxExecuteTimeout: Duration
    /// How long a command's process group has between `SIGTERM` and `SIGKILL`.
    public var killGracePeriod: Duration
    /// The most matches (or file names) `search` lists.
    public var maxSearchMatches: Int
    /// How long one `search` call may take; past it the search engine's process group is killed
    /// and the call fails with a message.
    public var searchTimeout: Duration
    /// The largest file `read`, `edit` and `search` open, and the largest file `edit` writes, in
    /// bytes: 8 MiB unless the policy's `limits.max-file-bytes` says otherwise. Larger than any
    /// source file worth showing a model, small enough that a runaway model cannot fill the disk
    /// one call at a time.
    public var maxFileBytes: Int

    public init(
        maxOutputBytes: Int = 32 * 1024,
        executeTimeout: Duration = .seconds(120),
        maxExecuteTimeout: Duration = .seconds(600),
        killGracePeriod: Duration = .seconds(2),
        maxSearchMatches: Int = 200,
        searchTimeout: Duration = .seconds(30),
        maxFileBytes: Int = 8 * 1024 * 1024
    ) {
        self.maxOutputBytes = maxOutputBytes
        self.executeTimeout = executeTimeout
        self.maxExecuteTimeout = maxExecuteTimeout
        self.killGracePeriod = killGracePeriod
        self.maxSearchMatches = maxSearchMatches
        self.searchTimeout = searchTimeout
        self.maxFileBytes = maxFileBytes
    }
}

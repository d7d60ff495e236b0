/// Bounds on what a single file may cost to read, set on purpose so that hostile input
/// (a 50 MB file, 10,000 levels of nesting, an alias bomb) fails fast with a diagnostic.
public struct YAMLLimits: Sendable, Equatable {
    /// Largest file read, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of lists and mappings.
    public var maxDepth: Int
    /// Most nodes a document may hold once aliases are expanded.
    public var maxNodes: Int

    public init(maxBytes: Int = 1 << 20, maxDepth: Int = 64, maxNodes: Int = 100_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    public static let `default` = YAMLLimits()
}

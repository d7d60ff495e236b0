/// A shell-style pattern over names such as `acme/*` or `gpt-*`: `*` matches any run of
/// characters, `?` one character; everything else matches itself.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String

    public init(_ pattern: String) {
        self.pattern = pattern
    }

    public var description: String { pattern }

    /// Whether the pattern has wildcards at all.
    public var isLiteral: Bool { !pattern.contains("*") && !pattern.contains("?") }

    /// Whether `name` matches the whole pattern.
    public func matches(_ name: String, ignoringCase: Bool = false) -> Bool {
        let p = Array(ignoringCase ? pattern.lowercased() : pattern)
        let s = Array(ignoringCase ? name.lowercased() : name)
        var pi = 0
        var si = 0
        var star: Int?
        var resume = 0
        while si < s.count {
            if pi < p.count, p[pi] == "?" || p[pi] == s[si] {
                pi += 1
                si += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                resume = si
                pi += 1
            } else if let star {
                pi = star + 1
                resume += 1
                si = resume
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

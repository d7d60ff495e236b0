/// Which issues `Forge.issues(in:matching:)` lists.
public struct IssueQuery: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable {
        case open, closed, all
    }

    /// Only issues with this label (compared without case); all when `nil`.
    public var label: String?
    public var state: State
    /// Only issues assigned to this login; all when `nil`.
    public var assignee: String?

    public init(label: String? = nil, state: State = .open, assignee: String? = nil) {
        self.label = label
        self.state = state
        self.assignee = assignee
    }
}

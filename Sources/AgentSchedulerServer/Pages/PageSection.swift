/// The sections the navigation links to; the current one is marked `aria-current="page"`.
public enum PageSection: String, Sendable, Hashable, CaseIterable {
    case sessions, newTask, usage

    /// The path the section is served at.
    public var path: String {
        switch self {
        case .sessions: "/"
        case .newTask: "/new"
        case .usage: "/usage"
        }
    }

    /// The link's text.
    public var label: String {
        switch self {
        case .sessions: "Sessions"
        case .newTask: "New task"
        case .usage: "Usage"
        }
    }
}

/// How `run` shows its progress.
public enum ProgressMode: String, Sendable, Hashable, CaseIterable {
    /// The live view on a terminal, plain lines otherwise.
    case auto
    /// One line per state change.
    case plain
    /// Nothing until the summary.
    case none
}

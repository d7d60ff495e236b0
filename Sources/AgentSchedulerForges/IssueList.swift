/// The issues an issues file lists, and the repository it names, if it names one.
public struct IssueList: Sendable, Hashable {
    /// `OWNER/NAME`, from the YAML form's `repository:` key; the JSON form never names one.
    public var repository: String?
    /// The issues in file order; pull requests that GitHub listed among them are left out.
    public var issues: [Issue]

    public init(repository: String? = nil, issues: [Issue]) {
        self.repository = repository
        self.issues = issues
    }
}

extension IssueList {
    /// The issues with `query`'s label (compared without case), in file order.
    ///
    /// A file records neither state nor assignee, so only the label selects: every listed issue
    /// counts as open and unassigned.
    public func issues(matching query: IssueQuery) -> [Issue] {
        guard let label = query.label?.lowercased() else { return issues }
        return issues.filter { $0.labels.contains { $0.lowercased() == label } }
    }
}

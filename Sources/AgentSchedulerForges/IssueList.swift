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

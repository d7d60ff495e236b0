import Foundation

/// A comment on a local pull request or issue, kept by the ledger so the offline forge can
/// comment and read comments back as feedback. Issues and pull requests of a repository share one
/// thread per number, as on GitHub.
public struct LocalComment: Sendable, Hashable, Codable, Identifiable {
    /// Increasing in the order comments were written, across all threads.
    public var id: Int64
    /// `OWNER/NAME`.
    public var repository: String
    /// The or pull request's number.
    public var number: Int
    public var author: String
    public var body: String
    public var at: Date

    public init(id: Int64, repository: String, number: Int, author: String, body: String, at: Date) {
        self.id = id
        self.repository = repository
        self.number = number
        self.author = author
        self.body = body
        self.at = at
    }
}

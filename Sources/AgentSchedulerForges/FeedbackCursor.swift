import Foundation

/// Where the last reading of a pull request's feedback stopped, kept in the ledger between `sync`
/// passes: the newest comment id seen of each kind, and the ETag of each list, so that a pass with
/// nothing new is answered `304 Not Modified` (which costs no rate limit).
public struct FeedbackCursor: Sendable, Hashable, Codable {
    /// The highest id seen, per `FeedbackComment.Kind` raw value.
    public var seen: [String: Int64]
    /// The ETag of the last answer, per list (the request's path and query).
    public var etags: [String: String]
    /// The page after each page (keyed as `etags`), from its last `Link` header: a `304` carries
    /// none, and the pages after an unchanged one may still have changed.
    public var nextPages: [String: String]

    public init(seen: [String: Int64] = [:], etags: [String: String] = [:], nextPages: [String: String] = [:]) {
        self.seen = seen
        self.etags = etags
        self.nextPages = nextPages
    }

    enum CodingKeys: String, CodingKey {
        case seen, etags
        case nextPages = "next_pages"
    }

    /// Cursors saved before `nextPages` existed read as having none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seen = try container.decode([String: Int64].self, forKey: .seen)
        etags = try container.decode([String: String].self, forKey: .etags)
        nextPages = try container.decodeIfPresent([String: String].self, forKey: .nextPages) ?? [:]
    }
}

/// What `Forge.feedback(on:in:after:)` returns.
public struct FeedbackPage: Sendable, Hashable {
    /// Feedback newer than the cursor, oldest first.
    public var comments: [FeedbackComment]
    /// The cursor to pass next time.
    public var cursor: FeedbackCursor

    public init(comments: [FeedbackComment], cursor: FeedbackCursor) {
        self.comments = comments
        self.cursor = cursor
    }
}

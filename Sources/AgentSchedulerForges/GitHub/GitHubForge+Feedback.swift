import Foundation

extension GitHubForge {
    /// Reads the reviews, review comments and conversation comments of pull request `number`.
    ///
    /// Each page of each list is asked with `If-None-Match` and the ETag the cursor kept for it, so a
    /// pass with nothing new is answered `304 Not Modified` throughout and costs no rate limit. A
    /// review's own entry is kept when it has a body, or when new review comments belong to it;
    /// pending (unsubmitted) reviews are left out.
    public func feedback(
        on number: Int, in repository: String, after cursor: FeedbackCursor?
    ) async throws
        -> FeedbackPage
    {
        let base = try repositoryPath(repository)
        let cursor = cursor ?? FeedbackCursor()
        var etags: [String: String] = [:]
        var nextPages: [String: String] = [:]
        let missing = "pull request #\(number) was not found in \(repository)"

        let reviews = try await pages(
            base + "/pulls/\(number)/reviews", of: GitHubWire.Review.self, cursor, &etags, &nextPages, missing)
        let reviewComments = try await pages(
            base + "/pulls/\(number)/comments", of: GitHubWire.ReviewComment.self, cursor, &etags, &nextPages, missing)
        let issueComments = try await pages(
            base + "/issues/\(number)/comments", of: GitHubWire.IssueComment.self, cursor, &etags, &nextPages, missing)

        var seen = cursor.seen
        func isNew(_ kind: FeedbackComment.Kind, _ id: Int64) -> Bool {
            id > cursor.seen[kind.rawValue, default: 0]
        }
        func note(_ kind: FeedbackComment.Kind, _ id: Int64) {
            seen[kind.rawValue] = max(seen[kind.rawValue, default: 0], id)
        }

        var comments: [FeedbackComment] = []
        for entry in reviewComments where isNew(.reviewComment, entry.id) {
            note(.reviewComment, entry.id)
            comments.append(
                FeedbackComment(
                    kind: .reviewComment, id: entry.id, review: entry.pullRequestReviewId,
                    author: entry.user?.login ?? "ghost", body: entry.body, createdAt: entry.createdAt,
                    path: entry.path, line: entry.line ?? entry.originalLine))
        }
        let reviewed = Set(comments.compactMap(\.review))
        for entry in reviews where isNew(.review, entry.id) {
            guard entry.state != "PENDING", let submitted = entry.submittedAt else { continue }
            note(.review, entry.id)
            let body = entry.body ?? ""
            guard !body.isEmpty || reviewed.contains(entry.id) else { continue }
            comments.append(
                FeedbackComment(
                    kind: .review, id: entry.id, review: entry.id, author: entry.user?.login ?? "ghost", body: body,
                    createdAt: submitted))
        }
        for entry in issueComments where isNew(.issueComment, entry.id) {
            note(.issueComment, entry.id)
            comments.append(
                FeedbackComment(
                    kind: .issueComment, id: entry.id, author: entry.user?.login ?? "ghost", body: entry.body ?? "",
                    createdAt: entry.createdAt))
        }
        comments.sort { ($0.createdAt, Self.order($0.kind), $0.id) < ($1.createdAt, Self.order($1.kind), $1.id) }
        return FeedbackPage(
            comments: comments, cursor: FeedbackCursor(seen: seen, etags: etags, nextPages: nextPages))
    }

    /// Every page of the list at `path` that changed since `cursor`'s ETag for it, decoded; a page
    /// answered 304 contributes nothing. The pages' new ETags go into `etags` and the page after each
    /// into `nextPages`, keyed by path and query; after a 304, which has no `Link`, the page after it
    /// is the one the cursor remembered.
    private func pages<T: Decodable>(
        _ path: String, of type: T.Type, _ cursor: FeedbackCursor, _ etags: inout [String: String],
        _ nextPages: inout [String: String], _ missing: String
    ) async throws -> [T] {
        var items: [T] = []
        var url: URL? = try endpoint(path, [("per_page", "100")])
        while let page = url {
            let key = Self.target(of: page)
            let reply = try await exchange("GET", page, ifNoneMatch: cursor.etags[key])
            if reply.status == 304 {
                etags[key] = cursor.etags[key]
                // A remembered page off the API's host (github.api-url was edited) is not followed.
                let remembered = cursor.nextPages[key].flatMap(URL.init(string:)).flatMap { isOnAPIHost($0) ? $0 : nil }
                url = try remembered ?? nextPage(of: reply)
            } else {
                try expectSuccess(reply, notFound: missing)
                items += try reply.decode([T].self)
                if let etag = reply.etag { etags[key] = etag }
                url = try nextPage(of: reply)
            }
            if let url { nextPages[key] = url.absoluteString }
        }
        return items
    }

    /// Reviews before their comments before conversation comments, when they were made at once.
    private static func order(_ kind: FeedbackComment.Kind) -> Int {
        switch kind {
        case .review: 0
        case .reviewComment: 1
        case .issueComment: 2
        }
    }
}

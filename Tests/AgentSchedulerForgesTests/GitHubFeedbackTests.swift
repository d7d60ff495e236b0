import AgentSchedulerForges
import AgentSchedulerTesting
import Foundation
import Testing

@Suite("GitHubForge feedback with a cursor")
struct GitHubFeedbackTests {
    @Test func aCommentOnALaterPageIsFoundWhenTheFirstPageIsUnchanged() async throws {
        try await withGitHub { github, forge, _, _ in
            let pull = github.addPullRequest(
                in: "acme/api", head: "agentsched/12-fixer-1", title: "Fix #12", author: "agentsched-bot")
            for index in 1...150 {
                github.addIssueComment(on: pull, in: "acme/api", author: "mona", body: "note \(index)")
            }
            let page = try await forge.feedback(on: pull, in: "acme/api", after: nil)
            #expect(page.comments.count == 150)
            // The new comment lands on page two; page one answers 304, which carries no Link.
            let late = github.addIssueComment(on: pull, in: "acme/api", author: "mona", body: "@agentsched one more")
            github.clearRequests()
            let next = try await forge.feedback(on: pull, in: "acme/api", after: page.cursor)
            #expect(next.comments.map(\.key) == ["issue-comment:\(late)"])
            let pages = github.requests.filter { $0.path.hasSuffix("/issues/\(pull)/comments") }
            #expect(pages.map(\.status) == [304, 200])
        }
    }

    @Test func everythingFirstThenOnlyNotModifiedWhenNothingIsNew() async throws {
        try await withGitHub { github, forge, _, _ in
            let pull = github.addPullRequest(
                in: "acme/api", head: "agentsched/12-fixer-1", title: "Fix #12", author: "agentsched-bot")
            let review = github.addReview(
                on: pull, in: "acme/api", author: "mona", body: "", state: "CHANGES_REQUESTED")
            let first = github.addReviewComment(
                on: pull, in: "acme/api", review: review, author: "mona", body: "@agentsched rename this",
                path: "Sources/A.swift", line: 3)
            let second = github.addReviewComment(
                on: pull, in: "acme/api", review: review, author: "mona", body: "and this", path: "Sources/B.swift",
                line: 9)
            let talk = github.addIssueComment(on: pull, in: "acme/api", author: "hubot", body: "@agentsched thanks")
            github.addReview(on: pull, in: "acme/api", author: "hubot", body: "", state: "APPROVED")
            github.addReview(on: pull, in: "acme/api", author: "mona", body: "draft", state: "PENDING")

            let page = try await forge.feedback(on: pull, in: "acme/api", after: nil)
            #expect(
                page.comments.map(\.key) == [
                    "review:\(review)", "review-comment:\(first)", "review-comment:\(second)", "issue-comment:\(talk)",
                ])
            #expect(page.comments.filter { $0.kind != .issueComment }.allSatisfy { $0.review == review })
            let line = try #require(page.comments.first { $0.id == second })
            #expect(line.path == "Sources/B.swift")
            #expect(line.line == 9)
            #expect(line.author == "mona")
            #expect(page.cursor.etags.count == 3)

            github.clearRequests()
            let idle = try await forge.feedback(on: pull, in: "acme/api", after: page.cursor)
            #expect(idle.comments.isEmpty)
            #expect(idle.cursor == page.cursor)
            let requests = github.requests
            #expect(requests.count == 3)
            #expect(requests.allSatisfy { $0.status == 304 && $0.conditional })
        }
    }

    @Test func newCommentsAfterTheCursorAreTheOnlyOnesReturned() async throws {
        try await withGitHub { github, forge, _, _ in
            let pull = github.addPullRequest(in: "acme/api", head: "work", title: "Work", author: "agentsched-bot")
            github.addIssueComment(on: pull, in: "acme/api", author: "mona", body: "old")
            let before = try await forge.feedback(on: pull, in: "acme/api", after: nil)
            #expect(before.comments.map(\.body) == ["old"])

            var added: [Int64] = []
            for index in 0..<120 {
                added.append(github.addIssueComment(on: pull, in: "acme/api", author: "mona", body: "new \(index)"))
            }
            let review = github.addReview(
                on: pull, in: "acme/api", author: "hubot", body: "@agentsched please split it")
            github.clearRequests()
            let after = try await forge.feedback(on: pull, in: "acme/api", after: before.cursor)
            #expect(after.comments.filter { $0.kind == .issueComment }.map(\.id) == added)
            #expect(after.comments.filter { $0.kind == .review }.map(\.id) == [review])
            #expect(after.cursor.seen["issue-comment"] == added.last)
            #expect(after.cursor.seen["review"] == review)
            // Two pages of conversation comments now, one of reviews; review comments are unchanged.
            let statuses = github.requests.map { "\($0.path) \($0.status ?? 0)" }
            #expect(statuses.filter { $0.hasSuffix("/pulls/\(pull)/comments 304") }.count == 1)
            #expect(statuses.filter { $0.contains("/issues/\(pull)/comments") }.count == 2)

            let idle = try await forge.feedback(on: pull, in: "acme/api", after: after.cursor)
            #expect(idle.comments.isEmpty)
        }
    }

    @Test func notModifiedAnswersCostNoRateLimit() async throws {
        try await withGitHub(longestRateLimitWait: .seconds(1)) { github, forge, _, _ in
            let pull = github.addPullRequest(in: "acme/api", head: "work", title: "Work", author: "agentsched-bot")
            github.setRateLimit(3)
            let page = try await forge.feedback(on: pull, in: "acme/api", after: nil)
            for _ in 0..<10 {
                _ = try await forge.feedback(on: pull, in: "acme/api", after: page.cursor)
            }
            let error = await forgeError { _ = try await forge.repository("acme/api") }
            guard case .rateLimited = error else {
                Testing.Issue.record("expected the budget of 3 to be used up, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func feedbackOnAMissingPullRequestIsNotFound() async throws {
        try await withGitHub { _, forge, _, _ in
            let error = await forgeError { _ = try await forge.feedback(on: 5, in: "acme/api", after: nil) }
            #expect(error == .notFound("pull request #5 was not found in acme/api"))
        }
    }
}

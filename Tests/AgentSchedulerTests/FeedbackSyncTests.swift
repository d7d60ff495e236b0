import AgentSchedulerForges
import Foundation
import Testing

@testable import AgentScheduler

@Suite("sync: which comments reach an agent, and how they are grouped")
struct FeedbackSyncTests {
    static func comment(
        _ kind: FeedbackComment.Kind, _ id: Int64, by author: String, _ body: String, review: Int64? = nil,
        path: String? = nil, line: Int? = nil
    ) -> FeedbackComment {
        FeedbackComment(
            kind: kind, id: id, review: review, author: author, body: body,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(id)), path: path, line: line)
    }

    @Test(
        "mentions reach an agent, grouped by author; a mentioning review brings all its comments",
        arguments: [
            (
                "a comment without the mention reaches nobody",
                [comment(.issueComment, 1, by: "bob", "looks good")], [[String]]()
            ),
            (
                "the mention matches without case",
                [comment(.issueComment, 1, by: "bob", "@AgentSched please rename it")], [["issue-comment:1"]]
            ),
            (
                "a review whose body mentions brings its line comments, which need not mention",
                [
                    comment(.review, 7, by: "bob", "@agentsched a few things", review: 7),
                    comment(.reviewComment, 8, by: "bob", "off by one here", review: 7, path: "a.c", line: 3),
                    comment(.reviewComment, 9, by: "bob", "and here", review: 7, path: "a.c", line: 9),
                ],
                [["review:7", "review-comment:8", "review-comment:9"]]
            ),
            (
                "a review with an empty body is reached through a mentioning line comment",
                [
                    comment(.review, 7, by: "bob", "", review: 7),
                    comment(.reviewComment, 8, by: "bob", "@agentsched rename", review: 7),
                    comment(.reviewComment, 9, by: "bob", "this too", review: 7),
                ],
                [["review:7", "review-comment:8", "review-comment:9"]]
            ),
            (
                "two authors make two groups, each author's comments together",
                [
                    comment(.issueComment, 1, by: "bob", "@agentsched one"),
                    comment(.issueComment, 2, by: "carol", "@agentsched two"),
                    comment(.issueComment, 3, by: "Bob", "@agentsched three"),
                    comment(.issueComment, 4, by: "carol", "no mention"),
                ],
                [["issue-comment:1", "issue-comment:3"], ["issue-comment:2"]]
            ),
            (
                "another review's comments stay out",
                [
                    comment(.review, 7, by: "bob", "@agentsched this", review: 7),
                    comment(.reviewComment, 10, by: "bob", "unrelated review", review: 11),
                ],
                [["review:7"]]
            ),
        ])
    func grouping(_ name: String, comments: [FeedbackComment], expected: [[String]]) {
        let groups = FeedbackSync.groups(comments, mention: "@agentsched")
        #expect(groups.map { $0.comments.map(\.key) } == expected, "\(name)")
    }

    @Test("a follow-up's instructions quote each comment with its author and place")
    func feedbackText() {
        let group = FeedbackSync.Group(
            author: "bob",
            comments: [
                Self.comment(.review, 7, by: "bob", "@agentsched a few things\n", review: 7),
                Self.comment(.reviewComment, 8, by: "bob", "off by one", review: 7, path: "src/a.c", line: 3),
                Self.comment(.issueComment, 9, by: "bob", "@agentsched and the docs"),
            ])
        #expect(
            FeedbackSync.feedback(group) == """
                @bob (review):
                @agentsched a few things

                @bob (review comment on src/a.c:3):
                off by one

                @bob (comment):
                @agentsched and the docs
                """)
    }
}

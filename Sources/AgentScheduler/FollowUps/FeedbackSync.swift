import AgentSchedulerCore
import AgentSchedulerForges
import AgentSchedulerLedger
import Foundation
import Logging

/// One `sync` pass (DESIGN §8, Feedback): reads the new reviews, review comments and conversation
/// comments on the open pull requests agentsched opened, and turns each mention of `github.mention`
/// by a user with `write` or above into a follow-up session of the pull request's latest session.
///
/// - Each author's new mentions on one pull request in one pass become one follow-up, so the
///   comments of one review always travel together, and three quick comments cost one session.
/// - agentsched's own comments, and comments without the mention, are passed over.
/// - A mention from a user below `write` (or whose permission cannot be checked) is answered once,
///   saying why, and not acted on.
/// - Exactly once: the comment keys are recorded with the follow-up in one transaction, and the
///   cursor is saved only afterwards, so a pass that dies half-way is finished by the next one and
///   two passes at once create each follow-up once.
/// - A pull request whose feedback cannot be read is reported and retried next pass; the others go on.
/// - One session works on a branch at a time: while one is unfinished, the pull request's new
///   mentions wait (its cursor is not saved), and the next pass after it ends acts on them.
public struct FeedbackSync: Sendable {
    public var workspace: Workspace
    public var store: any FeedbackStore
    public var permissions: ForgePermissions
    public var forge: ForgePermissions.ForgeLookup
    public var logger: Logger

    public init(
        workspace: Workspace, store: any FeedbackStore, permissions: ForgePermissions,
        forge: @escaping ForgePermissions.ForgeLookup, logger: Logger = Logger(label: "agentsched.sync")
    ) {
        self.workspace = workspace
        self.store = store
        self.permissions = permissions
        self.forge = forge
        self.logger = logger
    }

    /// The text a comment must contain (compared without case).
    var mention: String { workspace.configuration.githubMention ?? WorkspaceConfiguration.defaultMention }

    /// One pass over the open pull requests of `repository`, or of every repository.
    public func pass(repository: String? = nil) async throws -> SyncReport {
        var report = SyncReport()
        for pull in try await store.openPullRequests(repository: repository) {
            report.pullRequests += 1
            do {
                try await sync(pull, into: &report)
            } catch is FollowUpDeferred {
                // Its cursor was not saved: the next pass reads the same comments again.
                report.waiting += 1
            } catch let error as ForgeError {
                report.failures.append(
                    .init(repository: pull.repository, number: pull.number, reason: error.description))
            } catch {
                report.failures.append(.init(repository: pull.repository, number: pull.number, reason: "\(error)"))
            }
        }
        return report
    }

    private func sync(_ pull: TrackedPullRequest, into report: inout SyncReport) async throws {
        let forge = try forge(pull.repository)
        let page = try await forge.feedback(on: pull.number, in: pull.repository, after: pull.cursor)
        guard !page.comments.isEmpty else {
            if page.cursor != pull.cursor { try await store.saveCursor(page.cursor, for: pull) }
            return
        }
        let me = try await forge.currentUser().lowercased()
        let mentions = Self.groups(
            page.comments.filter { $0.author.lowercased() != me }, mention: mention)
        for group in mentions {
            let keys = group.comments.map(\.key)
            let grant = await permissions.grant(
                for: group.author, in: pull.repository, configuration: workspace.configuration)
            if let refusal = refusal(of: group.author, in: pull.repository, grant: grant) {
                if try await !store.markIgnored(keys, of: pull).isEmpty {
                    try await forge.comment(
                        on: pull.number, in: pull.repository,
                        body: "@\(group.author): \(refusal), so agentsched did not act on your comment.")
                    report.refused += 1
                }
                continue
            }
            let feedback = Self.feedback(group)
            if let followUp = try await store.createFollowUp(of: pull, feedback: feedback, by: group.author, keys: keys)
            {
                report.followUps.append(followUp.id)
                logger.info(
                    "follow-up queued",
                    metadata: [
                        "session": "\(followUp.id)", "pull": "\(pull.repository)#\(pull.number)",
                        "author": "\(group.author)",
                    ])
            } else {
                report.alreadyActedOn += 1
            }
        }
        try await store.saveCursor(page.cursor, for: pull)
    }

    /// Why `user` may not ask for changes, or `nil` when they may (write or above).
    private func refusal(of user: String, in repository: String, grant: ForgeGrant) -> String? {
        switch grant {
        case .unavailable(let reason):
            return "your permission in \(repository) could not be checked (\(reason))"
        case .role(let role?) where role >= .write:
            return nil
        case .role(let role):
            return
                "asking agentsched for changes needs write access to \(repository); yours is \(role?.rawValue ?? "none")"
        case .notConsulted:
            guard let rule = workspace.policy(forRepository: repository)?.rule(for: repository),
                let role = rule.roles[user]
                    ?? rule.roles.first(where: { $0.key.lowercased() == user.lowercased() })?.value
            else { return "asking agentsched for changes needs write access to \(repository); you have no role there" }
            return role >= .write
                ? nil : "asking agentsched for changes needs write access to \(repository); yours is \(role.rawValue)"
        }
    }

    /// One author's mentions on one pull request.
    struct Group: Sendable, Hashable {
        var author: String
        var comments: [FeedbackComment]
    }

    /// The comments that reach an agent, grouped by author in order of their first comment: every
    /// comment of a review whose body or any comment mentions, and each mentioning comment.
    static func groups(_ comments: [FeedbackComment], mention: String) -> [Group] {
        let needle = mention.lowercased()
        let mentionedReviews = Set(
            comments.filter { $0.body.lowercased().contains(needle) }.compactMap(\.review))
        let reaching = comments.filter { comment in
            comment.body.lowercased().contains(needle) || comment.review.map(mentionedReviews.contains) == true
        }
        var groups: [Group] = []
        for comment in reaching {
            if let index = groups.firstIndex(where: { $0.author.lowercased() == comment.author.lowercased() }) {
                groups[index].comments.append(comment)
            } else {
                groups.append(Group(author: comment.author, comments: [comment]))
            }
        }
        return groups
    }

    /// The follow-up's instructions: each comment with where it was made.
    static func feedback(_ group: Group) -> String {
        group.comments.map { comment in
            let place =
                switch comment.kind {
                case .review: "review"
                case .reviewComment:
                    "review comment" + (comment.path.map { " on \($0)" + (comment.line.map { ":\($0)" } ?? "") } ?? "")
                case .issueComment: "comment"
                }
            return "@\(comment.author) (\(place)):\n\(comment.body.trimmingCharacters(in: .whitespacesAndNewlines))"
        }.joined(separator: "\n\n")
    }
}

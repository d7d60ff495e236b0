import AgentSchedulerCore
import AgentSchedulerForges
import AgentSchedulerLedger
import AgentSchedulerRuntime
import Foundation

extension SessionRunner {
    /// Puts a completed session's branch where people review it (DESIGN §8, pull requests out).
    ///
    /// Through the repository's forge: on GitHub, pushes the branch from agentsched's clone, then
    /// opens a draft pull request to the base branch, asking the assigner to review it and assigning
    /// it to them; for a local repository, `LocalForge` numbers a local pull request in the ledger.
    /// A follow-up's branch already has one: it is pushed again and keeps it. Either way the pull
    /// request is recorded with this session as its latest. Throws a one-line reason: a refused push
    /// (git's words), a forge that refused the pull request; the branch stays where the session
    /// delivered it.
    func publish(
        _ record: SessionRecord, admitted: AdmittedSession, branch: String, summary: String?
    ) async throws(PublishFailure) -> PullRequestLink {
        let base: String
        if let forge = admitted.forgeRepository {
            base = forge.base
        } else if let ref = admitted.baseRef {
            base = ref
        } else {
            base = await Self.currentBranch(of: admitted.repository) ?? "HEAD"
        }
        let fields = PullRequestFields(
            repository: record.repository, head: branch, base: base, title: Self.pullRequestTitle(record),
            body: await pullRequestBody(record, summary: summary), session: record.id)
        do {
            // Only a forge's clone is pushed: a local repository already has the branch.
            try await admitted.forgeRepository?.clone.push(branch: branch)
            if let existing = try await ledger.pullRequest(head: branch, repository: record.repository) {
                try await ledger.setLatestSession(
                    repository: record.repository, number: existing.number, session: record.id, at: clock.now())
                return existing.link
            }
            let forge = try forges.forge(for: record.repository)
            let opened: PullRequest
            do {
                opened = try await forge.openPullRequest(
                    NewPullRequest(
                        repository: record.repository, head: branch, base: base, title: fields.title,
                        body: fields.body, draft: true, reviewers: [record.assigner], assignees: [record.assigner]))
            } catch ForgeError.conflict(let reason) {
                // Opened by an earlier attempt whose answer was lost: take that one.
                guard let found = try await forge.pullRequest(head: branch, in: record.repository) else {
                    throw ForgeError.conflict(reason)
                }
                opened = found
            }
            return try await ledger.recordPullRequest(fields, number: opened.number, url: opened.url, at: clock.now())
                .link
        } catch let error as ForgeCloneError {
            throw PublishFailure(reason: "\(error)")
        } catch let error as ForgeError {
            let pushed = admitted.forgeRepository == nil ? "is ready" : "was pushed"
            throw PublishFailure(
                reason: "branch \(branch) \(pushed), but the pull request could not be opened: \(error)")
        } catch {
            throw PublishFailure(reason: "the pull request could not be recorded: \(error)")
        }
    }

    /// `Fix #12: Crash on start`, or the issue's number alone when it has no title.
    static func pullRequestTitle(_ record: SessionRecord) -> String {
        let title = record.title.trimmingCharacters(in: .whitespacesAndNewlines)
        return title.isEmpty ? "Issue #\(record.issue)" : "#\(record.issue): \(title)"
    }

    /// The agent's summary, `Fixes #N`, and a footer naming the session, agent, model and cost.
    func pullRequestBody(_ record: SessionRecord, summary: String?) async -> String {
        let charges = (try? await ledger.charges(session: record.id)) ?? []
        let cost = charges.first.map { first in charges.dropFirst().reduce(first.amount) { $0 + $1.amount } }
        let text = summary?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return """
            \(text.isEmpty ? "The agent left no summary." : text)

            Fixes #\(record.issue)

            ---
            Opened by agentsched: session \(record.id), agent `\(record.agent)`, model \
            `\(record.actualModel ?? record.model)`, \(cost?.counted ?? "nothing charged"), assigned by @\(record.assigner).
            """
    }

    /// Comments `text` on the session's issue, for a repository on a forge, and records that it did
    /// (event `forge.issue-comment` with the state). A comment that cannot be written is a notice,
    /// never a reason to stop.
    ///
    /// Called once per state change: when the session first starts, and when it ends failed or
    /// timed out or waits blocked. A session that is blocked again after waiting once is not
    /// commented on again, so a budget that keeps running out never becomes a stream of comments.
    func tellIssue(_ record: SessionRecord, about state: SessionState, _ text: String) async {
        guard forges.isOnGitHub(record.repository) else { return }
        let comment = EventPayload.forgeIssueComment(state: state, issue: "\(record.repository)#\(record.issue)")
        if state == .blocked {
            let earlier = (try? await ledger.events(session: record.id, after: 0)) ?? []
            if earlier.contains(where: { $0.payload == comment }) { return }
        }
        do {
            try await forges.forge(for: record.repository).comment(
                on: record.issue, in: record.repository, body: clients.redactor.redact(text))
            try? await ledger.record(comment, session: record.id, org: record.org, at: clock.now())
        } catch {
            await observer.observe(
                .notice("session \(record.id): the comment on \(record.repository)#\(record.issue) failed: \(error)"))
        }
    }

    /// The branch checked out in a local repository (what sessions start from without a
    /// `base-ref`), or `nil` for a detached `HEAD`.
    static func currentBranch(of repository: URL) async -> String? {
        guard
            let output = try? await Git(directory: repository.path).run(
                ["symbolic-ref", "--quiet", "--short", "HEAD"], allowedStatuses: [0, 1])
        else { return nil }
        let name = String(decoding: output.standardOutput, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }
}

import AgentSchedulerCore
import Foundation
import GRDB
import Testing

@testable import AgentSchedulerLedger
@testable import AgentSchedulerLedgerSQLite

/// Pull requests, follow-ups, feedback acted on and local comments in the ledger (DESIGN §4, §8).
@Suite struct PullRequestLedgerTests {
    static let now = utc("2026-03-12T12:00:00Z")

    static func session(_ ledger: any Ledger, issue: Int = 12) async throws -> SessionRecord {
        try await ledger.createSession(
            NewSession(
                org: "acme", repository: "acme/webapp", issue: issue, title: "Add tests for parser", body: "the body",
                agent: "test-writer", assigner: "alice", model: "gpt-4.1"),
            at: now)
    }

    static func fields(head: String, session: SessionID?) -> PullRequestFields {
        PullRequestFields(
            repository: "acme/webapp", head: head, base: "main", title: "#12 Add tests for parser", body: "Fixes #12",
            session: session)
    }

    static func followUp(of record: SessionRecord, feedback: String = "also cover empty input") -> NewSession {
        NewSession(
            org: record.org, repository: record.repository, issue: record.issue, title: record.title,
            body: record.body, agent: record.agent, assigner: record.assigner, model: record.model,
            follows: record.id, feedback: feedback)
    }

    @Test(arguments: LedgerEngine.available) func localPullRequestsAreNumberedPerRepositoryFromOne(
        engine: LedgerEngine
    ) async throws {
        try await engine.withLedger { ledger, _ in
            let session = try await Self.session(ledger)
            let first = try await ledger.openLocalPullRequest(
                Self.fields(head: "agentsched/12-a-1", session: session.id), at: Self.now)
            let second = try await ledger.openLocalPullRequest(
                Self.fields(head: "agentsched/12-a-2", session: nil), at: Self.now)
            var other = Self.fields(head: "agentsched/12-a-1", session: nil)
            other.repository = "acme/api"
            let elsewhere = try await ledger.openLocalPullRequest(other, at: Self.now)
            let numbers: [Int] = [first.number, second.number, elsewhere.number]
            #expect(numbers == [1, 2, 1])
            #expect(first.url == "local:acme/webapp#1")
            #expect(first.isLocal && first.draft && first.state == .open)
            #expect(first.openedBy == session.id && first.latestSession == session.id)
            #expect(try await ledger.pullRequest(head: "agentsched/12-a-2", repository: "acme/webapp")?.number == 2)
            #expect(try await ledger.pullRequests(repository: "acme/webapp", openOnly: true).map(\.number) == [1, 2])
            #expect(try await ledger.pullRequests(repository: nil, openOnly: false).count == 3)
        }
    }

    @Test(arguments: LedgerEngine.available) func aSecondOpenPullRequestFromOneHeadIsRefused(
        engine: LedgerEngine
    ) async throws {
        try await engine.withLedger { ledger, _ in
            _ = try await ledger.openLocalPullRequest(
                Self.fields(head: "agentsched/12-a-1", session: nil), at: Self.now)
            await #expect(
                throws: LedgerError.pullRequestExists(repository: "acme/webapp", head: "agentsched/12-a-1", number: 1)
            ) {
                try await ledger.openLocalPullRequest(
                    Self.fields(head: "agentsched/12-a-1", session: nil), at: Self.now)
            }
            await #expect(
                throws: LedgerError.pullRequestExists(repository: "acme/webapp", head: "agentsched/12-a-1", number: 1)
            ) {
                try await ledger.recordPullRequest(
                    Self.fields(head: "agentsched/12-a-1", session: nil), number: 40, url: "https://example.invalid/40",
                    at: Self.now)
            }
            // Once it is closed, the branch may have a new one.
            try await ledger.setPullRequestState(repository: "acme/webapp", number: 1, state: .closed, at: Self.now)
            #expect(
                try await ledger.openLocalPullRequest(
                    Self.fields(head: "agentsched/12-a-1", session: nil), at: Self.now
                ).number == 2)
        }
    }

    @Test(arguments: LedgerEngine.available)
    func recordingAForgesPullRequestAgainUpdatesItAndKeepsWhoOpenedItAndTheCursor(engine: LedgerEngine) async throws {
        try await engine.withLedger { ledger, _ in
            let opener = try await Self.session(ledger)
            let later = try await Self.session(ledger, issue: 13)
            let url = "https://github.com/acme/webapp/pull/41"
            _ = try await ledger.recordPullRequest(
                Self.fields(head: "agentsched/12-a-1", session: opener.id), number: 41, url: url, at: Self.now)
            try await ledger.saveFeedbackCursor(
                repository: "acme/webapp", number: 41, cursor: #"{"seen":{"review":7}}"#, at: Self.now)
            var changed = Self.fields(head: "agentsched/12-a-1", session: later.id)
            changed.title = "a new title"
            changed.draft = false
            let updated = try await ledger.recordPullRequest(changed, number: 41, url: url, at: Self.now)
            #expect(updated.title == "a new title" && !updated.draft && !updated.isLocal)
            #expect(updated.openedBy == opener.id && updated.latestSession == later.id)
            #expect(updated.feedbackCursor == #"{"seen":{"review":7}}"#)
        }
    }

    @Test(
        arguments: LedgerEngine.available,
        [
            ("", "main", 1, "x"), ("agentsched/1", "", 1, "x"), ("agentsched/1", "main", 0, "x"),
            ("agentsched/1", "main", 1, ""),
        ])
    func aPullRequestWithoutHeadBaseNumberOrURLIsRefusedAndNothingIsWritten(
        engine: LedgerEngine, _ row: (String, String, Int, String)
    ) async throws {
        let (head, base, number, url) = row
        try await engine.withLedger { ledger, _ in
            var fields = Self.fields(head: head, session: nil)
            fields.base = base
            await #expect(throws: LedgerError.self) {
                try await ledger.recordPullRequest(fields, number: number, url: url, at: Self.now)
            }
            let recorded = try await ledger.pullRequests(repository: nil, openOnly: false)
            #expect(recorded.isEmpty)
        }
    }

    @Test(arguments: LedgerEngine.available) func aFeedbackCursorMustBeJSONAndThePullRequestMustExist(
        engine: LedgerEngine
    ) async throws {
        try await engine.withLedger { ledger, _ in
            _ = try await ledger.openLocalPullRequest(
                Self.fields(head: "agentsched/12-a-1", session: nil), at: Self.now)
            await #expect(throws: LedgerError.invalidValue("a feedback cursor must be JSON")) {
                try await ledger.saveFeedbackCursor(
                    repository: "acme/webapp", number: 1, cursor: "{not json", at: Self.now)
            }
            await #expect(throws: LedgerError.noSuchPullRequest(repository: "acme/webapp", number: 9)) {
                try await ledger.saveFeedbackCursor(repository: "acme/webapp", number: 9, cursor: "{}", at: Self.now)
            }
            #expect(try await ledger.pullRequest(repository: "acme/webapp", number: 1)?.feedbackCursor == nil)
        }
    }

    @Test(arguments: LedgerEngine.available) func aFollowUpKeepsWhatItFollowsAndItsFeedbackAndOutputsKeepThePullRequest(
        engine: LedgerEngine
    ) async throws {
        try await engine.withLedger { ledger, _ in
            let first = try await Self.session(ledger)
            let pull = try await ledger.openLocalPullRequest(
                Self.fields(head: "agentsched/12-a-1", session: first.id), at: Self.now)
            try await ledger.recordOutputs(
                first.id, SessionOutputs(branch: pull.head, pullRequest: pull.link), at: Self.now)
            let follow = try await ledger.createFollowUp(
                Self.followUp(of: first), pullRequest: nil, feedbackKeys: [], at: Self.now)
            let made = try #require(follow)
            let stored = try #require(try await ledger.session(made.id))
            #expect(stored.follows == first.id && stored.feedback == "also cover empty input")
            #expect(
                try await ledger.session(first.id)?.outputs.pullRequest
                    == PullRequestLink(number: 1, url: "local:acme/webapp#1"))
            #expect(try await ledger.session(first.id)?.follows == nil)
        }
    }

    @Test(arguments: LedgerEngine.available) func aFollowUpOfAnUnknownSessionOrWithoutFeedbackIsRefused(
        engine: LedgerEngine
    ) async throws {
        try await engine.withLedger { ledger, _ in
            let first = try await Self.session(ledger)
            var unknown = Self.followUp(of: first)
            unknown.follows = 99
            await #expect(throws: LedgerError.noSuchSession(99)) {
                try await ledger.createFollowUp(unknown, pullRequest: nil, feedbackKeys: [], at: Self.now)
            }
            var silent = Self.followUp(of: first)
            silent.feedback = nil
            await #expect(throws: LedgerError.self) {
                try await ledger.createFollowUp(silent, pullRequest: nil, feedbackKeys: [], at: Self.now)
            }
            #expect(try await ledger.sessions(in: []).count == 1)
        }
    }

    @Test(arguments: LedgerEngine.available) func feedbackActedOnOnceMakesNoSecondFollowUp(
        engine: LedgerEngine
    ) async throws {
        try await engine.withLedger { ledger, _ in
            let first = try await Self.session(ledger)
            _ = try await ledger.openLocalPullRequest(
                Self.fields(head: "agentsched/12-a-1", session: first.id), at: Self.now)
            let keys = ["review:5", "review-comment:6", "review-comment:7"]
            let made = try await ledger.createFollowUp(
                Self.followUp(of: first), pullRequest: 1, feedbackKeys: keys, at: Self.now)
            #expect(made != nil)
            // Any one key already acted on is enough to refuse the whole follow-up.
            let again = try await ledger.createFollowUp(
                Self.followUp(of: first), pullRequest: 1, feedbackKeys: ["review-comment:7", "review-comment:8"],
                at: Self.now)
            #expect(again == nil)
            #expect(try await ledger.sessions(in: []).count == 2)
            #expect(
                try await ledger.actedOnFeedback(
                    repository: "acme/webapp", pullRequest: 1, keys: keys + ["review-comment:8"]) == Set(keys))
            #expect(try await ledger.pullRequest(repository: "acme/webapp", number: 1)?.latestSession == made?.id)
        }
    }

    @Test(arguments: LedgerEngine.available) func ignoredFeedbackIsMarkedOnceAndThenBlocksAFollowUp(
        engine: LedgerEngine
    ) async throws {
        try await engine.withLedger { ledger, _ in
            let first = try await Self.session(ledger)
            _ = try await ledger.openLocalPullRequest(
                Self.fields(head: "agentsched/12-a-1", session: first.id), at: Self.now)
            let marked = try await ledger.markFeedback(
                repository: "acme/webapp", pullRequest: 1, keys: ["issue-comment:3", "issue-comment:4"],
                outcome: .ignored,
                at: Self.now)
            #expect(marked == ["issue-comment:3", "issue-comment:4"])
            let second = try await ledger.markFeedback(
                repository: "acme/webapp", pullRequest: 1, keys: ["issue-comment:4", "issue-comment:5"],
                outcome: .ignored,
                at: Self.now)
            #expect(second == ["issue-comment:5"])
            #expect(
                try await ledger.createFollowUp(
                    Self.followUp(of: first), pullRequest: 1, feedbackKeys: ["issue-comment:3"], at: Self.now) == nil)
        }
    }

    @Test(arguments: LedgerEngine.available) func localCommentsAreReadBackInOrderPerThread(
        engine: LedgerEngine
    ) async throws {
        try await engine.withLedger { ledger, _ in
            let one = try await ledger.addLocalComment(
                repository: "acme/webapp", number: 1, author: "bob", body: "first", at: Self.now)
            _ = try await ledger.addLocalComment(
                repository: "acme/webapp", number: 2, author: "bob", body: "elsewhere", at: Self.now)
            _ = try await ledger.addLocalComment(
                repository: "acme/webapp", number: 1, author: "agentsched", body: "second", at: Self.now)
            #expect(
                try await ledger.localComments(repository: "acme/webapp", number: 1, after: 0).map(\.body) == [
                    "first", "second",
                ])
            #expect(
                try await ledger.localComments(repository: "acme/webapp", number: 1, after: one.id).map(\.body) == [
                    "second"
                ])
            await #expect(throws: LedgerError.self) {
                try await ledger.addLocalComment(
                    repository: "acme/webapp", number: 1, author: "", body: "x", at: Self.now)
            }
        }
    }

    @Test func aLedgerMadeBeforeFollowUpsMigratesWithItsSessionsIntact() async throws {
        try await withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            // A ledger as the v2 schema left it, with one session in it.
            let queue = try DatabaseQueue(path: path)
            try LedgerSchema.migrator.migrate(queue, upTo: "v2")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO sessions (org, repository, issue, title, agent, assigner, model, state, priority,
                            created_at, updated_at, branch)
                        VALUES ('acme', 'acme/webapp', 12, 'old', 'test-writer', 'alice', 'gpt-4.1', 'completed', 0, 0, 0,
                            'agentsched/12-test-writer-1')
                        """)
            }
            try queue.close()
            let ledger = try SQLiteLedger(path: path)
            let old = try #require(try await ledger.session(1))
            #expect(old.title == "old" && old.outputs.branch == "agentsched/12-test-writer-1")
            #expect(old.follows == nil && old.feedback == nil && old.outputs.pullRequest == nil)
            let follow = try await ledger.createFollowUp(
                Self.followUp(of: old), pullRequest: nil, feedbackKeys: [], at: Self.now)
            #expect(follow?.follows == 1)
        }
    }
}

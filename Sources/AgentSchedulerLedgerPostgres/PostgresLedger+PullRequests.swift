import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import PostgresNIO

extension PostgresLedger {
    @discardableResult
    public func recordPullRequest(
        _ fields: PullRequestFields, number: Int, url: String, at: Date
    ) async throws
        -> PullRequestRecord
    {
        try Self.check(fields)
        guard number > 0, !url.isEmpty else {
            throw LedgerError.invalidValue("a pull request needs a positive number and a URL")
        }
        return try await transaction { transaction in
            try await Self.lockRepository(transaction, fields.repository)
            try await Self.refuseSecondOpen(transaction, fields, except: number)
            let now = try await transaction.time(at)
            guard
                let row = try await transaction.row(
                    """
                    INSERT INTO pull_requests (repository, number, url, head, base, title, body, state, draft, local,
                        opened_by, latest_session, created_at, updated_at)
                    VALUES (\(fields.repository), \(number), \(url), \(fields.head), \(fields.base), \(fields.title),
                        \(fields.body), \(fields.state.rawValue), \(fields.draft), false, \(fields.session),
                        \(fields.session), agentsched_at(\(now)), agentsched_at(\(now)))
                    ON CONFLICT (repository, number) DO UPDATE SET url = excluded.url, head = excluded.head,
                        base = excluded.base, title = excluded.title, body = excluded.body, state = excluded.state,
                        draft = excluded.draft, opened_by = coalesce(pull_requests.opened_by, excluded.opened_by),
                        latest_session = coalesce(excluded.latest_session, pull_requests.latest_session),
                        updated_at = excluded.updated_at
                    RETURNING \(unescaped: Self.pullRequestColumns)
                    """)
            else { throw LedgerError.corrupt("a recorded pull request was not returned") }
            transaction.insertEvent(
                .pullRequestRecorded(repository: fields.repository, number: number, head: fields.head),
                session: fields.session, org: nil, at: now)
            return try Self.pullRequest(from: row)
        }
    }

    /// Numbers the pull request under a per-repository advisory lock: of processes opening local
    /// pull requests in one repository at once, each takes the next number in turn.
    public func openLocalPullRequest(_ fields: PullRequestFields, at: Date) async throws -> PullRequestRecord {
        try Self.check(fields)
        return try await transaction { transaction in
            try await Self.lockRepository(transaction, fields.repository)
            try await Self.refuseSecondOpen(transaction, fields, except: nil)
            let now = try await transaction.time(at)
            let number =
                try await transaction.value(
                    Int.self,
                    "SELECT coalesce(max(number), 0) + 1 FROM pull_requests WHERE repository = \(fields.repository)")
                ?? 1
            guard
                let row = try await transaction.row(
                    """
                    INSERT INTO pull_requests (repository, number, url, head, base, title, body, state, draft, local,
                        opened_by, latest_session, created_at, updated_at)
                    VALUES (\(fields.repository), \(number), \("local:\(fields.repository)#\(number)"), \(fields.head),
                        \(fields.base), \(fields.title), \(fields.body), \(fields.state.rawValue), \(fields.draft), true,
                        \(fields.session), \(fields.session), agentsched_at(\(now)), agentsched_at(\(now)))
                    RETURNING \(unescaped: Self.pullRequestColumns)
                    """)
            else { throw LedgerError.corrupt("a new pull request was not returned") }
            transaction.insertEvent(
                .pullRequestOpened(repository: fields.repository, number: number, head: fields.head),
                session: fields.session, org: nil, at: now)
            return try Self.pullRequest(from: row)
        }
    }

    public func pullRequests(repository: String?, openOnly: Bool) async throws -> [PullRequestRecord] {
        try await transaction { transaction in
            try await transaction.rows(
                """
                SELECT \(unescaped: Self.pullRequestColumns) FROM pull_requests
                WHERE (\(repository)::text IS NULL OR repository = \(repository)) AND (NOT \(openOnly) OR state = 'open')
                ORDER BY repository COLLATE "C", number
                """
            ).map(Self.pullRequest(from:))
        }
    }

    public func pullRequest(repository: String, number: Int) async throws -> PullRequestRecord? {
        try await transaction { transaction in
            try await Self.fetchPullRequest(transaction, repository: repository, number: number)
        }
    }

    public func pullRequest(head: String, repository: String) async throws -> PullRequestRecord? {
        try await transaction { transaction in
            try await transaction.row(
                """
                SELECT \(unescaped: Self.pullRequestColumns) FROM pull_requests
                WHERE repository = \(repository) AND head = \(head) AND state = 'open'
                """
            ).map(Self.pullRequest(from:))
        }
    }

    public func setPullRequestState(
        repository: String, number: Int, state: PullRequestRecord.State, at: Date
    )
        async throws
    {
        try await transaction { transaction in
            let now = try await transaction.time(at)
            let updated = try await transaction.row(
                """
                UPDATE pull_requests SET state = \(state.rawValue), updated_at = agentsched_at(\(now))
                WHERE repository = \(repository) AND number = \(number) RETURNING number
                """)
            guard updated != nil else { throw LedgerError.noSuchPullRequest(repository: repository, number: number) }
        }
    }

    public func setLatestSession(repository: String, number: Int, session: SessionID, at: Date) async throws {
        try await transaction { transaction in
            guard try await Self.sessionExists(transaction, session) else { throw LedgerError.noSuchSession(session) }
            try await Self.setLatestSession(
                transaction, repository: repository, number: number, session: session,
                at: try await transaction.time(at))
        }
    }

    static func setLatestSession(
        _ transaction: PostgresTransaction, repository: String, number: Int, session: SessionID, at now: Int64
    ) async throws {
        let updated = try await transaction.row(
            """
            UPDATE pull_requests SET latest_session = \(session), updated_at = agentsched_at(\(now))
            WHERE repository = \(repository) AND number = \(number) RETURNING number
            """)
        guard updated != nil else { throw LedgerError.noSuchPullRequest(repository: repository, number: number) }
    }

    public func saveFeedbackCursor(repository: String, number: Int, cursor: String, at: Date) async throws {
        guard (try? JSONSerialization.jsonObject(with: Data(cursor.utf8))) != nil else {
            throw LedgerError.invalidValue("a feedback cursor must be JSON")
        }
        try await transaction { transaction in
            let now = try await transaction.time(at)
            let updated = try await transaction.row(
                """
                UPDATE pull_requests SET feedback_cursor = \(cursor), updated_at = agentsched_at(\(now))
                WHERE repository = \(repository) AND number = \(number) RETURNING number
                """)
            guard updated != nil else { throw LedgerError.noSuchPullRequest(repository: repository, number: number) }
        }
    }

    // MARK: Feedback

    /// Holds the pull request's row while checking and recording the keys, so of two processes
    /// racing on the same feedback the second waits, then finds the keys acted on and returns `nil`.
    public func createFollowUp(
        _ new: NewSession, pullRequest: Int?, feedbackKeys: [String], at: Date
    ) async throws
        -> SessionRecord?
    {
        guard new.follows != nil, new.feedback != nil else {
            throw LedgerError.invalidValue("a follow-up needs the session it follows and its feedback")
        }
        guard feedbackKeys.isEmpty || pullRequest != nil else {
            throw LedgerError.invalidValue("feedback keys belong to a pull request; name it")
        }
        let keys = Array(Set(feedbackKeys)).sorted()
        return try await transaction { transaction in
            if let pullRequest {
                guard
                    try await transaction.row(
                        """
                        SELECT 1 FROM pull_requests WHERE repository = \(new.repository) AND number = \(pullRequest)
                        FOR UPDATE
                        """) != nil
                else { throw LedgerError.noSuchPullRequest(repository: new.repository, number: pullRequest) }
                if try await !Self.acted(transaction, repository: new.repository, pullRequest: pullRequest, keys: keys)
                    .isEmpty
                {
                    return nil
                }
            }
            let session = try await Self.insertSession(transaction, new, at: at)
            guard let pullRequest else { return session }
            let now = try await transaction.time(at)
            if !keys.isEmpty {
                try await transaction.execute(
                    """
                    INSERT INTO feedback (repository, pull_request, key, outcome, session, at)
                    SELECT \(new.repository), \(pullRequest), key, 'follow-up', \(session.id), agentsched_at(\(now))
                    FROM unnest(\(keys)) AS key
                    """)
            }
            try await Self.setLatestSession(
                transaction, repository: new.repository, number: pullRequest, session: session.id, at: now)
            return session
        }
    }

    public func markFeedback(
        repository: String, pullRequest: Int, keys: [String], outcome: FeedbackOutcome, at: Date
    ) async throws -> [String] {
        guard outcome == .ignored else {
            throw LedgerError.invalidValue("feedback that becomes a follow-up is recorded by createFollowUp")
        }
        let keys = Array(Set(keys)).sorted()
        guard !keys.isEmpty else { return [] }
        return try await transaction { transaction in
            let now = try await transaction.time(at)
            var marked: [String] = []
            for key in keys {
                let inserted = try await transaction.row(
                    """
                    INSERT INTO feedback (repository, pull_request, key, outcome, session, at)
                    VALUES (\(repository), \(pullRequest), \(key), \(outcome.rawValue), NULL, agentsched_at(\(now)))
                    ON CONFLICT DO NOTHING RETURNING key
                    """)
                if inserted != nil { marked.append(key) }
            }
            return marked
        }
    }

    public func actedOnFeedback(repository: String, pullRequest: Int, keys: [String]) async throws -> Set<String> {
        try await transaction { transaction in
            try await Self.acted(transaction, repository: repository, pullRequest: pullRequest, keys: keys)
        }
    }

    // MARK: Local comments

    @discardableResult
    public func addLocalComment(
        repository: String, number: Int, author: String, body: String, at: Date
    )
        async throws -> LocalComment
    {
        guard !repository.isEmpty, number > 0, !author.isEmpty else {
            throw LedgerError.invalidValue("a comment needs a repository, a positive number and an author")
        }
        return try await transaction { transaction in
            let now = try await transaction.time(at)
            guard
                let id = try await transaction.value(
                    Int64.self,
                    """
                    INSERT INTO comments (repository, number, author, body, at)
                    VALUES (\(repository), \(number), \(author), \(body), agentsched_at(\(now)))
                    RETURNING id
                    """)
            else { throw LedgerError.corrupt("a new comment was not returned") }
            return LocalComment(
                id: id, repository: repository, number: number, author: author, body: body,
                at: Date(ledgerMilliseconds: now))
        }
    }

    public func localComments(repository: String, number: Int, after afterID: Int64) async throws -> [LocalComment] {
        try await transaction { transaction in
            try await transaction.rows(
                """
                SELECT id, repository, number, author, body, agentsched_ms(at) FROM comments
                WHERE repository = \(repository) AND number = \(number) AND id > \(afterID)
                ORDER BY id
                """
            ).map { row in
                let (id, repository, number, author, body, at) = try row.decode(
                    (Int64, String, Int, String, String, Int64).self)
                return LocalComment(
                    id: id, repository: repository, number: number, author: author, body: body,
                    at: Date(ledgerMilliseconds: at))
            }
        }
    }

    // MARK: Helpers

    private static func check(_ fields: PullRequestFields) throws {
        guard !fields.repository.isEmpty, !fields.head.isEmpty, !fields.base.isEmpty else {
            throw LedgerError.invalidValue("a pull request needs a repository, a head branch and a base branch")
        }
    }

    /// Takes the repository's pull-request lock until the transaction ends.
    private static func lockRepository(_ transaction: PostgresTransaction, _ repository: String) async throws {
        try await transaction.execute(
            "SELECT pg_advisory_xact_lock(\(PostgresLocks.localPullRequests), hashtext(\(repository)))")
    }

    /// Refuses a second open pull request from the same head (the unique index would too, less clearly).
    private static func refuseSecondOpen(
        _ transaction: PostgresTransaction, _ fields: PullRequestFields, except number: Int?
    ) async throws {
        guard fields.state == .open,
            let other = try await transaction.value(
                Int.self,
                """
                SELECT number FROM pull_requests
                WHERE repository = \(fields.repository) AND head = \(fields.head) AND state = 'open'
                """),
            other != number
        else { return }
        throw LedgerError.pullRequestExists(repository: fields.repository, head: fields.head, number: other)
    }

    private static func acted(
        _ transaction: PostgresTransaction, repository: String, pullRequest: Int, keys: [String]
    ) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return Set(
            try await transaction.values(
                String.self,
                """
                SELECT key FROM feedback
                WHERE repository = \(repository) AND pull_request = \(pullRequest) AND key = ANY(\(keys))
                """))
    }

    static func fetchPullRequest(
        _ transaction: PostgresTransaction, repository: String, number: Int
    ) async throws
        -> PullRequestRecord?
    {
        try await transaction.row(
            """
            SELECT \(unescaped: pullRequestColumns) FROM pull_requests
            WHERE repository = \(repository) AND number = \(number)
            """
        ).map(pullRequest(from:))
    }

    static let pullRequestColumns = """
        repository, number, url, head, base, title, body, state, draft, local, opened_by, latest_session,
        agentsched_ms(created_at), agentsched_ms(updated_at), feedback_cursor
        """

    /// A pull request from a row of `pullRequestColumns`; throws `corrupt` on an unknown state.
    static func pullRequest(from row: PostgresRow) throws -> PullRequestRecord {
        let (repository, number, url, head, base, title, body, state, draft, local, openedBy, latestSession) =
            try row.decode(
                (String, Int, String, String, String, String, String, String, Bool, Bool, SessionID?, SessionID?).self)
        let cells = row.makeRandomAccess()
        return PullRequestRecord(
            repository: repository, number: number, url: url, head: head, base: base, title: title, body: body,
            state: try decoded(PullRequestRecord.State.self, state, column: "pull_requests.state"), draft: draft,
            isLocal: local, openedBy: openedBy, latestSession: latestSession,
            createdAt: Date(ledgerMilliseconds: try cells[12].decode(Int64.self)),
            updatedAt: Date(ledgerMilliseconds: try cells[13].decode(Int64.self)),
            feedbackCursor: try cells[14].decode(String?.self))
    }
}

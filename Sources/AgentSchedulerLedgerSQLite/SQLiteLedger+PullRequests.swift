import AgentSchedulerLedger
import Foundation
import GRDB

extension SQLiteLedger {
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
        return try await write { db in
            try Self.refuseSecondOpen(db, fields, except: number)
            let now = at.millisecondsSince1970
            try db.executeCached(
                sql: """
                    INSERT INTO pull_requests (repository, number, url, head, base, title, body, state, draft, local,
                        opened_by, latest_session, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
                    ON CONFLICT (repository, number) DO UPDATE SET url = excluded.url, head = excluded.head,
                        base = excluded.base, title = excluded.title, body = excluded.body, state = excluded.state,
                        draft = excluded.draft, opened_by = coalesce(pull_requests.opened_by, excluded.opened_by),
                        latest_session = coalesce(excluded.latest_session, pull_requests.latest_session),
                        updated_at = excluded.updated_at
                    """,
                arguments: [
                    fields.repository, number, url, fields.head, fields.base, fields.title, fields.body,
                    fields.state.rawValue, fields.draft, fields.session, fields.session, now, now,
                ])
            try Self.insertEvent(
                db, .pullRequestRecorded(repository: fields.repository, number: number, head: fields.head),
                session: fields.session, org: nil, at: at)
            return try Self.fetchPullRequest(db, repository: fields.repository, number: number)!
        }
    }

    public func openLocalPullRequest(_ fields: PullRequestFields, at: Date) async throws -> PullRequestRecord {
        try Self.check(fields)
        return try await write { db in
            try Self.refuseSecondOpen(db, fields, except: nil)
            // The immediate transaction holds the file's write lock: no other process allocates between
            // this read and the insert.
            let number =
                try Int.fetchOne(
                    db, sql: "SELECT coalesce(max(number), 0) + 1 FROM pull_requests WHERE repository = ?",
                    arguments: [fields.repository]) ?? 1
            let now = at.millisecondsSince1970
            try db.executeCached(
                sql: """
                    INSERT INTO pull_requests (repository, number, url, head, base, title, body, state, draft, local,
                        opened_by, latest_session, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
                    """,
                arguments: [
                    fields.repository, number, "local:\(fields.repository)#\(number)", fields.head, fields.base,
                    fields.title, fields.body, fields.state.rawValue, fields.draft, fields.session, fields.session, now,
                    now,
                ])
            try Self.insertEvent(
                db, .pullRequestOpened(repository: fields.repository, number: number, head: fields.head),
                session: fields.session, org: nil, at: at)
            return try Self.fetchPullRequest(db, repository: fields.repository, number: number)!
        }
    }

    public func pullRequests(repository: String?, openOnly: Bool) async throws -> [PullRequestRecord] {
        try await read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let repository {
                conditions.append("repository = ?")
                arguments.append(repository)
            }
            if openOnly { conditions.append("state = 'open'") }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(
                db, sql: "SELECT * FROM pull_requests\(filter) ORDER BY repository, number",
                arguments: StatementArguments(arguments)
            ).map(Self.pullRequest(from:))
        }
    }

    public func pullRequest(repository: String, number: Int) async throws -> PullRequestRecord? {
        try await read { db in try Self.fetchPullRequest(db, repository: repository, number: number) }
    }

    public func pullRequest(head: String, repository: String) async throws -> PullRequestRecord? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM pull_requests WHERE repository = ? AND head = ? AND state = 'open'",
                arguments: [repository, head]
            ).map(Self.pullRequest(from:))
        }
    }

    public func setPullRequestState(
        repository: String, number: Int, state: PullRequestRecord.State, at: Date
    )
        async throws
    {
        try await update(repository: repository, number: number, at: at, set: "state = ?", state.rawValue)
    }

    public func setLatestSession(repository: String, number: Int, session: SessionID, at: Date) async throws {
        try await write { db in
            guard try Self.fetchSessionExists(db, session) else { throw LedgerError.noSuchSession(session) }
            try Self.update(db, repository: repository, number: number, at: at, set: "latest_session = ?", session)
        }
    }

    public func saveFeedbackCursor(repository: String, number: Int, cursor: String, at: Date) async throws {
        guard (try? JSONSerialization.jsonObject(with: Data(cursor.utf8))) != nil else {
            throw LedgerError.invalidValue("a feedback cursor must be JSON")
        }
        try await update(repository: repository, number: number, at: at, set: "feedback_cursor = ?", cursor)
    }

    // MARK: Feedback

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
        return try await write { db in
            if let pullRequest {
                guard try Self.fetchPullRequest(db, repository: new.repository, number: pullRequest) != nil else {
                    throw LedgerError.noSuchPullRequest(repository: new.repository, number: pullRequest)
                }
                if try !Self.acted(db, repository: new.repository, pullRequest: pullRequest, keys: keys).isEmpty {
                    return nil
                }
            }
            let session = try Self.insertSession(db, new, at: at)
            guard let pullRequest else { return session }
            for key in keys {
                try db.executeCached(
                    sql: """
                        INSERT INTO feedback (repository, pull_request, key, outcome, session, at)
                        VALUES (?, ?, ?, 'follow-up', ?, ?)
                        """,
                    arguments: [new.repository, pullRequest, key, session.id, at.millisecondsSince1970])
            }
            try Self.update(
                db, repository: new.repository, number: pullRequest, at: at, set: "latest_session = ?", session.id)
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
        return try await write { db in
            var marked: [String] = []
            for key in keys {
                try db.executeCached(
                    sql: """
                        INSERT INTO feedback (repository, pull_request, key, outcome, session, at)
                        VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT DO NOTHING
                        """,
                    arguments: [repository, pullRequest, key, outcome.rawValue, at.millisecondsSince1970])
                if db.changesCount > 0 { marked.append(key) }
            }
            return marked
        }
    }

    public func actedOnFeedback(repository: String, pullRequest: Int, keys: [String]) async throws -> Set<String> {
        try await read { db in try Self.acted(db, repository: repository, pullRequest: pullRequest, keys: keys) }
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
        return try await write { db in
            try db.executeCached(
                sql: "INSERT INTO comments (repository, number, author, body, at) VALUES (?, ?, ?, ?, ?)",
                arguments: [repository, number, author, body, at.millisecondsSince1970])
            return LocalComment(
                id: db.lastInsertedRowID, repository: repository, number: number, author: author, body: body,
                at: Date(millisecondsSince1970: at.millisecondsSince1970))
        }
    }

    public func localComments(repository: String, number: Int, after afterID: Int64) async throws -> [LocalComment] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM comments WHERE repository = ? AND number = ? AND id > ? ORDER BY id",
                arguments: [repository, number, afterID]
            ).map { row in
                LocalComment(
                    id: row["id"], repository: row["repository"], number: row["number"], author: row["author"],
                    body: row["body"], at: Date(millisecondsSince1970: row["at"]))
            }
        }
    }

    // MARK: Helpers

    private static func check(_ fields: PullRequestFields) throws {
        guard !fields.repository.isEmpty, !fields.head.isEmpty, !fields.base.isEmpty else {
            throw LedgerError.invalidValue("a pull request needs a repository, a head branch and a base branch")
        }
    }

    /// Refuses a second open pull request from the same head (the unique index would too, less clearly).
    private static func refuseSecondOpen(_ db: Database, _ fields: PullRequestFields, except number: Int?) throws {
        guard fields.state == .open,
            let other = try Int.fetchOne(
                db, sql: "SELECT number FROM pull_requests WHERE repository = ? AND head = ? AND state = 'open'",
                arguments: [fields.repository, fields.head]),
            other != number
        else { return }
        throw LedgerError.pullRequestExists(repository: fields.repository, head: fields.head, number: other)
    }

    private static func acted(
        _ db: Database, repository: String, pullRequest: Int, keys: [String]
    ) throws
        -> Set<String>
    {
        var found: Set<String> = []
        for key in keys {
            if try db.fetchOneCached(
                sql: "SELECT 1 FROM feedback WHERE repository = ? AND pull_request = ? AND key = ?",
                arguments: [repository, pullRequest, key]) != nil
            {
                found.insert(key)
            }
        }
        return found
    }

    private func update(
        repository: String, number: Int, at: Date, set assignment: String,
        _ value: some DatabaseValueConvertible & Sendable
    ) async throws {
        try await write { db in
            try Self.update(db, repository: repository, number: number, at: at, set: assignment, value)
        }
    }

    private static func update(
        _ db: Database, repository: String, number: Int, at: Date, set assignment: String,
        _ value: some DatabaseValueConvertible
    ) throws {
        try db.execute(
            sql: "UPDATE pull_requests SET \(assignment), updated_at = ? WHERE repository = ? AND number = ?",
            arguments: [value, at.millisecondsSince1970, repository, number])
        guard db.changesCount == 1 else { throw LedgerError.noSuchPullRequest(repository: repository, number: number) }
    }

    static func fetchPullRequest(_ db: Database, repository: String, number: Int) throws -> PullRequestRecord? {
        try db.fetchOneCached(
            sql: "SELECT * FROM pull_requests WHERE repository = ? AND number = ?", arguments: [repository, number]
        ).map(pullRequest(from:))
    }

    /// Decodes a pull request row; an unknown state throws `corrupt`.
    static func pullRequest(from row: Row) throws -> PullRequestRecord {
        try PullRequestRecord(
            repository: row["repository"], number: row["number"], url: row["url"], head: row["head"],
            base: row["base"], title: row["title"], body: row["body"],
            state: decoded(PullRequestRecord.State.self, row["state"], column: "pull_requests.state"),
            draft: row["draft"],
            isLocal: row["local"], openedBy: row["opened_by"], latestSession: row["latest_session"],
            createdAt: Date(millisecondsSince1970: row["created_at"]),
            updatedAt: Date(millisecondsSince1970: row["updated_at"]), feedbackCursor: row["feedback_cursor"])
    }
}

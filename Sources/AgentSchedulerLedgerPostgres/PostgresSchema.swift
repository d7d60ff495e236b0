import AgentSchedulerLedger
import PostgresNIO

/// The PostgreSQL schema, as numbered migrations: each runs once per database, in order, inside
/// the one transaction `PostgresLedger.migrate()` holds under `PostgresLocks.migrations`.
///
/// It is the SQLite schema (v1–v5) in one step, with PostgreSQL's types (BIGINT identities,
/// `timestamptz`, `jsonb` event data) and CHECK constraints on every enumerated column, every id
/// and every amount. Times are stored to the millisecond; `agentsched_ms` and `agentsched_at`
/// convert them exactly to and from milliseconds since 1970, the unit the contract rounds to.
enum PostgresSchema {
    struct Migration: Sendable {
        var version: Int32
        var statements: [PostgresQuery]
    }

    static let migrations: [Migration] = [
        Migration(version: 1, statements: version1), Migration(version: 2, statements: version2),
    ]

    /// `'a', 'b', …`: the raw values of one of the code's enums, as a CHECK lists them. They are
    /// the code's own constants (letters, digits, '.', '-'), so quoting them is exact.
    static func sqlList<T: RawRepresentable>(_ values: [T]) -> String where T.RawValue == String {
        precondition(
            values.allSatisfy { $0.rawValue.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" } })
        return values.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    }

    /// The kind of budget alerts, as a SQL literal: the partial index and its queries must spell
    /// it the same way for the planner to use the index.
    static let budgetAlert = sqlList([EventKind.budgetAlert])

    /// The newest version this build knows.
    static var latestVersion: Int32 { migrations.map(\.version).max() ?? 0 }

    private static let version1: [PostgresQuery] = [
        """
        CREATE FUNCTION agentsched_ms(t timestamptz) RETURNS bigint
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            AS $$ SELECT floor(extract(epoch FROM t) * 1000)::bigint $$
        """,
        """
        CREATE FUNCTION agentsched_at(ms bigint) RETURNS timestamptz
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            AS $$ SELECT timestamptz 'epoch' + ms * interval '1 millisecond' $$
        """,
        """
        CREATE TABLE sessions (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            org TEXT NOT NULL CHECK (org <> ''),
            repository TEXT NOT NULL,
            issue INTEGER NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL DEFAULT '',
            agent TEXT NOT NULL,
            assigner TEXT NOT NULL,
            model TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN (\(unescaped: sqlList(SessionState.allCases)))),
            reason TEXT,
            priority INTEGER NOT NULL,
            premium_limit BIGINT CHECK (premium_limit IS NULL OR premium_limit >= 0),
            credit_limit BIGINT CHECK (credit_limit IS NULL OR credit_limit >= 0),
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            worker TEXT CHECK (worker IS NULL OR worker <> ''),
            actual_model TEXT,
            cancel_requested_at TIMESTAMPTZ,
            started_at TIMESTAMPTZ,
            finished_at TIMESTAMPTZ,
            branch TEXT,
            commit_id TEXT,
            patch TEXT,
            worktree TEXT,
            summary TEXT,
            follows BIGINT REFERENCES sessions(id) CHECK (follows IS NULL OR follows <> id),
            feedback TEXT CHECK ((feedback IS NULL) = (follows IS NULL)),
            pr_number INTEGER CHECK (pr_number IS NULL OR pr_number > 0),
            pr_url TEXT CHECK ((pr_url IS NULL) = (pr_number IS NULL) AND (pr_url IS NULL OR pr_url <> ''))
        )
        """,
        "CREATE INDEX sessions_by_state ON sessions(state, created_at, id)",
        "CREATE INDEX sessions_by_age ON sessions(created_at, id)",
        """
        CREATE INDEX sessions_queue ON sessions(org, assigner, priority DESC, created_at, id)
            WHERE worker IS NULL AND state IN ('queued', 'interrupted')
        """,
        "CREATE INDEX sessions_held ON sessions(worker, org, repository, assigner) WHERE worker IS NOT NULL",
        "CREATE INDEX sessions_follows ON sessions(follows) WHERE follows IS NOT NULL",
        """
        CREATE TABLE events (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            session BIGINT REFERENCES sessions(id),
            org TEXT,
            at TIMESTAMPTZ NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN (\(unescaped: sqlList(EventKind.allCases)))),
            data JSONB NOT NULL CHECK (
                jsonb_typeof(data) = 'object' AND NOT jsonb_path_exists(data, '$.* ? (@.type() != "string")'))
        )
        """,
        "CREATE INDEX events_by_session ON events(session, id)",
        "CREATE INDEX events_alerts ON events(id) WHERE kind = \(unescaped: budgetAlert) AND session IS NULL",
        """
        CREATE TABLE workers (
            id TEXT PRIMARY KEY CHECK (id <> ''),
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            started_at TIMESTAMPTZ NOT NULL,
            lease_expires_at TIMESTAMPTZ NOT NULL,
            ended_at TIMESTAMPTZ
        )
        """,
        """
        CREATE TABLE reservations (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            session BIGINT,
            worker TEXT NOT NULL REFERENCES workers(id),
            org TEXT NOT NULL CHECK (org <> ''),
            user_name TEXT NOT NULL,
            agent TEXT NOT NULL,
            repository TEXT NOT NULL,
            model_requested TEXT NOT NULL,
            model_actual TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('session', 'request', 'steering')),
            amount BIGINT NOT NULL CHECK (amount >= 0),
            unit TEXT NOT NULL CHECK (unit IN ('premium-requests', 'ai-credits')),
            period_start TIMESTAMPTZ NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('open', 'committed', 'released')),
            created_at TIMESTAMPTZ NOT NULL,
            resolved_at TIMESTAMPTZ,
            release_reason TEXT,
            CHECK ((state = 'open') = (resolved_at IS NULL)),
            CHECK ((state = 'released') = (release_reason IS NOT NULL))
        )
        """,
        "CREATE INDEX open_reservations ON reservations(worker, id) WHERE state = 'open'",
        """
        CREATE TABLE reservation_scopes (
            reservation BIGINT NOT NULL REFERENCES reservations(id),
            scope TEXT NOT NULL CHECK (scope <> ''),
            period_start TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (reservation, scope)
        )
        """,
        """
        CREATE TABLE charges (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            reservation BIGINT NOT NULL UNIQUE REFERENCES reservations(id),
            session BIGINT,
            org TEXT NOT NULL CHECK (org <> ''),
            user_name TEXT NOT NULL,
            agent TEXT NOT NULL,
            repository TEXT NOT NULL,
            model_requested TEXT NOT NULL,
            model_actual TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('session', 'request', 'steering')),
            amount BIGINT NOT NULL CHECK (amount >= 0),
            unit TEXT NOT NULL CHECK (unit IN ('premium-requests', 'ai-credits')),
            requests INTEGER NOT NULL CHECK (requests >= 0),
            input_tokens BIGINT NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
            cached_tokens BIGINT NOT NULL DEFAULT 0 CHECK (cached_tokens >= 0),
            cache_write_tokens BIGINT NOT NULL DEFAULT 0 CHECK (cache_write_tokens >= 0),
            output_tokens BIGINT NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
            at TIMESTAMPTZ NOT NULL,
            period_start TIMESTAMPTZ NOT NULL
        )
        """,
        // Covers every column a usage report reads, in time order: a report over a period is an
        // index-only scan of one range.
        """
        CREATE INDEX charges_by_time ON charges(at) INCLUDE (
            org, user_name, agent, repository, model_requested, model_actual, session, requests, amount, unit,
            input_tokens, cached_tokens, cache_write_tokens, output_tokens)
        """,
        "CREATE INDEX charges_by_session ON charges(session, id) WHERE session IS NOT NULL",
        """
        CREATE TABLE budget_totals (
            scope TEXT NOT NULL CHECK (scope <> ''),
            period_start TIMESTAMPTZ NOT NULL,
            used BIGINT NOT NULL DEFAULT 0 CHECK (used >= 0),
            reserved BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0),
            PRIMARY KEY (scope, period_start)
        )
        """,
        """
        CREATE TABLE alerts (
            org TEXT NOT NULL,
            period_start TIMESTAMPTZ NOT NULL,
            threshold INTEGER NOT NULL CHECK (threshold >= 0),
            PRIMARY KEY (org, period_start, threshold)
        )
        """,
        """
        CREATE TABLE steering (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            session BIGINT NOT NULL REFERENCES sessions(id),
            message TEXT NOT NULL,
            sender TEXT,
            at TIMESTAMPTZ NOT NULL,
            delivered_at TIMESTAMPTZ
        )
        """,
        "CREATE INDEX steering_waiting ON steering(session, id) WHERE delivered_at IS NULL",
        """
        CREATE TABLE fair_share (
            key TEXT PRIMARY KEY CHECK (key <> ''),
            served BIGINT NOT NULL CHECK (served >= 0)
        )
        """,
        """
        CREATE TABLE pull_requests (
            repository TEXT NOT NULL CHECK (repository <> ''),
            number INTEGER NOT NULL CHECK (number > 0),
            url TEXT NOT NULL CHECK (url <> ''),
            head TEXT NOT NULL CHECK (head <> ''),
            base TEXT NOT NULL CHECK (base <> ''),
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'merged')),
            draft BOOLEAN NOT NULL,
            local BOOLEAN NOT NULL,
            opened_by BIGINT REFERENCES sessions(id),
            latest_session BIGINT REFERENCES sessions(id),
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            feedback_cursor TEXT CHECK (feedback_cursor IS NULL OR feedback_cursor::json IS NOT NULL),
            PRIMARY KEY (repository, number)
        )
        """,
        "CREATE UNIQUE INDEX pull_requests_open_head ON pull_requests(repository, head) WHERE state = 'open'",
        """
        CREATE TABLE feedback (
            repository TEXT NOT NULL CHECK (repository <> ''),
            pull_request INTEGER NOT NULL CHECK (pull_request > 0),
            key TEXT NOT NULL CHECK (key <> ''),
            outcome TEXT NOT NULL CHECK (outcome IN ('follow-up', 'ignored')),
            session BIGINT REFERENCES sessions(id),
            at TIMESTAMPTZ NOT NULL,
            CHECK ((outcome = 'follow-up') = (session IS NOT NULL)),
            PRIMARY KEY (repository, pull_request, key)
        )
        """,
        """
        CREATE TABLE comments (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            repository TEXT NOT NULL CHECK (repository <> ''),
            number INTEGER NOT NULL CHECK (number > 0),
            author TEXT NOT NULL CHECK (author <> ''),
            body TEXT NOT NULL,
            at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX comments_by_thread ON comments(repository, number, id)",
        """
        CREATE TABLE webhook_deliveries (
            delivery TEXT PRIMARY KEY CHECK (delivery <> ''),
            event TEXT NOT NULL,
            digest TEXT NOT NULL UNIQUE CHECK (length(digest) = 64),
            received_at TIMESTAMPTZ NOT NULL
        )
        """,
    ]

    /// Conversations in the ledger (SQLite's v7): a session resumes from its last complete turn
    /// on whichever host claims it next, with the checkpoint commit of its worktree at that turn.
    private static let version2: [PostgresQuery] = [
        """
        CREATE TABLE conversations (
            session BIGINT PRIMARY KEY REFERENCES sessions(id),
            turns INTEGER NOT NULL CHECK (turns >= 0),
            checkpoint TEXT CHECK (checkpoint ~ '^([0-9a-f]{40}|[0-9a-f]{64})$'),
            saved_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE conversation_messages (
            session BIGINT NOT NULL REFERENCES conversations(session),
            position INTEGER NOT NULL CHECK (position >= 0),
            message JSONB NOT NULL,
            PRIMARY KEY (session, position)
        )
        """,
    ]
}

/// The advisory lock keys of the ledger, one `bigint` each (two-key locks, such as
/// `localPullRequests`, live in a separate key space).
enum PostgresLocks {
    /// Held by `migrate()` while it reads and applies versions.
    static let migrations: Int64 = 0x6167_6E74_7363_0001
    /// Held from a transaction's first event insert to its end, so event ids become visible in
    /// increasing order.
    static let events: Int64 = 0x6167_6E74_7363_0002
    /// Held by every claim: the fair-share order and the concurrency counts are global.
    static let claims: Int64 = 0x6167_6E74_7363_0003
    /// The first key of the per-repository lock that numbers local pull requests (the second is
    /// `hashtext(repository)`).
    static let localPullRequests: Int32 = 0x6167_0001
}

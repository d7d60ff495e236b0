import AgentSchedulerLedger
import GRDB

/// The SQLite schema, as GRDB migrations: each runs once per ledger file, in order.
enum LedgerSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sessions (
                        id INTEGER PRIMARY KEY,
                        org TEXT NOT NULL,
                        repository TEXT NOT NULL,
                        issue INTEGER NOT NULL,
                        title TEXT NOT NULL,
                        agent TEXT NOT NULL,
                        assigner TEXT NOT NULL,
                        model TEXT NOT NULL,
                        state TEXT NOT NULL,
                        reason TEXT,
                        priority INTEGER NOT NULL,
                        premium_limit INTEGER,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        worker TEXT
                    );
                    CREATE INDEX sessions_by_state ON sessions(state, created_at);

                    CREATE TABLE events (
                        id INTEGER PRIMARY KEY,
                        session INTEGER REFERENCES sessions(id),
                        org TEXT,
                        at INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        data TEXT NOT NULL
                    );
                    CREATE INDEX events_by_session ON events(session, id);

                    CREATE TABLE workers (
                        id TEXT PRIMARY KEY,
                        pid INTEGER NOT NULL,
                        host TEXT NOT NULL,
                        started_at INTEGER NOT NULL,
                        lease_expires_at INTEGER NOT NULL,
                        ended_at INTEGER
                    );

                    CREATE TABLE reservations (
                        id INTEGER PRIMARY KEY,
                        session INTEGER,
                        worker TEXT NOT NULL REFERENCES workers(id),
                        org TEXT NOT NULL,
                        user TEXT NOT NULL,
                        agent TEXT NOT NULL,
                        repository TEXT NOT NULL,
                        model_requested TEXT NOT NULL,
                        model_actual TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        amount INTEGER NOT NULL CHECK (amount >= 0),
                        period_start INTEGER NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('open', 'committed', 'released')),
                        created_at INTEGER NOT NULL,
                        resolved_at INTEGER,
                        release_reason TEXT
                    );
                    CREATE INDEX open_reservations ON reservations(worker) WHERE state = 'open';

                    -- The scopes each reservation is held under, so commit and release touch the same totals.
                    CREATE TABLE reservation_scopes (
                        reservation INTEGER NOT NULL REFERENCES reservations(id),
                        scope TEXT NOT NULL,
                        period_start INTEGER NOT NULL,
                        PRIMARY KEY (reservation, scope)
                    ) WITHOUT ROWID;

                    CREATE TABLE charges (
                        id INTEGER PRIMARY KEY,
                        reservation INTEGER NOT NULL UNIQUE REFERENCES reservations(id),
                        session INTEGER,
                        org TEXT NOT NULL,
                        user TEXT NOT NULL,
                        agent TEXT NOT NULL,
                        repository TEXT NOT NULL,
                        model_requested TEXT NOT NULL,
                        model_actual TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        amount INTEGER NOT NULL CHECK (amount >= 0),
                        requests INTEGER NOT NULL,
                        at INTEGER NOT NULL,
                        period_start INTEGER NOT NULL
                    );
                    -- Covers every column a usage report reads, in time order, so a report over a
                    -- period scans one contiguous range instead of looking rows up one by one.
                    CREATE INDEX charges_by_time ON charges(
                        at, org, user, agent, repository, model_requested, model_actual, session, requests, amount);

                    -- Used and reserved per scope and period, kept in the same transaction as every
                    -- reservation, commit and release; reports recompute from charges instead.
                    CREATE TABLE budget_totals (
                        scope TEXT NOT NULL,
                        period_start INTEGER NOT NULL,
                        used INTEGER NOT NULL DEFAULT 0,
                        reserved INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (scope, period_start)
                    ) WITHOUT ROWID;

                    -- Alert thresholds already announced, once each per organisation and period.
                    CREATE TABLE alerts (
                        org TEXT NOT NULL,
                        period_start INTEGER NOT NULL,
                        threshold INTEGER NOT NULL,
                        PRIMARY KEY (org, period_start, threshold)
                    ) WITHOUT ROWID;
                    """)
        }
        // v2: what `run` needs: the issue text, claims and outputs of sessions, cancel requests
        // and steering messages from other processes, and the fair-share order.
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    ALTER TABLE sessions ADD COLUMN body TEXT NOT NULL DEFAULT '';
                    ALTER TABLE sessions ADD COLUMN actual_model TEXT;
                    ALTER TABLE sessions ADD COLUMN cancel_requested_at INTEGER;
                    ALTER TABLE sessions ADD COLUMN started_at INTEGER;
                    ALTER TABLE sessions ADD COLUMN finished_at INTEGER;
                    ALTER TABLE sessions ADD COLUMN branch TEXT;
                    ALTER TABLE sessions ADD COLUMN commit_id TEXT;
                    ALTER TABLE sessions ADD COLUMN patch TEXT;
                    ALTER TABLE sessions ADD COLUMN worktree TEXT;
                    ALTER TABLE sessions ADD COLUMN summary TEXT;

                    -- The queue: unclaimed sessions a worker may take, per organisation and user in
                    -- the order they are served (priority, then age).
                    CREATE INDEX sessions_queue ON sessions(org, assigner, priority DESC, created_at, id)
                        WHERE worker IS NULL AND state IN ('queued', 'interrupted');
                    -- Sessions a worker holds (claimed, running or throttled): the concurrency counts.
                    CREATE INDEX sessions_held ON sessions(worker, org, repository, assigner)
                        WHERE worker IS NOT NULL;

                    CREATE TABLE steering (
                        id INTEGER PRIMARY KEY,
                        session INTEGER NOT NULL REFERENCES sessions(id),
                        message TEXT NOT NULL,
                        sender TEXT,
                        at INTEGER NOT NULL,
                        delivered_at INTEGER
                    );
                    -- A session's own charges: what a resumed session has already paid for.
                    CREATE INDEX charges_by_session ON charges(session) WHERE session IS NOT NULL;

                    CREATE INDEX steering_waiting ON steering(session) WHERE delivered_at IS NULL;

                    -- When each organisation and user was last served: the least recent goes next.
                    CREATE TABLE fair_share (
                        key TEXT PRIMARY KEY,
                        served INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        // v3: pull requests and follow-ups (DESIGN §4, §8). Sessions gain the session a follow-up
        // continues, its new instructions and the pull request it went to; pull requests, the
        // feedback acted on (once per key and pull request, across processes) and local comments
        // get tables of their own. Existing ledgers keep every row: the new columns start NULL.
        migrator.registerMigration("v3") { db in
            try db.execute(
                sql: """
                    ALTER TABLE sessions ADD COLUMN follows INTEGER REFERENCES sessions(id)
                        CHECK (follows IS NULL OR follows <> id);
                    ALTER TABLE sessions ADD COLUMN feedback TEXT CHECK ((feedback IS NULL) = (follows IS NULL));
                    ALTER TABLE sessions ADD COLUMN pr_number INTEGER CHECK (pr_number IS NULL OR pr_number > 0);
                    ALTER TABLE sessions ADD COLUMN pr_url TEXT
                        CHECK ((pr_url IS NULL) = (pr_number IS NULL) AND (pr_url IS NULL OR pr_url <> ''));
                    CREATE INDEX sessions_follows ON sessions(follows) WHERE follows IS NOT NULL;

                    CREATE TABLE pull_requests (
                        repository TEXT NOT NULL CHECK (repository <> ''),
                        number INTEGER NOT NULL CHECK (number > 0),
                        url TEXT NOT NULL CHECK (url <> ''),
                        head TEXT NOT NULL CHECK (head <> ''),
                        base TEXT NOT NULL CHECK (base <> ''),
                        title TEXT NOT NULL,
                        body TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'merged')),
                        draft INTEGER NOT NULL CHECK (draft IN (0, 1)),
                        local INTEGER NOT NULL CHECK (local IN (0, 1)),
                        opened_by INTEGER REFERENCES sessions(id),
                        latest_session INTEGER REFERENCES sessions(id),
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        feedback_cursor TEXT CHECK (feedback_cursor IS NULL OR json_valid(feedback_cursor)),
                        PRIMARY KEY (repository, number)
                    ) WITHOUT ROWID;
                    -- One open pull request per branch, as forges have it.
                    CREATE UNIQUE INDEX pull_requests_open_head ON pull_requests(repository, head)
                        WHERE state = 'open';

                    -- Feedback acted on: each key (such as review-comment:123) once per pull request.
                    CREATE TABLE feedback (
                        repository TEXT NOT NULL,
                        pull_request INTEGER NOT NULL CHECK (pull_request > 0),
                        key TEXT NOT NULL CHECK (key <> ''),
                        outcome TEXT NOT NULL CHECK (outcome IN ('follow-up', 'ignored')),
                        session INTEGER REFERENCES sessions(id),
                        at INTEGER NOT NULL,
                        CHECK ((outcome = 'follow-up') = (session IS NOT NULL)),
                        PRIMARY KEY (repository, pull_request, key)
                    ) WITHOUT ROWID;

                    -- Comments on local issues and pull requests: what the offline forge writes and reads.
                    CREATE TABLE comments (
                        id INTEGER PRIMARY KEY,
                        repository TEXT NOT NULL CHECK (repository <> ''),
                        number INTEGER NOT NULL CHECK (number > 0),
                        author TEXT NOT NULL CHECK (author <> ''),
                        body TEXT NOT NULL,
                        at INTEGER NOT NULL
                    );
                    CREATE INDEX comments_by_thread ON comments(repository, number, id);
                    """)
        }
        // AI credits (DESIGN §9): every amount says its unit; a charge keeps the tokens it was priced
        // from; a session may carry a cap in credits.
        migrator.registerMigration("v4") { db in
            try db.execute(
                sql: """
                    ALTER TABLE sessions ADD COLUMN credit_limit INTEGER CHECK (credit_limit IS NULL OR credit_limit >= 0);
                    ALTER TABLE reservations ADD COLUMN unit TEXT NOT NULL DEFAULT 'premium-requests'
                        CHECK (unit IN ('premium-requests', 'ai-credits'));
                    ALTER TABLE charges ADD COLUMN unit TEXT NOT NULL DEFAULT 'premium-requests'
                        CHECK (unit IN ('premium-requests', 'ai-credits'));
                    ALTER TABLE charges ADD COLUMN input_tokens INTEGER NOT NULL DEFAULT 0 CHECK (input_tokens >= 0);
                    ALTER TABLE charges ADD COLUMN cached_tokens INTEGER NOT NULL DEFAULT 0 CHECK (cached_tokens >= 0);
                    ALTER TABLE charges ADD COLUMN cache_write_tokens INTEGER NOT NULL DEFAULT 0
                        CHECK (cache_write_tokens >= 0);
                    ALTER TABLE charges ADD COLUMN output_tokens INTEGER NOT NULL DEFAULT 0 CHECK (output_tokens >= 0);
                    DROP INDEX charges_by_time;
                    CREATE INDEX charges_by_time ON charges(
                        at, org, user, agent, repository, model_requested, model_actual, session, requests, amount,
                        unit, input_tokens, cached_tokens, cache_write_tokens, output_tokens);
                    """)
        }
        // GitHub webhooks (DESIGN §11): each delivery id once, so a replayed delivery does nothing.
        migrator.registerMigration("v5") { db in
            try db.execute(
                sql: """
                    CREATE TABLE webhook_deliveries (
                        delivery TEXT PRIMARY KEY CHECK (delivery <> ''),
                        event TEXT NOT NULL,
                        digest TEXT NOT NULL UNIQUE CHECK (length(digest) = 64),
                        received_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        // v6: the enumerated columns SQLite's ALTER TABLE could not constrain, checked by triggers
        // (SQLite adds no CHECK to an existing column): a state or kind the code does not know
        // is refused on the way in, as decoding refuses it on the way out.
        migrator.registerMigration("v6") { db in
            for check in Self.enumeratedColumns {
                try db.execute(sql: check.triggers)
            }
        }
        // v7: conversations in the ledger, so that a session resumes from its last complete turn
        // wherever it runs next, with the checkpoint commit of its worktree at that turn.
        migrator.registerMigration("v7") { db in
            try db.execute(
                sql: """
                    CREATE TABLE conversations (
                        session INTEGER PRIMARY KEY REFERENCES sessions(id),
                        turns INTEGER NOT NULL CHECK (turns >= 0),
                        checkpoint TEXT CHECK (checkpoint IS NULL OR (length(checkpoint) IN (40, 64)
                            AND checkpoint NOT GLOB '*[^0-9a-f]*')),
                        saved_at INTEGER NOT NULL
                    );
                    CREATE TABLE conversation_messages (
                        session INTEGER NOT NULL REFERENCES conversations(session),
                        position INTEGER NOT NULL CHECK (position >= 0),
                        message TEXT NOT NULL CHECK (json_valid(message)),
                        PRIMARY KEY (session, position)
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }

    /// A column that holds one of a fixed set of names.
    struct EnumeratedColumn {
        var table: String
        var column: String
        var values: [String]

        /// `BEFORE INSERT` and `BEFORE UPDATE OF` triggers that abort on any other value.
        var triggers: String {
            // The values are the code's own enum raw values (letters, digits, '.', '-'): quoting is exact.
            precondition(values.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" } })
            let list = values.map { "'\($0)'" }.joined(separator: ", ")
            let name = "\(table)_\(column)_known"
            return ["INSERT", "UPDATE OF \(column)"].enumerated().map { index, event in
                """
                CREATE TRIGGER \(name)_\(index) BEFORE \(event) ON \(table)
                WHEN NEW.\(column) NOT IN (\(list))
                BEGIN SELECT RAISE(ABORT, '\(table).\(column) holds an unknown value'); END;
                """
            }.joined(separator: "\n")
        }
    }

    /// Fixed at v6: a kind or state added later needs a migration that recreates its triggers.
    static let enumeratedColumns = [
        EnumeratedColumn(table: "sessions", column: "state", values: SessionState.allCases.map(\.rawValue)),
        EnumeratedColumn(table: "events", column: "kind", values: EventKind.allCases.map(\.rawValue)),
        EnumeratedColumn(table: "reservations", column: "kind", values: ChargeKind.allCases.map(\.rawValue)),
        EnumeratedColumn(table: "charges", column: "kind", values: ChargeKind.allCases.map(\.rawValue)),
    ]
}

import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import Foundation
import GRDBSQLite

/// Times `usage --by org,user,agent,model,day` over a ledger of many charges.
struct UsageBench {
    var charges: Int
    /// A ledger seeded by an earlier run, to time the query alone.
    var existingLedger: String?

    func run() async throws {
        let path: String
        if let existingLedger {
            path = existingLedger
        } else {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "usage-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            path = folder.appendingPathComponent("ledger.sqlite").path
            let fill = ContinuousClock.now
            _ = try SQLiteLedger(path: path)
            try seed(path: path)
            print("seeded \(charges) charges in \(ContinuousClock.now - fill) (ledger: \(path))")
        }
        let ledger = try SQLiteLedger(path: path)
        let query = UsageQuery(
            from: Date(timeIntervalSince1970: 1_761_955_200), until: Date(timeIntervalSince1970: 1_767_225_600),
            dimensions: [.org, .user, .agent, .model, .day])
        for attempt in 1...5 {
            let started = ContinuousClock.now
            let rows = try await ledger.usageRows(query)
            let total = rows.reduce(PremiumRequests.zero) { $0 + $1.premiumRequests }
            print("run \(attempt): \(rows.count) rows, total \(total), in \(ContinuousClock.now - started)")
        }
        print(
            "time the command line on it: agentsched usage --state-dir \((path as NSString).deletingLastPathComponent) ..."
        )
    }

    /// Inserts charges straight into the ledger file (seeding is not what is measured): 3 orgs,
    /// 40 users, 7 agents, 5 models, spread over November and December 2025.
    func seed(path: String) throws {
        var handle: OpaquePointer?
        guard sqlite3_open(path, &handle) == SQLITE_OK, let db = handle else { throw BenchFailure("open") }
        defer { sqlite3_close(db) }
        sqlite3_exec(db, "BEGIN", nil, nil, nil)
        sqlite3_exec(
            db,
            "INSERT INTO workers (id, pid, host, started_at, lease_expires_at) VALUES ('seed', 0, 'bench', 0, 0)",
            nil, nil, nil)
        var reserve: OpaquePointer?
        var charge: OpaquePointer?
        sqlite3_prepare_v2(
            db,
            """
            INSERT INTO reservations (id, session, worker, org, user, agent, repository, model_requested, model_actual,
                kind, amount, period_start, state, created_at, resolved_at)
            VALUES (?1, ?2, 'seed', ?3, ?4, ?5, ?6, ?7, ?7, 'request', ?8, 0, 'committed', ?9, ?9)
            """, -1, &reserve, nil)
        sqlite3_prepare_v2(
            db,
            """
            INSERT INTO charges (reservation, session, org, user, agent, repository, model_requested, model_actual,
                kind, amount, requests, at, period_start)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 'request', ?8, 1, ?9, 0)
            """, -1, &charge, nil)
        let orgs = ["acme", "globex", "initech"]
        let agents = [
            "planner", "implementer", "test-writer", "reviewer", "docs-writer", "security-auditor", "triager",
        ]
        let models = ["gpt-4.1", "claude-sonnet-4.5", "claude-haiku-4.5", "gpt-5-mini", "claude-opus-4.7"]
        let multipliers: [Int64] = [0, 1000, 330, 0, 15000]
        var random = SplitMix(seed: 42)
        let start: Int64 = 1_761_955_200_000
        let span: Int64 = 61 * 86_400_000
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for index in 0..<charges {
            let org = orgs[Int(random.next() % 3)]
            let user = "user\(random.next() % 40)"
            let agent = agents[Int(random.next() % 7)]
            let model = Int(random.next() % 5)
            let at = start + Int64(random.next() % UInt64(span))
            for statement in [reserve, charge] {
                sqlite3_reset(statement)
                sqlite3_bind_int64(statement, 1, Int64(index + 1))
                sqlite3_bind_int64(statement, 2, Int64(index / 5 + 1))
                sqlite3_bind_text(statement, 3, org, -1, transient)
                sqlite3_bind_text(statement, 4, user, -1, transient)
                sqlite3_bind_text(statement, 5, agent, -1, transient)
                sqlite3_bind_text(statement, 6, "\(org)/webapp", -1, transient)
                sqlite3_bind_text(statement, 7, models[model], -1, transient)
                sqlite3_bind_int64(statement, 8, multipliers[model])
                sqlite3_bind_int64(statement, 9, at)
                guard sqlite3_step(statement) == SQLITE_DONE else {
                    throw BenchFailure(String(cString: sqlite3_errmsg(db)))
                }
            }
        }
        sqlite3_finalize(reserve)
        sqlite3_finalize(charge)
        sqlite3_exec(db, "COMMIT", nil, nil, nil)
    }
}

/// A small seeded generator, so every run seeds the same ledger.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import AgentSchedulerTesting
import Foundation
import Testing

@testable import AgentSchedulerLedgerPostgres

@Suite(
    "PostgreSQL and SQLite answer one script identically: records, errors, events, reports",
    .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
struct PostgresParityTests {
    /// What a script observed, one line per answer.
    final class Transcript: @unchecked Sendable {
        var lines: [String] = []

        func note(_ label: String, _ value: Any) { lines.append("\(label): \(String(describing: value))") }

        /// Runs `step`, noting its answer or its `LedgerError`.
        func step<T>(_ label: String, _ step: () async throws -> T) async throws {
            do {
                note(label, try await step())
            } catch let error as LedgerError {
                note(label, "throws \(error)")
            }
        }
    }

    /// Drives every part of the contract through `ledger`, in caller time.
    static func script(_ ledger: any Ledger) async throws -> [String] {
        let log = Transcript()
        let t0 = Fixture.now
        let limits = ["acme": ConcurrencyPolicy(sessions: 3, perRepository: 2, perUser: 2)]
        try await ledger.registerWorker(Fixture.lease("w1", at: t0, seconds: 600), at: t0)
        try await ledger.registerWorker(Fixture.lease("w2", at: t0, seconds: 60), at: t0)
        var ids: [SessionID] = []
        for issue in 1...6 {
            let session = try await ledger.createSession(
                Fixture.session(
                    org: issue == 6 ? "globex" : "acme", repository: issue.isMultiple(of: 2) ? "acme/api" : "acme/web",
                    issue: issue, assigner: issue < 4 ? "alice" : "bob", priority: issue == 3 ? 5 : 0),
                at: t0 + Double(issue))
            ids.append(session.id)
            log.note("created", session)
        }
        try await log.step("denied") {
            try await ledger.createSession(
                NewSession(
                    org: "acme", repository: "acme/web", issue: 9, agent: "a", assigner: "eve", model: "m",
                    state: .denied, reason: "not allowed"), at: t0)
        }
        try await log.step("bad follow-up") {
            try await ledger.createSession(
                NewSession(
                    org: "acme", repository: "acme/web", issue: 9, agent: "a", assigner: "eve", model: "m",
                    follows: 999, feedback: "x"), at: t0)
        }
        try await log.step("claim w1") {
            try await ledger.claim(ClaimRequest(worker: "w1", slots: 2, limits: limits, at: t0 + 10))
        }
        try await log.step("claim w2") {
            try await ledger.claim(ClaimRequest(worker: "w2", slots: 5, limits: limits, at: t0 + 10))
        }
        try await log.step("claim unknown") {
            try await ledger.claim(ClaimRequest(worker: "nobody", slots: 1, limits: limits, at: t0 + 10))
        }
        let active = try await ledger.activeCounts()
        for counts in [active.organisations, active.repositories, active.users] {
            log.note("active", counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        }
        let held = try await ledger.sessions(in: [.queued]).filter { $0.worker == "w1" }.map(\.id)
        for id in held {
            try await log.step("start \(id)") {
                try await ledger.transition(id, to: .running, reason: nil, worker: "w1", at: t0 + 11)
            }
        }
        if let id = held.first {
            try await log.step("other worker") {
                try await ledger.transition(id, to: .failed, reason: "x", worker: "w2", at: t0 + 12)
            }
            try await log.step("invalid") {
                try await ledger.transition(id, to: .queued, reason: nil, worker: "w1", at: t0 + 12)
            }
            try await log.step("throttle") {
                try await ledger.transition(id, to: .throttled, reason: "429", worker: "w1", at: t0 + 12)
            }
            try await log.step("resume") {
                try await ledger.transition(id, to: .running, reason: nil, worker: "w1", at: t0 + 13)
            }
            try await log.step("outputs") {
                try await ledger.recordOutputs(
                    id,
                    SessionOutputs(
                        branch: "agentsched/1", commit: "abc", summary: "done",
                        pullRequest: PullRequestLink(number: 7, url: "https://x/7")), at: t0 + 14)
            }
            try await log.step("fallback") {
                try await ledger.recordActualModel(id, model: "gpt-4.1", reason: "budget", at: t0 + 14)
            }
            let steering = try await ledger.steer(id, message: "Add a test.", by: "alice", at: t0 + 15)
            log.note("controls", try await ledger.controls(worker: "w1"))
            try await log.step("deliver") { try await ledger.markDelivered(steering, refusal: nil, at: t0 + 16) }
            try await log.step("deliver again") {
                try await ledger.markDelivered(steering, refusal: "late", at: t0 + 16)
            }
            try await log.step("cancel held") { try await ledger.requestCancel(id, by: "alice", at: t0 + 17) }
            log.note("controls", try await ledger.controls(worker: "w1"))
        }
        try await log.step("cancel waiting") { try await ledger.requestCancel(ids[5], by: nil, at: t0 + 18) }
        try await log.step("cancel final") { try await ledger.requestCancel(ids[5], by: nil, at: t0 + 18) }
        try await log.step("steer final") { try await ledger.steer(ids[5], message: "x", by: nil, at: t0 + 18) }

        // Budget.
        let scopes =
            Fixture.scopes(limit: premium(5))
            + [
                BudgetScope(
                    kind: .session, name: "\(ids[0])", limit: premium(3), periodStart: .init(timeIntervalSince1970: 0),
                    periodEnd: nil)
            ]
        var reservations: [Reservation] = []
        for (index, size) in [Int64(2), 1, 1, 1].enumerated() {
            let request = Fixture.request(premium(size), scopes: scopes, session: ids[0], at: t0 + 20 + Double(index))
            try await log.step("reserve \(size)") {
                let outcome = try await ledger.reserve(request)
                if case .reserved(let reservation) = outcome { reservations.append(reservation) }
                return outcome
            }
        }
        try await log.step("zero") {
            try await ledger.reserve(Fixture.request(Amount.zero(.premiumRequests), scopes: scopes, at: t0 + 25))
        }
        try await log.step("unit mismatch") {
            try await ledger.reserve(
                Fixture.request(Amount(.aiCredits, minorUnits: 5), scopes: scopes, at: t0 + 25))
        }
        try await log.step("expired lease") {
            try await ledger.reserve(Fixture.request(premium(1), scopes: scopes, worker: "w2", at: t0 + 100))
        }
        if reservations.count >= 3 {
            try await log.step("commit") {
                try await ledger.commit(
                    reservations[0].id, amount: premium(1), requests: 2, tokens: .zero, at: t0 + 30,
                    orgLimit: premium(5), alerts: [10, 20, 50, 90], delivering: nil)
            }
            try await log.step("commit twice") {
                try await ledger.commit(
                    reservations[0].id, amount: premium(1), requests: 2, tokens: .zero, at: t0 + 30,
                    orgLimit: premium(5), alerts: [10], delivering: nil)
            }
            try await log.step("too much") {
                try await ledger.commit(
                    reservations[1].id, amount: premium(2), requests: 1, tokens: .zero, at: t0 + 31, orgLimit: nil,
                    alerts: [], delivering: nil)
            }
            try await log.step("commit 2") {
                try await ledger.commit(
                    reservations[1].id, amount: premium(1), requests: 1, tokens: .zero, at: t0 + 86_400 * 2,
                    orgLimit: premium(5), alerts: [10, 20, 50, 90], delivering: nil)
            }
            try await log.step("release") {
                try await ledger.release(reservations[2].id, reason: "failed", at: t0 + 32)
            }
            try await log.step("release twice") {
                try await ledger.release(reservations[2].id, reason: "failed", at: t0 + 32)
            }
        }
        try await log.step("no reservation") { try await ledger.release(12345, reason: "x", at: t0) }
        log.note("usage", try await ledger.usage(of: scopes))
        log.note("open", try await ledger.openReservations())
        log.note(
            "alerts",
            try await ledger.alerts(org: "acme", since: t0, after: 0).map {
                [$0.id] + $0.data.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } as [Any]
            })
        log.note("alerts all", try await ledger.alerts(org: nil, since: t0 + 31, after: 0).map(\.id))
        log.note("session charges", try await ledger.charges(session: ids[0]))

        // Pull requests and feedback.
        let fields = PullRequestFields(
            repository: "acme/web", head: "agentsched/1", base: "main", title: "T", body: "B", session: ids[0])
        try await log.step("local 1") { try await ledger.openLocalPullRequest(fields, at: t0 + 40) }
        try await log.step("local again") { try await ledger.openLocalPullRequest(fields, at: t0 + 40) }
        var other = fields
        other.head = "agentsched/2"
        other.session = nil
        try await log.step("local 2") { try await ledger.openLocalPullRequest(other, at: t0 + 41) }
        try await log.step("forge") {
            try await ledger.recordPullRequest(
                PullRequestFields(repository: "acme/api", head: "feature", base: "main", title: "F", body: ""),
                number: 12, url: "https://github.com/acme/api/pull/12", at: t0 + 42)
        }
        try await log.step("forge update") {
            try await ledger.recordPullRequest(
                PullRequestFields(
                    repository: "acme/api", head: "feature", base: "main", title: "F2", body: "b", draft: false,
                    session: ids[1]),
                number: 12, url: "https://github.com/acme/api/pull/12", at: t0 + 43)
        }
        try await log.step("cursor") {
            try await ledger.saveFeedbackCursor(
                repository: "acme/web", number: 1, cursor: "{\"b\":1, \"a\":[2]}", at: t0 + 44)
        }
        try await log.step("bad cursor") {
            try await ledger.saveFeedbackCursor(repository: "acme/web", number: 1, cursor: "{nope", at: t0 + 44)
        }
        try await log.step("state") {
            try await ledger.setPullRequestState(repository: "acme/web", number: 2, state: .merged, at: t0 + 45)
        }
        try await log.step("no pr") {
            try await ledger.setPullRequestState(repository: "acme/web", number: 99, state: .closed, at: t0 + 45)
        }
        let followUp = NewSession(
            org: "acme", repository: "acme/web", issue: 1, agent: "implementer", assigner: "alice",
            model: "claude-sonnet-4.5", follows: ids[0], feedback: "Fix the typo.")
        try await log.step("follow-up") {
            try await ledger.createFollowUp(
                followUp, pullRequest: 1, feedbackKeys: ["review-comment:1", "review-comment:2"], at: t0 + 46)
        }
        try await log.step("follow-up again") {
            try await ledger.createFollowUp(followUp, pullRequest: 1, feedbackKeys: ["review-comment:2"], at: t0 + 47)
        }
        try await log.step("mark") {
            try await ledger.markFeedback(
                repository: "acme/web", pullRequest: 1, keys: ["review-comment:2", "issue-comment:3"],
                outcome: .ignored, at: t0 + 48)
        }
        try await log.step("acted") {
            try await ledger.actedOnFeedback(
                repository: "acme/web", pullRequest: 1, keys: ["review-comment:1", "issue-comment:3", "x"]
            ).sorted()
        }
        try await log.step("latest") {
            try await ledger.setLatestSession(repository: "acme/api", number: 12, session: ids[2], at: t0 + 49)
        }
        log.note("prs", try await ledger.pullRequests(repository: nil, openOnly: false))
        log.note("open prs", try await ledger.pullRequests(repository: "acme/web", openOnly: true))
        log.note("by head", try await ledger.pullRequest(head: "agentsched/1", repository: "acme/web") as Any)
        log.note("by number", try await ledger.pullRequest(repository: "acme/api", number: 12) as Any)

        // Comments and webhooks.
        let comment = try await ledger.addLocalComment(
            repository: "acme/web", number: 1, author: "alice", body: "LGTM", at: t0 + 50)
        log.note("comment", comment)
        _ = try await ledger.addLocalComment(repository: "acme/web", number: 2, author: "bob", body: "?", at: t0 + 51)
        log.note("comments", try await ledger.localComments(repository: "acme/web", number: 1, after: 0))
        let digest = String(repeating: "ab", count: 32)
        try await log.step("hook") {
            try await ledger.recordWebhookDelivery("d1", event: "push", digest: digest, at: t0 + 52)
        }
        try await log.step("hook replay") {
            try await ledger.recordWebhookDelivery("d2", event: "push", digest: digest, at: t0 + 52)
        }
        try await ledger.forgetWebhookDelivery("d1")
        try await log.step("hook again") {
            try await ledger.recordWebhookDelivery("d1", event: "push", digest: digest, at: t0 + 53)
        }
        try await log.step("hook empty") {
            try await ledger.recordWebhookDelivery("", event: "push", digest: digest, at: t0 + 53)
        }

        // Leases and reports.
        try await log.step("renew lost") { try await ledger.renewLease(worker: "w9", until: t0 + 99, at: t0) }
        try await log.step("reclaim") { try await ledger.reclaimExpiredLeases(now: t0 + 120) }
        try await log.step("retire") { try await ledger.retireWorker("w1", at: t0 + 130) }
        log.note("states", try await ledger.stateCounts().sorted { $0.key.rawValue < $1.key.rawValue })
        log.note("sessions", try await ledger.sessions(in: []))
        log.note("interrupted", try await ledger.sessions(in: [.interrupted, .cancelled]))
        for dimensions: [UsageDimension] in [[], [.org, .user, .model], [.day], [.session], [.agent, .repo]] {
            log.note(
                "usage \(dimensions)",
                try await ledger.usage(UsageQuery(from: t0 - 86_400, until: t0 + 86_400 * 7, dimensions: dimensions)))
        }
        log.note("usage empty", try await ledger.usage(UsageQuery(from: t0 - 10, until: t0, dimensions: [.org])))
        log.note("charges", try await ledger.charges(from: t0, until: t0 + 86_400 * 7, org: "acme"))
        log.note(
            "costs",
            try await ledger.completedSessionCosts(
                agent: "implementer", model: "claude-sonnet-4.5", unit: .premiumRequests, limit: 5))
        let events = try await ledger.events(session: nil, after: 0)
        for event in events {
            // Dictionaries print in no fixed order: the data, sorted.
            let data = event.data.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            log.note(
                "event", "\(event.id) \(event.session as Any) \(event.org as Any) \(event.at) \(event.kind) \(data)")
        }
        log.note("session events", try await ledger.events(session: ids[0], after: 2).map(\.id))
        log.note("latest", try await ledger.latestEventID())
        return log.lines
    }

    @Test("one script of every ledger call gives the same transcript on both engines")
    func sameTranscript() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parity-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlite = try await Self.script(SQLiteLedger(path: folder.appendingPathComponent("ledger.sqlite").path))
        let postgres = try await withPostgresLedger(timeSource: .caller) { ledger, _ in try await Self.script(ledger) }
        #expect(postgres.count == sqlite.count)
        for (index, (expected, actual)) in zip(sqlite, postgres).enumerated() where expected != actual {
            Issue.record("line \(index) differs:\nSQLite:     \(expected)\nPostgreSQL: \(actual)")
        }
    }
}

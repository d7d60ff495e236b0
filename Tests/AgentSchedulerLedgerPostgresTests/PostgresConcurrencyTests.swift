import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerTesting
import Foundation
import PostgresNIO
import Testing

@testable import AgentSchedulerLedgerPostgres

@Suite(
    "PostgreSQL under concurrency: budgets, claims and the event feed hold with many writers at once",
    .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
struct PostgresConcurrencyTests {
    @Test(
        "16 concurrent reservers on one organisation budget never hold more than the limit, and totals are exact",
        arguments: [(limit: Int64(50), each: Int64(3)), (limit: 7, each: 1)])
    func reservationInvariant(limit: Int64, each: Int64) async throws {
        try await PostgresTestServer.withDatabase { url in
            let configuration = try PostgresLedgerConfiguration(url: url, environment: [:])
            let scopes = Fixture.scopes(limit: premium(limit))
            // Two ledgers (two pools), as two hosts would have.
            try await PostgresLedger.withLedger(
                configuration, timeSource: .caller, maximumConnections: 4, connectionTimeout: .seconds(120)
            ) { first in
                try await PostgresLedger.withLedger(
                    configuration, timeSource: .caller, maximumConnections: 4, connectionTimeout: .seconds(120)
                ) { second in
                    for worker in 0..<16 {
                        try await first.registerWorker(Fixture.lease("w\(worker)"), at: Fixture.now)
                    }
                    let outcomes = try await withThrowingTaskGroup(of: (reserved: Int, refused: Int).self) { group in
                        for worker in 0..<16 {
                            let ledger = worker.isMultiple(of: 2) ? first : second
                            group.addTask {
                                var reserved = 0
                                var refused = 0
                                for round in 0..<6 {
                                    let request = Fixture.request(premium(each), scopes: scopes, worker: "w\(worker)")
                                    switch try await ledger.reserve(request) {
                                    case .reserved(let reservation):
                                        reserved += 1
                                        let usage = try await ledger.usage(of: [scopes[0]])[0]
                                        #expect(usage.used + usage.reserved <= premium(limit))
                                        if round.isMultiple(of: 2) {
                                            _ = try await ledger.commit(
                                                reservation.id, amount: reservation.amount, requests: 1,
                                                tokens: .zero, at: Fixture.now, orgLimit: nil, alerts: [],
                                                delivering: nil)
                                        }
                                    case .exhausted(let exhaustion):
                                        refused += 1
                                        #expect(exhaustion.scope.kind == .org)
                                        #expect(
                                            exhaustion.usage.used + exhaustion.usage.reserved + premium(each)
                                                > premium(limit))
                                    }
                                }
                                return (reserved, refused)
                            }
                        }
                        var all: [(reserved: Int, refused: Int)] = []
                        for try await outcome in group { all.append(outcome) }
                        return all
                    }
                    let reserved = outcomes.map(\.reserved).reduce(0, +)
                    // Exactly as many fit as the limit allows: no more (the invariant), no fewer (no
                    // reservation was refused while room remained, since nothing is ever released).
                    #expect(Int64(reserved) == min(16 * 6, limit / each))
                    let usage = try await first.usage(of: scopes)
                    #expect(usage[0].used + usage[0].reserved == premium(Int64(reserved) * each))
                    let open = try await first.openReservations()
                    #expect(usage[0].reserved == premium(Int64(open.count) * each))
                    let charged = try await first.charges(from: Fixture.monthStart, until: Fixture.now + 1, org: "acme")
                    #expect(usage[0].used == premium(Int64(charged.count) * each))
                    // The user and agent scopes counted exactly the same.
                    #expect(usage[1] == usage[0])
                    #expect(usage[2] == usage[0])
                }
            }
        }
    }

    @Test("workers claiming at once from two pools never exceed any organisation's concurrency")
    func claimsKeepConcurrency() async throws {
        try await PostgresTestServer.withDatabase { url in
            let configuration = try PostgresLedgerConfiguration(url: url, environment: [:])
            let limits = [
                "acme": ConcurrencyPolicy(sessions: 5, perUser: 3), "globex": ConcurrencyPolicy(sessions: 2),
            ]
            try await PostgresLedger.withLedger(
                configuration, timeSource: .caller, maximumConnections: 4, connectionTimeout: .seconds(120)
            ) { first in
                try await PostgresLedger.withLedger(
                    configuration, timeSource: .caller, maximumConnections: 4, connectionTimeout: .seconds(120)
                ) { second in
                    for issue in 1...40 {
                        let org = issue.isMultiple(of: 3) ? "globex" : "acme"
                        _ = try await first.createSession(
                            Fixture.session(
                                org: org, repository: "\(org)/webapp", issue: issue,
                                assigner: ["alice", "bob"][issue % 2]),
                            at: Fixture.now)
                    }
                    for worker in 0..<12 {
                        try await first.registerWorker(Fixture.lease("w\(worker)"), at: Fixture.now)
                    }
                    let claimed = try await withThrowingTaskGroup(of: [SessionRecord].self) { group in
                        for worker in 0..<12 {
                            let ledger = worker.isMultiple(of: 2) ? first : second
                            group.addTask {
                                var mine: [SessionRecord] = []
                                for _ in 0..<3 {
                                    mine += try await ledger.claim(
                                        ClaimRequest(worker: "w\(worker)", slots: 2, limits: limits, at: Fixture.now))
                                }
                                return mine
                            }
                        }
                        var all: [SessionRecord] = []
                        for try await sessions in group { all += sessions }
                        return all
                    }
                    #expect(Set(claimed.map(\.id)).count == claimed.count, "a session was claimed twice")
                    #expect(claimed.filter { $0.org == "acme" }.count == 5)
                    #expect(claimed.filter { $0.org == "globex" }.count == 2)
                    for user in ["alice", "bob"] {
                        #expect(claimed.filter { $0.org == "acme" && $0.assigner == user }.count <= 3)
                    }
                    let counts = try await first.activeCounts()
                    #expect(counts.organisations == ["acme": 5, "globex": 2])
                    let events = try await first.events(session: nil, after: 0).filter { $0.kind == .sessionClaimed }
                    #expect(events.count == claimed.count)
                }
            }
        }
    }

    @Test("readers following the feed see every event, in increasing id order, while 8 writers append")
    func eventsInOrder() async throws {
        try await withPostgresLedger { ledger, _ in
            let writers = 8
            let perWriter = 40
            let seen = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in 0..<perWriter {
                            if index.isMultiple(of: 5) {
                                try await ledger.record(
                                    (0..<3).map {
                                        NewEvent(
                                            .sessionSteered(turn: index, message: "writer \(writer), \(index).\($0)"),
                                            session: nil, org: "acme", at: Fixture.now)
                                    })
                            } else {
                                try await ledger.record(
                                    .sessionSteered(turn: index, message: "writer \(writer)"), session: nil,
                                    org: "acme", at: Fixture.now)
                            }
                        }
                        return []
                    }
                }
                group.addTask {
                    // A live reader: polls from the last id it saw, as the web feed does.
                    var ids: [Int64] = []
                    let total = writers * (perWriter / 5 * 3 + perWriter - perWriter / 5)
                    while ids.count < total {
                        let fresh = try await ledger.events(session: nil, after: ids.last ?? 0).map(\.id)
                        ids += fresh
                        if fresh.isEmpty { try await Task.sleep(for: .milliseconds(1)) }
                    }
                    return ids
                }
                var all: [[Int64]] = []
                for try await ids in group { all.append(ids) }
                return all.max { $0.count < $1.count } ?? []
            }
            #expect(seen == seen.sorted())
            let stored = try await ledger.events(session: nil, after: 0).map(\.id)
            #expect(seen == stored, "the live reader skipped an event that committed after a higher id")
            #expect(try await ledger.latestEventID() == stored.last)
        }
    }

    @Test("two processes racing on one steering message: exactly one delivers it, and a charge delivers once")
    func steeringDeliveredOnce() async throws {
        try await withPostgresLedger { ledger, _ in
            try await ledger.registerWorker(Fixture.lease("w1"), at: Fixture.now)
            let session = try await ledger.createSession(Fixture.session(), at: Fixture.now)
            let message = try await ledger.steer(session.id, message: "Add a test.", by: "alice", at: Fixture.now)
            let marks = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await ledger.markDelivered(message, refusal: nil, at: Fixture.now) }
                }
                var results: [Bool] = []
                for try await marked in group { results.append(marked) }
                return results
            }
            #expect(marks.filter { $0 }.count == 1)

            let second = try await ledger.steer(session.id, message: "And docs.", by: nil, at: Fixture.now)
            let scopes = Fixture.scopes(limit: premium(10))
            guard case .reserved(let first) = try await ledger.reserve(Fixture.request(premium(1), scopes: scopes)),
                case .reserved(let again) = try await ledger.reserve(Fixture.request(premium(1), scopes: scopes))
            else {
                Issue.record("the reservations should fit")
                return
            }
            _ = try await ledger.commit(
                first.id, amount: first.amount, requests: 0, tokens: .zero, at: Fixture.now, orgLimit: nil, alerts: [],
                delivering: second)
            await #expect(throws: LedgerError.alreadyDelivered(steering: second)) {
                try await ledger.commit(
                    again.id, amount: again.amount, requests: 0, tokens: .zero, at: Fixture.now, orgLimit: nil,
                    alerts: [], delivering: second)
            }
            // The refused commit changed nothing: its reservation is still open, nothing more was used.
            #expect(try await ledger.openReservations().map(\.id) == [again.id])
            #expect(try await ledger.usage(of: [scopes[0]])[0].used == premium(1))

            let third = try await ledger.steer(session.id, message: "Stop.", by: nil, at: Fixture.now)
            #expect(try await ledger.markDelivered(third, refusal: "the budget is used up", at: Fixture.now))
            let refused = try await ledger.events(session: session.id, after: 0).filter {
                $0.kind == .sessionSteerRefused
            }
            #expect(refused.map(\.data) == [["steering": "\(third)", "reason": "the budget is used up"]])
        }
    }
}

import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerServer
import AgentSchedulerTesting
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

@Suite("Live events as Server-Sent Events", .timeLimit(.minutes(2)))
struct EventStreamTests {
    /// Reads `url`'s event stream until `until` says it has enough (or the stream ends).
    static func read(
        _ url: String, headers: [(String, String)] = [], until: @Sendable ([ServerSentEvents.Event]) -> Bool,
        meanwhile: @escaping @Sendable () async throws -> Void = {}
    ) async throws -> (events: [ServerSentEvents.Event], contentType: String?) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "text/event-stream")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        var parser = ServerSentEvents()
        var events: [ServerSentEvents.Event] = []
        try await meanwhile()
        for try await chunk in response.body {
            events += parser.feed(chunk.readableBytesView)
            if until(events) { break }
        }
        return (events, response.headers.first(name: "Content-Type"))
    }

    static func payload(_ event: ServerSentEvents.Event) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
    }

    @Test("one session's stream sends its history, then what is written to the ledger while it is open")
    func sessionHistoryThenLive() async throws {
        let served = try await ServedWorkspace()
        let completed = try await served.ledger.sessions(in: [.completed])
        let session = try #require(completed.first)
        let other = try #require(completed.last)
        try #require(other.id != session.id)
        let history = try await served.ledger.events(session: session.id, after: 0)
        let ledger = served.ledger
        let (events, type) = try await served.live { port in
            try await Self.read(
                "http://127.0.0.1:\(port)/api/v1/sessions/\(session.id)/events",
                until: { $0.count == history.count + 1 },
                meanwhile: {
                    try await ledger.record(
                        .sessionSteered(turn: 2, message: "written later"), session: session.id, org: session.org,
                        at: Date())
                    // Another session's event is not this stream's.
                    try await ledger.record(
                        .sessionSteered(turn: 1, message: ""), session: other.id, org: other.org, at: Date())
                })
        }
        #expect(type?.hasPrefix("text/event-stream") == true)
        #expect(events.dropLast().map(\.id) == history.map { "\($0.id)" })
        let last = try Self.payload(try #require(events.last))
        #expect(last["kind"] as? String == EventKind.sessionSteered.rawValue)
        #expect((last["data"] as? [String: String])?["message"] == "written later")
        #expect(last["session"] as? Int == Int(session.id.rawValue))
    }

    @Test("Last-Event-ID resumes after the event it names")
    func resumes() async throws {
        let served = try await ServedWorkspace(shared: true)
        let session = try #require(try await served.ledger.sessions(in: [.completed]).first)
        let history = try await served.ledger.events(session: session.id, after: 0)
        try #require(history.count > 2)
        let events = try await served.live { port in
            try await Self.read(
                "http://127.0.0.1:\(port)/api/v1/sessions/\(session.id)/events",
                headers: [("Last-Event-ID", "\(history[1].id)")], until: { $0.count == history.count - 2 }
            ).events
        }
        #expect(events.map(\.id) == history.dropFirst(2).map { "\($0.id)" })
    }

    @Test("the stream of every session starts now: only events written after it opened")
    func allFromNow() async throws {
        let served = try await ServedWorkspace()
        let ledger = served.ledger
        let events = try await served.live { port in
            try await Self.read(
                "http://127.0.0.1:\(port)/api/v1/events", until: { !$0.isEmpty },
                meanwhile: {
                    try await ledger.record(
                        .budgetAlert(threshold: 50, used: PremiumRequests(5).amount, limit: PremiumRequests(10).amount),
                        session: nil, org: "acme", at: Date())
                }
            ).events
        }
        #expect(events.count == 1)
        #expect(try Self.payload(events[0])["kind"] as? String == EventKind.budgetAlert.rawValue)
    }

    @Test("shutting the server down ends open streams instead of hanging on them")
    func shutdownEndsStreams() async throws {
        let served = try await ServedWorkspace(shared: true)
        let started = ContinuousClock.now
        try await served.live { port in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/events")
            request.headers.add(name: "Accept", value: "text/event-stream")
            // Opened and left open: the group's shutdown must still finish.
            _ = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        }
        #expect(ContinuousClock.now - started < .seconds(60))
    }
}

import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/v1`: sessions, their events (JSON pages or live Server-Sent Events), the actions, and
/// the read-only reports, as described by ``OpenAPIDocument`` at `/api/v1/openapi.json`.
struct APIRoutes: Sendable {
    let resources: ServerResources
    /// The largest action body read.
    static let maxBody = 1 << 20

    func register(on router: Router<BasicRequestContext>) {
        let api = router.group("/api/v1")
        api.get("openapi.json") { _, _ in JSONAnswer.response(json: OpenAPIDocument.json) }
        api.get("sessions") { request, _ in try await sessions(request) }
        api.get("sessions/:id") { _, context in try await session(try Self.id(context)) }
        api.get("sessions/:id/events") { request, context in try await events(request, session: try Self.id(context)) }
        api.get("sessions/:id/patch") { _, context in try await patch(try Self.id(context)) }
        api.get("events") { request, _ in try await events(request, session: nil) }
        let actions = ServerActions(resources: resources)
        api.post("assign") { request, _ in
            let body = try AssignBody.decode(try await Self.body(request))
            let answer = try await actions.assign(body)
            return try JSONAnswer.response(
                answer, status: answer.results.contains { $0.session != nil } ? .created : .ok)
        }
        api.post("sessions/:id/steer") { request, context in
            let id = try Self.id(context)
            let message = try await actions.steer(id, try MessageBody.decode(try await Self.body(request)))
            return try JSONAnswer.response(SteerAnswer(session: id, message: message), status: .accepted)
        }
        api.post("sessions/:id/cancel") { request, context in
            let id = try Self.id(context)
            let data = try await Self.body(request)
            let outcome = try await actions.cancel(id, data.isEmpty ? ActorBody() : try ActorBody.decode(data))
            let answer = CancelAnswer(outcome)
            return try JSONAnswer.response(answer, status: answer.outcome == "requested" ? .accepted : .ok)
        }
        api.post("sessions/:id/follow-up") { request, context in
            let created = try await actions.followUp(
                try Self.id(context), try MessageBody.decode(try await Self.body(request)))
            return try JSONAnswer.response(try await summary(of: created), status: .created)
        }
        ReportRoutes(resources: resources).register(on: api)
    }

    // MARK: Sessions

    private struct SessionList: Encodable {
        var sessions: [SessionSummary]
    }

    private func sessions(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var states: Set<SessionState> = []
        for text in query.getAll("state") {
            for name in text.split(separator: ",") {
                guard let state = SessionState(rawValue: String(name)) else {
                    throw APIError.badRequest(
                        "no state '\(name)'; states: \(SessionState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                states.insert(state)
            }
        }
        let repository = query.get("repo")
        let agent = query.get("agent")
        let user = query.get("user")
        let all = try await SessionSummary.load(from: resources.ledger, states: states)
        let chosen = all.filter { summary in
            let session = summary.session
            return (repository.map { session.repository.lowercased() == $0.lowercased() } ?? true)
                && (agent.map { session.agent == $0 } ?? true) && (user.map { session.assigner == $0 } ?? true)
        }
        return try JSONAnswer.response(SessionList(sessions: chosen))
    }

    private func session(_ id: SessionID) async throws -> Response {
        guard let record = try await resources.ledger.session(id) else { throw APIError.notFound("no session \(id)") }
        return try JSONAnswer.response(try await summary(of: record))
    }

    /// The session with what it spent and its priced requests, as `sessions show --format json`.
    func summary(of record: SessionRecord) async throws -> SessionSummary {
        try await SessionSummary.load(record, from: resources.ledger).withRequests(from: resources.ledger)
    }

    private func patch(_ id: SessionID) async throws -> Response {
        guard let record = try await resources.ledger.session(id) else { throw APIError.notFound("no session \(id)") }
        guard let text = SessionPatch.text(of: record, state: resources.state) else {
            throw APIError.notFound("session \(id) left no patch")
        }
        return Response(
            status: .ok, headers: [.contentType: "text/x-diff; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: Events

    private struct EventPage: Encodable {
        var events: [EventJSON]
        /// The `after` of the next page; `nil` when this page holds the newest events.
        var next: Int64?
    }

    private func events(_ request: Request, session: SessionID?) async throws -> Response {
        if let session, try await resources.ledger.session(session) == nil {
            throw APIError.notFound("no session \(session)")
        }
        let query = request.uri.queryParameters
        let after: Int64?
        if let resume = request.headers[.lastEventID] ?? query.get("after") {
            guard let value = Int64(resume), value >= 0 else {
                throw APIError.badRequest("after (or Last-Event-ID) must be an event id, not '\(resume)'")
            }
            after = value
        } else {
            after = nil
        }
        let accept = request.headers[.accept] ?? ""
        if accept.contains("text/event-stream") {
            // Without a cursor, one session's stream starts at its beginning; the stream of all
            // sessions starts now.
            // The ledger's newest id, not the feed's: the feed may not have read it yet.
            let start: Int64 =
                if let after { after } else if session == nil { try await resources.ledger.latestEventID() } else { 0 }
            return EventStream(ledger: resources.ledger, hub: resources.feed.hub, session: session, cursor: start)
                .response()
        }
        let limit =
            try query.get("limit").map { text in
                guard let value = Int(text), (1...1000).contains(value) else {
                    throw APIError.badRequest("limit must be between 1 and 1000, not '\(text)'")
                }
                return value
            } ?? 200
        let events = try await resources.ledger.events(session: session, after: after ?? 0)
        let page = events.prefix(limit)
        return try JSONAnswer.response(
            EventPage(
                events: page.map { EventJSON(event: $0) }, next: events.count > limit ? page.last?.id : nil))
    }

    // MARK: Helpers

    static func id(_ context: BasicRequestContext) throws -> SessionID {
        let text = try context.parameters.require("id")
        guard let id = SessionID(text), id.rawValue > 0 else { throw APIError.notFound("no session '\(text)'") }
        return id
    }

    static func body(_ request: Request) async throws -> Data {
        do {
            return Data(buffer: try await request.body.collect(upTo: maxBody))
        } catch {
            throw APIError(.contentTooLarge, code: "too-large", message: "the body is larger than \(maxBody) bytes")
        }
    }

    private struct SteerAnswer: Encodable {
        var session: SessionID
        var message: Int64
    }

    private struct CancelAnswer: Encodable {
        var outcome: String
        var session: SessionID
        var state: SessionState

        init(_ outcome: CancelOutcome) {
            switch outcome {
            case .cancelled(let record): (self.outcome, session, state) = ("cancelled", record.id, record.state)
            case .requested(let record): (self.outcome, session, state) = ("requested", record.id, record.state)
            case .alreadyFinal(let record): (self.outcome, session, state) = ("already-final", record.id, record.state)
            }
        }
    }
}

import AgentSchedulerLedger
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A live Server-Sent Events stream of ledger events, of one session or of all.
///
/// Each event is `id: N` and `data: JSON` (``EventJSON``); the client's `Last-Event-ID` (or
/// `?after=N`) resumes after it. History comes from the ledger, then new events from the feed's
/// hub as they are polled; a comment line every heartbeat keeps proxies from closing it and
/// notices a client that went away. The stream ends when the client leaves or the server stops.
struct EventStream: Sendable {
    var ledger: any Ledger
    var hub: EventHub
    var session: SessionID?
    var cursor: Int64

    func response() -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                .accelBuffering: "no",
            ],
            body: ResponseBody { writer in
                try await stream(into: &writer)
                try await writer.finish(nil)
            })
    }

    private func stream(into writer: inout any ResponseBodyWriter) async throws {
        // Subscribed before the history is read, so nothing written meanwhile is missed.
        let (id, signals) = await hub.subscribe()
        do {
            var cursor = self.cursor
            // Tells the browser how long to wait before reconnecting.
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            cursor = try await send(after: cursor, into: &writer)
            for await signal in signals {
                switch signal {
                case .changed: cursor = try await send(after: cursor, into: &writer)
                case .heartbeat: try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                }
            }
        } catch {
            await hub.unsubscribe(id)
            throw error
        }
        await hub.unsubscribe(id)
    }

    /// Writes every event after `cursor`; returns the new cursor: the newest id these events
    /// cover, which for one session's stream may be another session's event.
    private func send(after cursor: Int64, into writer: inout any ResponseBodyWriter) async throws -> Int64 {
        let frames: [EventFrame]
        let through: Int64
        if let kept = await hub.events(after: cursor, session: session) {
            (frames, through) = kept
        } else {
            // Ids grow in commit order, so the ledger holds every event up to what the hub knew.
            let horizon = await hub.latest
            let events = try await ledger.events(session: session, after: cursor)
            frames = try events.map(EventFrame.init)
            through = max(horizon, events.last?.id ?? cursor)
        }
        guard !frames.isEmpty else { return through }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(frames.reduce(0) { $0 + $1.bytes.readableBytes })
        for frame in frames { buffer.writeImmutableBuffer(frame.bytes) }
        try await writer.write(buffer)
        return through
    }
}

import AgentSchedulerLedger
import NIOCore

/// One event as a Server-Sent Events frame, `id: N` and `data: JSON`, encoded once however many
/// streams send it.
struct EventFrame: Sendable {
    var id: Int64
    var session: SessionID?
    var bytes: ByteBuffer

    init(_ event: LedgerEvent) throws {
        id = event.id
        session = event.session
        bytes = ByteBuffer(string: "id: \(event.id)\ndata: \(try EventJSON(event: event).compactJSON())\n\n")
    }
}

import AgentScheduler
import AgentSchedulerLedger
import Foundation

/// One ledger event as the API sends it: `{"id", "session", "org", "at", "kind", "data", "line"}`,
/// `line` being the readable form `sessions logs` prints.
struct EventJSON: Encodable {
    var event: LedgerEvent

    enum CodingKeys: String, CodingKey {
        case id, session, org, at, kind, data, line
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.id, forKey: .id)
        try container.encode(event.session, forKey: .session)
        try container.encode(event.org, forKey: .org)
        try container.encode(event.at.formatted(.iso8601), forKey: .at)
        try container.encode(event.kind, forKey: .kind)
        try container.encode(event.data, forKey: .data)
        try container.encode(event.line, forKey: .line)
    }

    /// The event as one line of compact JSON, for a Server-Sent Events `data:` field.
    func compactJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

import Foundation

/// One entry of the append-only event log: a transition, a request, a tool call, a charge, an alert…
///
/// Encodes (for `--format json`) as `id`, `session`, `org`, `at`, `kind` and `data`, the payload's
/// stored `fields`; decoding reads them back through `EventPayload(kind:fields:)`.
public struct LedgerEvent: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    /// `nil` for organisation-wide events such as budget alerts.
    public var session: SessionID?
    public var org: String?
    public var at: Date
    /// What happened, typed by kind.
    public var payload: EventPayload

    public init(id: Int64, session: SessionID?, org: String?, at: Date, payload: EventPayload) {
        self.id = id
        self.session = session
        self.org = org
        self.at = at
        self.payload = payload
    }

    /// The kind the payload is stored under.
    public var kind: EventKind { payload.kind }

    /// The payload as stored: a flat map of strings.
    public var data: [String: String] { payload.fields }

    enum CodingKeys: String, CodingKey {
        case id, session, org, at, kind, data
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int64.self, forKey: .id)
        session = try container.decodeIfPresent(SessionID.self, forKey: .session)
        org = try container.decodeIfPresent(String.self, forKey: .org)
        at = try container.decode(Date.self, forKey: .at)
        payload = try EventPayload(
            kind: try container.decode(EventKind.self, forKey: .kind),
            fields: try container.decode([String: String].self, forKey: .data))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(session, forKey: .session)
        try container.encodeIfPresent(org, forKey: .org)
        try container.encode(at, forKey: .at)
        try container.encode(kind, forKey: .kind)
        try container.encode(data, forKey: .data)
    }
}

/// An event to append to the log.
public struct NewEvent: Sendable, Hashable {
    public var payload: EventPayload
    public var session: SessionID?
    public var org: String?
    public var at: Date

    public init(_ payload: EventPayload, session: SessionID?, org: String?, at: Date) {
        self.payload = payload
        self.session = session
        self.org = org
        self.at = at
    }

    /// The kind the payload is stored under.
    public var kind: EventKind { payload.kind }
}

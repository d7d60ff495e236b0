import Foundation

/// One entry of the append-only event log: a transition, a request, a tool call, a charge, an alert…
public struct LedgerEvent: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    /// `nil` for organisation-wide events such as budget alerts.
    public var session: SessionID?
    public var org: String?
    public var at: Date
    public var kind: EventKind
    /// Details as a flat map of strings, written by the component that records the event.
    public var data: [String: String]

    public init(id: Int64, session: SessionID?, org: String?, at: Date, kind: EventKind, data: [String: String]) {
        self.id = id
        self.session = session
        self.org = org
        self.at = at
        self.kind = kind
        self.data = data
    }
}

/// An event to append to the log.
public struct NewEvent: Sendable, Hashable {
    public var kind: EventKind
    public var session: SessionID?
    public var org: String?
    public var data: [String: String]
    public var at: Date

    public init(kind: EventKind, session: SessionID?, org: String?, data: [String: String], at: Date) {
        self.kind = kind
        self.session = session
        self.org = org
        self.data = data
        self.at = at
    }
}

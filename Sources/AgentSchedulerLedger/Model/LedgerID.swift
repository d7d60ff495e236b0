/// A row's number in the ledger, typed by what it numbers: `SessionID` for sessions,
/// `ReservationID` for budget reservations.
///
/// A type per kind of row, so a session's number is never passed where a reservation's, an
/// event's or a steering message's is expected. It encodes as the bare number (JSON, SQL) and
/// prints as one; integer literals are ids where one is expected (tests, examples).
public struct LedgerID<Entity>: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByIntegerLiteral, LosslessStringConvertible
{
    public let rawValue: Int64

    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: Int64) {
        rawValue = value
    }

    /// The id a text of decimal digits names; `nil` for anything else (a sign, a space, letters).
    public init?(_ description: String) {
        guard !description.isEmpty, description.utf8.allSatisfy({ (48...57).contains($0) }),
            let value = Int64(description)
        else { return nil }
        rawValue = value
    }

    public var description: String { "\(rawValue)" }

    public static func < (lhs: LedgerID, rhs: LedgerID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A session's number: what `sessions show ID` takes, and events, charges and reservations name.
public typealias SessionID = LedgerID<SessionRecord>

/// A budget reservation's number: what a commit or a release resolves, once.
public typealias ReservationID = LedgerID<Reservation>

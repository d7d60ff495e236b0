/// A session's number in the ledger: what `sessions show ID` takes and events, charges and
/// reservations point to.
///
/// A type of its own, so a session's number is never passed where a reservation's, an event's
/// or a steering message's is expected. It encodes as the bare number (JSON, SQL) and prints as
/// one; integer literals are session ids where one is expected (tests, examples).
public struct SessionID: RawRepresentable, Hashable, Comparable, Sendable, Codable, ExpressibleByIntegerLiteral,
    LosslessStringConvertible
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

    public static func < (lhs: SessionID, rhs: SessionID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

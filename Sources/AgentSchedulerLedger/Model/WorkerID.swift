/// A `run` process's name in the ledger (`HOST-PID-…` unless given): what holds leases,
/// sessions and reservations.
///
/// A type of its own, so a worker's name is never passed where a user's, an organisation's or a
/// model's is expected. It encodes as the bare string (JSON, SQL) and prints as one; string
/// literals are worker ids where one is expected (tests, examples).
public struct WorkerID: RawRepresentable, Hashable, Comparable, Sendable, Codable, ExpressibleByStringInterpolation,
    CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        rawValue = value
    }

    public var description: String { rawValue }

    public static func < (lhs: WorkerID, rhs: WorkerID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A `Duration` that reads and writes as people write it in YAML and JSON: `30m`, `1h30m`, `120s`.
public struct HumanDuration: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var duration: Duration

    public init(_ duration: Duration) {
        self.duration = duration
    }

    public var description: String { DurationText.format(duration) }

    public static func < (lhs: HumanDuration, rhs: HumanDuration) -> Bool {
        lhs.duration < rhs.duration
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let duration = DurationText.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a duration")
        }
        self.duration = duration
    }
}

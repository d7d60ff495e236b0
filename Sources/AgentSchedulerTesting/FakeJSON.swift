import Foundation

/// A JSON value: what the fake model server decoded from a request body, and what it builds its answers from.
///
/// Numbers are held as `Double`; whole numbers are written back without a fractional part. Object keys are
/// unordered; answers are encoded with sorted keys so that they are byte-for-byte repeatable.
public enum FakeJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([FakeJSON])
    case object([String: FakeJSON])

    /// Decodes `data`, or returns `nil` when it is not JSON.
    public init?(data: Data) {
        guard let value = try? JSONDecoder().decode(FakeJSON.self, from: data) else { return nil }
        self = value
    }

    /// The member `key` of an object; `nil` for a missing member or a value that is not an object.
    public subscript(key: String) -> FakeJSON? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The element at `index` of an array; `nil` when out of range or not an array.
    public subscript(index: Int) -> FakeJSON? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The text of a string value.
    public var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    /// A number that is a whole number.
    public var intValue: Int? {
        guard case .number(let number) = self else { return nil }
        return Int(exactly: number)
    }

    /// The value of a boolean.
    public var boolValue: Bool? {
        guard case .bool(let flag) = self else { return nil }
        return flag
    }

    /// The elements of an array.
    public var arrayValue: [FakeJSON]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// The members of an object.
    public var objectValue: [String: FakeJSON]? {
        guard case .object(let members) = self else { return nil }
        return members
    }

    /// The number of characters in every string inside this value (not counting object keys).
    public var stringCharacterCount: Int {
        switch self {
        case .null, .bool, .number: 0
        case .string(let text): text.count
        case .array(let elements): elements.reduce(0) { $0 + $1.stringCharacterCount }
        case .object(let members): members.values.reduce(0) { $0 + $1.stringCharacterCount }
        }
    }

    /// Compact JSON text with sorted keys.
    public var encoded: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try! encoder.encode(self)
    }

    /// Compact JSON text with sorted keys, as a string.
    public var encodedText: String {
        String(decoding: encoded, as: UTF8.self)
    }
}

extension FakeJSON: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let elements = try? container.decode([FakeJSON].self) {
            self = .array(elements)
        } else {
            self = .object(try container.decode([String: FakeJSON].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number):
            if let whole = Int(exactly: number) {
                try container.encode(whole)
            } else {
                try container.encode(number)
            }
        case .string(let text): try container.encode(text)
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }
}

extension FakeJSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: FakeJSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, FakeJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension FakeJSON {
    /// A number value from an integer.
    static func int(_ value: Int) -> FakeJSON { .number(Double(value)) }

    /// A string value, or `null` when `text` is `nil`.
    static func optional(_ text: String?) -> FakeJSON { text.map(FakeJSON.string) ?? .null }
}

extension Optional where Wrapped == FakeJSON {
    /// The member `key` of an object, so that lookups chain without `?`: `body["messages"][0]["role"]`.
    public subscript(key: String) -> FakeJSON? {
        self.flatMap { $0[key] }
    }

    /// The element at `index` of an array, so that lookups chain without `?`.
    public subscript(index: Int) -> FakeJSON? {
        self.flatMap { $0[index] }
    }
}

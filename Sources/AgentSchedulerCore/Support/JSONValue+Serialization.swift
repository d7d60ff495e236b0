import Foundation

extension JSONValue {
    /// Compact JSON text with keys in their order and numbers exactly as their text.
    ///
    /// Foundation's `JSONEncoder` orders object keys by hash on Linux; request bodies and tool
    /// arguments should read the same every time.
    public var jsonText: String {
        var text = ""
        write(into: &text)
        return text
    }

    /// `jsonText` as UTF-8, for a request body.
    public var jsonData: Data { Data(jsonText.utf8) }

    private func write(into text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .number(let number): text += number
        case .string(let string): Self.writeString(string, into: &text)
        case .array(let values):
            text += "["
            for (index, value) in values.enumerated() {
                if index > 0 { text += "," }
                value.write(into: &text)
            }
            text += "]"
        case .object(let entries):
            text += "{"
            for (index, entry) in entries.enumerated() {
                if index > 0 { text += "," }
                Self.writeString(entry.key, into: &text)
                text += ":"
                entry.value.write(into: &text)
            }
            text += "}"
        }
    }

    private static func writeString(_ string: String, into text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                text +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}

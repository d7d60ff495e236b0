import Foundation

extension Redactor {
    /// A JSON text with every secret replaced in its strings (keys and values), re-encoded with
    /// sorted keys; text that is not JSON comes back redacted as plain text.
    ///
    /// Redacting the decoded strings, not the text, also catches a secret the encoding escaped
    /// (`\/`, `\u0041`), and a replacement never breaks the JSON.
    public func redact(json text: String) -> String {
        guard !isEmpty else { return text }
        guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(
                withJSONObject: redacted(value), options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
        else { return redact(text) }
        return String(decoding: data, as: UTF8.self)
    }

    private func redacted(_ value: Any) -> Any {
        switch value {
        case let text as String:
            return redact(text)
        case let array as [Any]:
            return array.map(redacted)
        case let object as [String: Any]:
            return Dictionary(object.map { (redact($0.key), redacted($0.value)) }) { first, _ in first }
        default:
            return value
        }
    }
}

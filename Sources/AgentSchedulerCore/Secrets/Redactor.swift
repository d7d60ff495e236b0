import Foundation

/// Replaces every secret value agentsched holds with `[redacted]` in text bound for an event, a
/// reason, a log line, a report, the terminal, a file or the next request to a model.
///
/// Build one per process in the composition root (`Redactor(workspace:environment:)`) and apply it
/// at the choke points. Values shorter than `minimumLength` bytes are ignored, so a short variable
/// such as `1` or `dev` never mangles ordinary words. Longer secrets are replaced first, so a secret
/// that contains another is replaced whole. A value is a `Sendable` snapshot: `adding(_:)` returns
/// a new redactor (MCP secrets and the like join this way).
public struct Redactor: Sendable, Hashable {
    /// What every secret is replaced with.
    public static let marker = "[redacted]"
    /// Secrets shorter than this many UTF-8 bytes are not redacted.
    public static let minimumLength = 8

    /// The secrets, longest first.
    public private(set) var secrets: [String]

    /// A redactor that knows `secrets` (short and empty values are dropped, duplicates merged).
    public init(secrets: some Sequence<String> = []) {
        self.secrets = []
        add(secrets)
    }

    /// Whether it knows no secret at all, so `redact` returns its input.
    public var isEmpty: Bool { secrets.isEmpty }

    /// This redactor, also knowing `more`.
    public func adding(_ more: some Sequence<String>) -> Redactor {
        var copy = self
        copy.add(more)
        return copy
    }

    private mutating func add(_ more: some Sequence<String>) {
        var known = Set(secrets)
        for value in more {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.utf8.count >= Self.minimumLength, known.insert(trimmed).inserted else { continue }
            secrets.append(trimmed)
        }
        secrets.sort { $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : $0 < $1 }
    }

    /// `text` with every known secret replaced by `marker`.
    public func redact(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: Self.marker)
        }
        return result
    }

    /// `text` redacted, or nil for nil.
    public func redact(_ text: String?) -> String? {
        text.map { redact($0) }
    }

    /// Every value of `fields` redacted; keys are agentsched's own names and stay.
    public func redact(_ fields: [String: String]) -> [String: String] {
        guard !secrets.isEmpty else { return fields }
        return fields.mapValues { redact($0) }
    }
}

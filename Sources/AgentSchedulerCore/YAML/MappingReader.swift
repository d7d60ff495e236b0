/// The keys of one YAML mapping, taken one at a time; keys nobody takes are reported as unknown.
///
/// `known` lists every key the format defines (used for "did you mean"); `accepted` lists keys that
/// are kept but not interpreted (Copilot's `handoffs`, …), which are never reported.
public struct MappingReader {
    let decoder: DocumentDecoder
    let node: YAMLNode
    private(set) var entries: [(key: Located<String>, value: YAMLNode)] = []
    private let known: [String]
    private let accepted: Set<String>
    private var taken: Set<String> = []

    init(decoder: DocumentDecoder, node: YAMLNode, pairs: [YAMLPair], known: [String], accepted: Set<String>) {
        self.decoder = decoder
        self.node = node
        self.known = known
        self.accepted = accepted
        for pair in pairs {
            guard let scalar = pair.key.scalar, !scalar.isNull else {
                decoder.error(
                    .typeMismatch, "a key must be a plain string, not \(pair.key.kindDescription)", at: pair.key)
                continue
            }
            entries.append((Located(scalar.string, at: pair.key.location), pair.value))
        }
    }

    /// The value under `key`, if present.
    public mutating func take(_ key: String) -> YAMLNode? {
        taken.insert(key)
        return entries.first { $0.key.value == key }?.value
    }

    /// The value under the first of `keys` that is present (for spellings such as `disallowedTools`).
    mutating func take(anyOf keys: [String]) -> (key: String, value: YAMLNode)? {
        keys.forEach { taken.insert($0) }
        for entry in entries where keys.contains(entry.key.value) {
            return (entry.key.value, entry.value)
        }
        return nil
    }

    /// Entries whose keys are in `accepted` but not otherwise interpreted.
    var acceptedEntries: [(key: Located<String>, value: YAMLNode)] {
        entries.filter { accepted.contains($0.key.value) && !taken.contains($0.key.value) }
    }

    /// Reports a missing key at the mapping itself.
    public func missing(_ key: String, hint: String? = nil) {
        decoder.error(.missingKey, "missing required key '\(key)'", hint: hint, at: node)
    }

    /// Reports every key that was neither taken nor accepted, as a warning (`--strict` makes it an error).
    public func reportUnknownKeys(in what: String) {
        for entry in entries where !taken.contains(entry.key.value) && !accepted.contains(entry.key.value) {
            decoder.report(
                .warning(
                    .unknownKey, "unknown key '\(entry.key.value)' in \(what)",
                    hint: Suggestion.hint(for: entry.key.value, among: known + accepted.sorted()),
                    at: entry.key.location))
        }
    }
}

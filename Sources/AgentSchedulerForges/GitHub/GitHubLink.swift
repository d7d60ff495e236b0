import Foundation

/// The `rel="next"` target of an RFC 8288 `Link` header, as GitHub sends it for pagination:
/// `<https://api.github.com/…&page=2>; rel="next", <…&page=5>; rel="last"`.
struct GitHubLink: Sendable, Hashable {
    var next: URL?

    init(header: String?) {
        next = nil
        guard let header else { return }
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = pieces.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            let relations = pieces.dropFirst().compactMap { parameter -> [Substring]? in
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "rel" else {
                    return nil
                }
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).split(separator: " ")
            }.joined()
            if relations.contains("next") {
                next = URL(string: String(target.dropFirst().dropLast()))
                return
            }
        }
    }
}

/// Splits a Markdown file into its YAML front matter and its body.
enum FrontMatter {
    struct Split: Equatable {
        /// The lines between the opening and closing `---`.
        var yaml: String
        var body: String
        /// The 1-based line the body starts on.
        var bodyLine: Int
    }

    struct Failure: Error, Equatable {
        var message: String
        var line: Int
    }

    /// The front matter must open on the first line with `---` and close with `---` (or `...`).
    ///
    /// Scans Unicode scalars, so CRLF line ends count like LF, and stops at the closing line:
    /// the body is sliced, never split and re-joined.
    static func split(_ text: String) -> Result<Split, Failure> {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var number = 0
        var yamlStart: String.Index?
        while start < scalars.endIndex {
            let end = scalars[start...].firstIndex(of: "\n") ?? scalars.endIndex
            let next = end < scalars.endIndex ? scalars.index(after: end) : end
            number += 1
            let line = String(scalars[start..<end]).trimmingSpaces
            if let yamlStart {
                if line == "---" || line == "..." {
                    return .success(
                        Split(
                            yaml: String(scalars[yamlStart..<start]), body: String(scalars[next...]),
                            bodyLine: number + 1))
                }
            } else if line == "---" {
                yamlStart = next
            } else {
                break
            }
            start = next
        }
        guard yamlStart != nil else {
            return .failure(Failure(message: "Markdown profile has no YAML front matter", line: 1))
        }
        return .failure(Failure(message: "YAML front matter opened on line 1 is never closed with `---`", line: 1))
    }
}

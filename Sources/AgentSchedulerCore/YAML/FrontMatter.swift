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
    static func split(_ text: String) -> Result<Split, Failure> {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        guard let first = lines.first, first.trimmingSpaces == "---" else {
            return .failure(Failure(message: "Markdown profile has no YAML front matter", line: 1))
        }
        guard let close = lines.dropFirst().firstIndex(where: { ["---", "..."].contains($0.trimmingSpaces) }) else {
            return .failure(Failure(message: "YAML front matter opened on line 1 is never closed with `---`", line: 1))
        }
        return .success(
            Split(
                yaml: lines[1..<close].joined(separator: "\n"),
                body: lines[(close + 1)...].joined(separator: "\n"),
                bodyLine: close + 2))
    }
}

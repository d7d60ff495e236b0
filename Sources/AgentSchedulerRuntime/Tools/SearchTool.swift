import AgentSchedulerCore
import Foundation

/// `search`: a regular expression over the contents of files under a path (`path:line: text`
/// for each matching line), or, with only `glob`, the names of the files that match it.
///
/// `glob` matches a file's name (`*.swift`), or its path from the worktree root when it holds a
/// `/` (`Sources/*/Tools/*.swift`); `*` matches any run of characters, `/` included, and `?` one.
/// Folders named `.git`, symlinks, binary files and files over `ToolLimits.maxFileBytes` are
/// skipped. Files are visited in name order; at most `ToolLimits.maxSearchMatches` results are
/// listed, then a count of the rest.
public struct SearchTool: AgentTool {
    public init() {}

    public var kind: BuiltinTool { .search }

    /// The longest matching line shown whole.
    static let maxLineCharacters = 300

    static let schema = ToolSchema([
        .string("pattern", "regular expression to find in file contents (ICU syntax); omit to list files by glob"),
        .string("path", "file or folder to search, relative to the worktree root (default: the whole worktree)"),
        .string("glob", "only files whose name matches, such as *.swift; with a '/', matched against the path"),
        .boolean("ignore_case", "match letters regardless of case (default: false)"),
    ])

    public var definition: ToolDefinition {
        ToolDefinition(
            name: kind.rawValue,
            description: """
                Search file contents with a regular expression, returning path:line: text for each \
                matching line; narrow with path and glob. With glob and no pattern, list the files whose \
                names match. .git is skipped.
                """,
            parameters: Self.schema.json)
    }

    public func run(_ arguments: JSONValue, in context: ToolContext) async -> ToolResult {
        do throws(ToolFailure) {
            let arguments = try Self.schema.validate(arguments, tool: kind.rawValue)
            let pattern = arguments.string("pattern")
            let glob = arguments.string("glob").map(FileGlob.init)
            guard pattern != nil || glob != nil else {
                throw ToolFailure(
                    "give 'pattern' (a regular expression over file contents), 'glob' (file names), or both")
            }
            if pattern?.isEmpty == true { throw ToolFailure("'pattern' is empty; give the text or expression to find") }
            let regex = try pattern.map { (pattern) throws(ToolFailure) in
                try Self.compile(pattern, ignoringCase: arguments.boolean("ignore_case") ?? false)
            }
            let scope = try await context.resolve(arguments.string("path") ?? ".")
            guard scope.exists else { throw ToolFailure("'\(scope.relative)' does not exist") }

            var walk = SearchWalk(root: scope, glob: glob, maxFileBytes: context.limits.maxFileBytes)
            if let regex {
                return try searchContents(walk: &walk, regex: regex, pattern: pattern ?? "", limits: context.limits)
            }
            return listNames(walk: &walk, glob: glob, limits: context.limits)
        } catch {
            return error.result
        }
    }

    private static func compile(_ pattern: String, ignoringCase: Bool) throws(ToolFailure) -> NSRegularExpression {
        do {
            return try NSRegularExpression(
                pattern: pattern, options: ignoringCase ? [.anchorsMatchLines, .caseInsensitive] : [.anchorsMatchLines])
        } catch {
            throw ToolFailure(
                "'\(pattern)' is not a valid regular expression; escape characters such as ( [ . * with \\")
        }
    }

    private func searchContents(
        walk: inout SearchWalk, regex: NSRegularExpression, pattern: String, limits: ToolLimits
    )
        throws(ToolFailure) -> ToolResult
    {
        var lines: [String] = []
        var matches = 0
        var filesWithMatches = 0
        while let file = walk.next() {
            if Task.isCancelled { throw ToolFailure("the search was cancelled") }
            guard let bytes = try? LocalFile.readAll(file.absolute) else {
                walk.skippedUnreadable += 1
                continue
            }
            guard !LocalFile.isBinary(bytes) else {
                walk.skippedBinary += 1
                continue
            }
            let text = String(decoding: bytes, as: UTF8.self)
            guard regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil else { continue }
            var found = false
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = String(line)
                guard regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil else { continue }
                found = true
                matches += 1
                if lines.count < limits.maxSearchMatches {
                    let shown =
                        line.count > Self.maxLineCharacters
                        ? line.prefix(Self.maxLineCharacters) + " …" : Substring(line)
                    lines.append("\(file.relative):\(index + 1): \(shown)")
                }
            }
            if found { filesWithMatches += 1 }
        }
        guard matches > 0 else {
            return .success("No matches for /\(pattern)/: \(walk.summary).")
        }
        var text = lines.joined(separator: "\n")
        var truncated = false
        if matches > lines.count {
            truncated = true
            text +=
                "\n[\(lines.count) of \(ToolOutput.count(matches, "match", plural: "matches")) shown, in \(ToolOutput.count(filesWithMatches, "file")); "
                + "narrow the pattern, path or glob to see the rest]"
        }
        let cut = ToolOutput.truncate(text, limit: limits.maxOutputBytes, hint: "narrow the pattern, path or glob")
        return .success(cut.text, truncated: truncated || cut.truncated)
    }

    private func listNames(walk: inout SearchWalk, glob: FileGlob?, limits: ToolLimits) -> ToolResult {
        var names: [String] = []
        var total = 0
        while let file = walk.next() {
            total += 1
            if names.count < limits.maxSearchMatches { names.append(file.relative) }
        }
        guard total > 0 else {
            return .success("No file names match '\(glob?.pattern ?? "*")' \(walk.scope).")
        }
        var text = names.joined(separator: "\n")
        var truncated = false
        if total > names.count {
            truncated = true
            text += "\n[\(names.count) of \(total) files shown; narrow the path or glob to see the rest]"
        }
        let cut = ToolOutput.truncate(text, limit: limits.maxOutputBytes, hint: "narrow the path or glob")
        return .success(cut.text, truncated: truncated || cut.truncated)
    }
}

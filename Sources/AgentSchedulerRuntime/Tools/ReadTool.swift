import AgentSchedulerCore

/// `read`: a file's text with line numbers, optionally only lines `start_line`…`end_line`
/// (1-based, inclusive); or, for a folder, its entries.
///
/// Binary files (a NUL byte among the first 8 KiB), FIFOs, devices, files with more than one hard
/// link and files over `ToolLimits.maxFileBytes` are refused with a message. Output past `ToolLimits.maxOutputBytes`
/// ends at a whole line with a note naming the `start_line` to continue from.
public struct ReadTool: AgentTool {
    public init() {}

    public var kind: BuiltinTool { .read }

    /// The longest line shown whole; longer lines are cut with a note.
    static let maxLineCharacters = 2000

    static let schema = ToolSchema([
        .string("path", "file or folder, relative to the worktree root (\".\" is the root)", required: true),
        .integer("start_line", "first line to show, counting from 1 (default: 1)", minimum: 1),
        .integer("end_line", "last line to show, inclusive (default: the last line)", minimum: 1),
    ])

    public var definition: ToolDefinition {
        ToolDefinition(
            name: kind.rawValue,
            description: """
                Read a text file, with line numbers (a number, a tab, then the line), or list a folder. \
                For long files pass start_line and end_line to read a part. Paths are relative to the \
                worktree root.
                """,
            parameters: Self.schema.json)
    }

    public func run(_ arguments: JSONValue, in context: ToolContext) async -> ToolResult {
        do throws(ToolFailure) {
            let arguments = try Self.schema.validate(arguments, tool: kind.rawValue)
            let path = try await context.resolve(arguments.string("path") ?? ".")
            let start = arguments.integer("start_line")
            let end = arguments.integer("end_line")
            if let start, let end, end < start {
                throw ToolFailure("end_line (\(end)) is before start_line (\(start))")
            }
            guard path.exists else { throw ToolFailure("'\(path.relative)' does not exist") }
            switch LocalFile.status(path) {
            case .failure(let failure):
                throw ToolFailure("cannot read '\(path.relative)': \(failure.message)")
            case .success(let status) where status.kind == .directory:
                guard start == nil, end == nil else {
                    throw ToolFailure("'\(path.relative)' is a folder; start_line and end_line apply to files")
                }
                return try listing(of: path, limits: context.limits)
            case .success(let status) where status.kind == .regular:
                guard status.links <= 1 else { throw LocalFile.hardLinkRefusal(path.relative, links: status.links) }
                let limit = context.limits.maxFileBytes
                let bytes = try LocalFile.readAll(path, limit: limit) { size in
                    "'\(path.relative)' is \(ToolOutput.size(size)), over the \(ToolOutput.size(limit)) "
                        + "read limit; use search to find the lines you need, or execute with head, tail or sed"
                }
                guard !LocalFile.isBinary(bytes) else {
                    throw ToolFailure(
                        "'\(path.relative)' is a binary file (\(ToolOutput.size(bytes.count))) and cannot be shown as text"
                    )
                }
                return try lines(of: bytes, path: path, from: start, to: end, limits: context.limits)
            case .success:
                throw ToolFailure(
                    "'\(path.relative)' is not a regular file (a FIFO, socket or device); it cannot be read")
            }
        } catch {
            return error.result
        }
    }

    private func lines(
        of bytes: [UInt8], path: ConfinedPath, from start: Int?, to end: Int?, limits: ToolLimits
    )
        throws(ToolFailure) -> ToolResult
    {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { return .success("(empty file)") }
        let first = start ?? 1
        guard first <= lines.count else {
            throw ToolFailure(
                "start_line \(first) is past the end of '\(path.relative)', which has \(ToolOutput.count(lines.count, "line"))"
            )
        }
        let last = min(end ?? lines.count, lines.count)
        let width = String(last).count
        var output = ""
        var truncated = false
        var shownLast = first - 1
        for number in first...last {
            var line = lines[number - 1]
            var note = ""
            if line.count > Self.maxLineCharacters {
                note = " … [line cut: \(line.count - Self.maxLineCharacters) more characters]"
                line = line.prefix(Self.maxLineCharacters)
                truncated = true
            }
            let numberText = String(number)
            let entry = String(repeating: " ", count: width - numberText.count) + numberText + "\t" + line + note + "\n"
            if output.utf8.count + entry.utf8.count > limits.maxOutputBytes, number > first {
                truncated = true
                output +=
                    "[output truncated at \(ToolOutput.size(limits.maxOutputBytes)): showed lines \(first)–\(shownLast) "
                    + "of \(lines.count); read on with start_line \(shownLast + 1), or search for what you need]"
                return .success(output, truncated: true)
            }
            output += entry
            shownLast = number
        }
        if first > 1 || last < lines.count {
            output += "[lines \(first)–\(last) of \(lines.count)]"
        }
        return .success(output, truncated: truncated)
    }
}

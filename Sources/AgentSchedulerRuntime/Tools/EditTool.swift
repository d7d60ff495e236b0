import AgentSchedulerCore

/// `edit`: create or overwrite a file with `content`; or replace the exact text `old_string`
/// with `new_string` in an existing file.
///
/// `old_string` must match exactly once — byte for byte, whitespace included — unless
/// `replace_all` is set; no match, or several, is an error saying how many. Folders missing on
/// the way to a new file are created. Files inside `.git` or outside the worktree, files with more
/// than one hard link, and a result over `ToolLimits.maxFileBytes` are refused. The new content
/// goes to a temporary file in the same folder, renamed over the old one (see `LocalFile`).
public struct EditTool: AgentTool {
    public init() {}

    public var kind: BuiltinTool { .edit }

    static let schema = ToolSchema([
        .string("path", "the file, relative to the worktree root", required: true),
        .string("content", "the file's whole new content (creates or overwrites the file)"),
        .string("old_string", "exact text to replace, as it appears in the file (whitespace included)"),
        .string("new_string", "the text that replaces old_string"),
        .boolean("replace_all", "replace every occurrence of old_string, not just a unique one"),
    ])

    public var definition: ToolDefinition {
        ToolDefinition(
            name: kind.rawValue,
            description: """
                Change a file. Either pass content to create or overwrite the whole file, or pass \
                old_string and new_string to replace one exact occurrence (include enough surrounding \
                lines to make it unique; set replace_all to replace every occurrence). Do not include the \
                line numbers read shows.
                """,
            parameters: Self.schema.json)
    }

    public func run(_ arguments: JSONValue, in context: ToolContext) async -> ToolResult {
        do throws(ToolFailure) {
            let arguments = try Self.schema.validate(arguments, tool: kind.rawValue)
            let content = arguments.string("content")
            let old = arguments.string("old_string")
            let new = arguments.string("new_string")
            let replaceAll = arguments.boolean("replace_all") ?? false
            switch (content, old, new) {
            case (.some(let content), nil, nil):
                guard !replaceAll else {
                    throw ToolFailure("replace_all goes with old_string and new_string, not content")
                }
                let path = try await context.resolve(arguments.string("path") ?? "")
                return try write(content, to: path, limits: context.limits)
            case (nil, .some(let old), .some(let new)):
                let path = try await context.resolve(arguments.string("path") ?? "")
                return try replace(old, with: new, in: path, all: replaceAll, limits: context.limits)
            case (.some, _, _):
                throw ToolFailure("pass either content (the whole file) or old_string and new_string, not both")
            case (nil, .some, nil):
                throw ToolFailure("old_string needs new_string (use \"\" to delete the text)")
            case (nil, nil, .some):
                throw ToolFailure("new_string needs old_string: the exact text it replaces")
            case (nil, nil, nil):
                throw ToolFailure("pass content (the whole file), or old_string and new_string (a replacement)")
            }
        } catch {
            return error.result
        }
    }

    private func write(_ content: String, to path: ConfinedPath, limits: ToolLimits) throws(ToolFailure) -> ToolResult {
        let existed = path.exists
        if existed { try requireRegularFile(path) }
        let bytes = Array(content.utf8)
        try requireWithinLimit(bytes.count, path: path, limits: limits)
        do {
            try LocalFile.writeAll(bytes, to: path)
        } catch {
            throw ToolFailure("cannot write '\(path.relative)': \(error.message)")
        }
        let lines =
            content.split(separator: "\n", omittingEmptySubsequences: false).count - (content.hasSuffix("\n") ? 1 : 0)
        return .success(
            "\(existed ? "Overwrote" : "Created") \(path.relative) (\(ToolOutput.count(lines, "line")), \(ToolOutput.size(bytes.count)))"
        )
    }

    private func replace(
        _ old: String, with new: String, in path: ConfinedPath, all: Bool, limits: ToolLimits
    )
        throws(ToolFailure) -> ToolResult
    {
        guard !old.isEmpty else { throw ToolFailure("old_string is empty; to create a file pass content instead") }
        guard old != new else { throw ToolFailure("old_string and new_string are the same; nothing would change") }
        guard path.exists else {
            throw ToolFailure("'\(path.relative)' does not exist; to create it pass content instead of old_string")
        }
        try requireRegularFile(path)
        let bytes = try LocalFile.readAll(path, limit: limits.maxFileBytes) { size in
            "'\(path.relative)' is \(ToolOutput.size(size)), over the \(ToolOutput.size(limits.maxFileBytes)) edit limit"
        }
        guard !LocalFile.isBinary(bytes) else {
            throw ToolFailure("'\(path.relative)' is a binary file; edit changes text")
        }
        let needle = Array(old.utf8)
        let ranges = bytes.ranges(of: needle)
        switch ranges.count {
        case 0:
            throw ToolFailure(
                "old_string was not found in '\(path.relative)'; read the file and copy the exact text, "
                    + "whitespace and indentation included, without line numbers")
        case 1:
            break
        default:
            guard all else {
                throw ToolFailure(
                    "old_string matches \(ranges.count) times in '\(path.relative)'; include more surrounding lines to "
                        + "make it unique, or set replace_all to replace every one")
            }
        }
        var result = bytes
        let replacement = Array(new.utf8)
        for range in ranges.reversed() { result.replaceSubrange(range, with: replacement) }
        try requireWithinLimit(result.count, path: path, limits: limits)
        do {
            try LocalFile.writeAll(result, to: path)
        } catch {
            throw ToolFailure("cannot write '\(path.relative)': \(error.message)")
        }
        return .success("Replaced \(ToolOutput.count(ranges.count, "occurrence")) in \(path.relative)")
    }

    /// The file's size; fails for a folder, a special file or a file with several hard links.
    @discardableResult
    private func requireRegularFile(_ path: ConfinedPath) throws(ToolFailure) -> Int {
        switch LocalFile.status(path) {
        case .success(let status) where status.kind == .regular:
            guard status.links <= 1 else { throw LocalFile.hardLinkRefusal(path.relative, links: status.links) }
            return status.size
        case .success(let status) where status.kind == .directory:
            throw ToolFailure("'\(path.relative)' is a folder; edit changes files")
        case .success: throw ToolFailure("'\(path.relative)' is not a regular file")
        case .failure(let failure): throw ToolFailure("cannot edit '\(path.relative)': \(failure.message)")
        }
    }

    /// Refuses to write a file larger than `ToolLimits.maxFileBytes` (`limits.max-file-bytes`).
    private func requireWithinLimit(_ size: Int, path: ConfinedPath, limits: ToolLimits) throws(ToolFailure) {
        guard size <= limits.maxFileBytes else {
            throw ToolFailure(
                "'\(path.relative)' would be \(ToolOutput.size(size)), over the \(ToolOutput.size(limits.maxFileBytes)) "
                    + "limit on a written file (limits.max-file-bytes); nothing was written. Split the content into "
                    + "smaller files")
        }
    }
}

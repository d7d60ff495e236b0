import AgentSchedulerCore
import Foundation

/// `search`: a regular expression over the contents of files under a path (`path:line: text`
/// for each matching line), or, with only `glob`, the names of the files that match it.
///
/// `glob` matches a file's name (`*.swift`), or its path from the worktree root when it holds a
/// `/` (`Sources/*/Tools/*.swift`); `*` matches any run of characters, `/` included, and `?` one.
/// Folders named `.git`, symlinks, binary files, files with more than one hard link and files over
/// `ToolLimits.maxFileBytes` are skipped. Files are visited in name order; at most
/// `ToolLimits.maxSearchMatches` results are listed, then a count of the rest.
///
/// The contents are searched by ripgrep (`SearchEngine.ripgrep`, linear time), or by `grep -E`
/// when ripgrep is missing, run as a child process in its own process group: a call that takes
/// longer than `ToolLimits.searchTimeout`, or whose task is cancelled, has the engine killed and
/// fails with a message. The walk itself (names and `lstat` only) runs in this process.
public struct SearchTool: AgentTool {
    /// The engines tried in order; the first that starts is used.
    let engines: [SearchEngine]

    public init(engines: [SearchEngine] = SearchEngine.preferred) {
        self.engines = engines
    }

    public var kind: BuiltinTool { .search }

    /// The longest matching line shown whole.
    static let maxLineCharacters = 300

    static let schema = ToolSchema([
        .string("pattern", "regular expression to find in file contents (ripgrep syntax); omit to list files by glob"),
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
            let scope = try await context.resolve(arguments.string("path") ?? ".")
            guard scope.exists else { throw ToolFailure("'\(scope.relative)' does not exist") }

            var walk = SearchWalk(root: scope, glob: glob, maxFileBytes: context.limits.maxFileBytes)
            if let pattern {
                // The engine opens files by name after the walk checked them: in the sandbox, a file
                // swapped for a symlink in between can lead nowhere but the worktree and the system.
                let sandbox = try? await context.worktree.sandbox()
                return try await searchContents(
                    walk: &walk, root: scope.root, pattern: pattern,
                    ignoringCase: arguments.boolean("ignore_case") ?? false, limits: context.limits,
                    sandbox: sandbox ?? nil)
            }
            return listNames(walk: &walk, glob: glob, limits: context.limits)
        } catch {
            return error.result
        }
    }

    /// Runs the engine over every file of the walk, in batches that fit a command line, within
    /// the time budget; lists the matches in walk order.
    private func searchContents(
        walk: inout SearchWalk, root: String, pattern: String, ignoringCase: Bool, limits: ToolLimits,
        sandbox: Sandbox?
    ) async throws(ToolFailure) -> ToolResult {
        var files: [String] = []
        while let file = walk.next() { files.append(file.relative) }
        let clock = ContinuousClock()
        let deadline = clock.now + limits.searchTimeout
        var found: [String: [(line: Int, text: Substring)]] = [:]
        var binary = 0
        var unreadable = 0
        var incomplete = false
        var engines = self.engines[...]
        var batches = Self.batches(files)[...]
        while let batch = batches.first {
            if Task.isCancelled { throw ToolFailure("the search was cancelled") }
            guard let engine = engines.first else {
                throw ToolFailure(
                    "search cannot run: none of \(self.engines.map(\.executable).joined(separator: ", ")) is installed")
            }
            let remaining = deadline - clock.now
            guard remaining > .zero else { throw Self.overBudget(limits, done: files.count - batches.count) }
            let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C.UTF-8"]
            var executable = engine.executable
            var engineArguments = engine.arguments(pattern: pattern, ignoringCase: ignoringCase, files: batch)
            if let sandbox {
                // Inside, a missing engine is bubblewrap's failure, not a failure to start: look first.
                guard let installed = ProgramLookup.find(engine.executable, onPath: environment["PATH"]!) else {
                    engines = engines.dropFirst()
                    continue
                }
                (executable, engineArguments) = sandbox.command(installed, engineArguments, in: root)
            }
            var child = ChildProcess(
                executable: executable, arguments: engineArguments, environment: environment, directory: root)
            child.outputLimit = .init(head: Self.maxEngineOutputBytes, tail: 0)
            child.timeout = remaining
            child.killGracePeriod = .milliseconds(500)
            let outcome: ChildProcessOutcome
            switch await child.run() {
            case .success(let finished): outcome = finished
            case .failure(.cancelledBeforeStart): throw ToolFailure("the search was cancelled")
            case .failure(.spawnFailed):
                // Not installed (or not startable): try the next engine on the same batch.
                engines = engines.dropFirst()
                continue
            }
            switch outcome.ending {
            case .cancelled: throw ToolFailure("the search was cancelled")
            case .timedOut: throw Self.overBudget(limits, done: files.count - batches.count)
            case .finished: break
            }
            let errors = outcome.standardError.text
            if outcome.termination == .exited(2), outcome.standardOutput.totalBytes == 0,
                !errors.isEmpty, !errors.contains("(os error"), !errors.contains(": Permission denied")
            {
                let reason = errors.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }.prefix(4).joined(separator: " ")
                throw ToolFailure(
                    "'\(pattern)' is not a valid regular expression in \(engine.syntax): \(reason)")
            }
            unreadable += errors.split(separator: "\n").count
            if outcome.standardOutput.droppedBytes > 0 { incomplete = true }
            let text = outcome.standardOutput.text
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                guard let separator = line.firstIndex(of: "\u{0}") else {
                    if engine.reportsBinaryFiles, line.contains(": binary file matches") { binary += 1 }
                    continue
                }
                let rest = line[line.index(after: separator)...]
                guard let colon = rest.firstIndex(of: ":"), let number = Int(rest[..<colon]) else { continue }
                found[String(line[..<separator]), default: []].append((number, rest[rest.index(after: colon)...]))
            }
            batches = batches.dropFirst()
        }
        walk.skippedBinary += binary
        walk.skippedUnreadable += min(unreadable, walk.visited)

        var lines: [String] = []
        var matches = 0
        for file in files {
            guard let hits = found[file] else { continue }
            matches += hits.count
            for hit in hits.sorted(by: { $0.line < $1.line }) where lines.count < limits.maxSearchMatches {
                let shown =
                    hit.text.count > Self.maxLineCharacters ? hit.text.prefix(Self.maxLineCharacters) + " …" : hit.text
                lines.append("\(file):\(hit.line): \(shown)")
            }
        }
        guard matches > 0 else {
            return .success("No matches for /\(pattern)/: \(walk.summary).")
        }
        var text = lines.joined(separator: "\n")
        var truncated = incomplete
        if matches > lines.count || incomplete {
            truncated = true
            text +=
                "\n[\(lines.count) of \(incomplete ? "more than " : "")\(ToolOutput.count(matches, "match", plural: "matches")) shown, "
                + "in \(ToolOutput.count(found.count, "file")); narrow the pattern, path or glob to see the rest]"
        }
        if walk.skippedHardLinks > 0 {
            text +=
                "\n[skipped \(ToolOutput.count(walk.skippedHardLinks, "file")) with more than one hard link, "
                + "which the file tools refuse]"
        }
        let cut = ToolOutput.truncate(text, limit: limits.maxOutputBytes, hint: "narrow the pattern, path or glob")
        return .success(cut.text, truncated: truncated || cut.truncated)
    }

    /// The most output kept from one engine run; past it the counts are lower bounds.
    static let maxEngineOutputBytes = 16 * 1024 * 1024

    /// The most bytes of file names on one command line (Linux allows 2 MiB of arguments and
    /// environment together).
    static let maxBatchBytes = 256 * 1024

    /// `files` cut into command lines of at most `maxBatchBytes`.
    static func batches(_ files: [String]) -> [ArraySlice<String>] {
        var batches: [ArraySlice<String>] = []
        var start = 0
        var bytes = 0
        for (index, file) in files.enumerated() {
            if bytes + file.utf8.count + 1 > maxBatchBytes, index > start {
                batches.append(files[start..<index])
                start = index
                bytes = 0
            }
            bytes += file.utf8.count + 1
        }
        if start < files.count { batches.append(files[start...]) }
        return batches
    }

    private static func overBudget(_ limits: ToolLimits, done: Int) -> ToolFailure {
        ToolFailure(
            "the search was stopped after its time budget of \(limits.searchTimeout) (\(ToolOutput.count(done, "file")) "
                + "searched fully); the pattern may be too costly (nested repetition such as (a*)*, or "
                + "backreferences) or the tree too large: simplify the pattern, or narrow the path or glob")
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

import AgentSchedulerCore
import Foundation

/// `execute`: a shell command, run with `/bin/sh -c` in the worktree, inside the session's
/// sandbox (see `Sandbox`): it sees the system read-only, the worktree read-write, a private
/// `/tmp`, and no network unless the policy gave it one. Without a sandbox it is refused, unless
/// the organisation's policy said `sandbox: none` (`Containment`).
///
/// Standard output and standard error come back merged, as written, followed by the exit code.
/// The command runs in a process group of its own with a scrubbed environment (see
/// `ExecuteTool.environment`) and standard input from `/dev/null`. When it exceeds its timeout
/// (`timeout_seconds`, else `ToolLimits.executeTimeout`, at most `ToolLimits.maxExecuteTimeout`),
/// or the calling task is cancelled, the whole group gets `SIGTERM`, then `SIGKILL`; background
/// jobs the command leaves behind are ended when it exits. Output past
/// `ToolLimits.maxOutputBytes` keeps its beginning and end, with a note of what was cut. A
/// non-zero exit is reported as an error result.
public struct ExecuteTool: AgentTool {
    public init() {}

    public var kind: BuiltinTool { .execute }

    static let schema = ToolSchema([
        .string("command", "the shell command (run by /bin/sh -c in the worktree root)", required: true),
        .integer("timeout_seconds", "seconds the command may run before it is killed (default 120)", minimum: 1),
    ])

    public var definition: ToolDefinition {
        ToolDefinition(
            name: kind.rawValue,
            description: """
                Run a shell command with /bin/sh -c in the worktree root and return its output (stdout and \
                stderr merged) and exit code. No input, no terminal; background jobs end when the command \
                does. Pipe long output through grep, head or tail.
                """,
            parameters: Self.schema.json)
    }

    public func run(_ arguments: JSONValue, in context: ToolContext) async -> ToolResult {
        do throws(ToolFailure) {
            let arguments = try Self.schema.validate(arguments, tool: kind.rawValue)
            let command = arguments.string("command") ?? ""
            guard !command.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ToolFailure("'command' is empty; give the shell command to run")
            }
            let limits = context.limits
            var timeout = limits.executeTimeout
            if let seconds = arguments.integer("timeout_seconds") {
                guard .seconds(seconds) <= limits.maxExecuteTimeout else {
                    throw ToolFailure(
                        "timeout_seconds may be at most \(limits.maxExecuteTimeout.components.seconds); got \(seconds)")
                }
                timeout = .seconds(seconds)
            }
            if let refusal = context.worktree.containment.refusal { throw ToolFailure(refusal) }
            let root = try await context.confinement().root
            var executable = "/bin/sh"
            var commandArguments = ["-c", command]
            do {
                if let sandbox = try await context.worktree.sandbox() {
                    (executable, commandArguments) = sandbox.command(executable, commandArguments, in: root)
                }
            } catch {
                throw ToolFailure("the worktree could not be prepared: \(error)")
            }
            let half = max(limits.maxOutputBytes / 2, 1)
            let process = ChildProcess(
                executable: executable, arguments: commandArguments,
                environment: Self.environment(root: root, extra: context.environment), directory: root,
                mergesStandardError: true, outputLimit: .init(head: half, tail: half), timeout: timeout,
                killGracePeriod: limits.killGracePeriod)
            switch await process.run() {
            case .failure(let error):
                throw ToolFailure(error.description)
            case .success(let outcome):
                return Self.result(of: outcome, timeout: timeout)
            }
        } catch {
            return error.result
        }
    }

    private static func result(of outcome: ChildProcessOutcome, timeout: Duration) -> ToolResult {
        let output = outcome.standardOutput
        var text = String(decoding: output.head, as: UTF8.self)
        if output.droppedBytes > 0 {
            if !text.hasSuffix("\n") { text += "\n" }
            text +=
                "[output truncated: \(ToolOutput.size(output.droppedBytes)) cut from the middle of "
                + "\(ToolOutput.size(output.totalBytes)); redirect output to a file and read or search it, "
                + "or filter it with grep, head or tail]\n"
        }
        text += String(decoding: output.tail, as: UTF8.self)
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        switch outcome.ending {
        case .finished:
            text += "[\(outcome.termination)]"
        case .timedOut:
            text +=
                "[timed out after \(timeout.components.seconds) s: the command and its processes were killed; "
                + "pass a larger timeout_seconds, or run less at once]"
        case .cancelled:
            text += "[cancelled: the command and its processes were killed]"
        }
        return ToolResult(output: text, isError: !outcome.succeeded, truncated: output.droppedBytes > 0)
    }
}

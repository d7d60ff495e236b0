import AgentSchedulerRuntime
import Foundation

/// Runs git for the demo's repository through the runtime's `Git` (no user or system
/// configuration, no hooks), with a fixed identity and clock, so that the same template gives the
/// same commit.
struct DemoGit: Sendable {
    /// The folder git runs in.
    var directory: URL

    static let authorName = "Acme Developers"
    static let authorEmail = "developers@acme.example"
    /// The date of the template's commit (author and committer).
    static let date = "2026-01-05T09:00:00+00:00"

    /// Runs `git ARGUMENTS` and returns its standard output, trimmed; a failure throws
    /// `DemoError.commandFailed` with git's own message.
    @discardableResult
    func run(_ arguments: [String]) async throws(DemoError) -> String {
        let identity = ["-c", "user.name=\(Self.authorName)", "-c", "user.email=\(Self.authorEmail)"]
        let git = Git(
            directory: directory.path,
            extraEnvironment: ["GIT_AUTHOR_DATE": Self.date, "GIT_COMMITTER_DATE": Self.date])
        do {
            return try await git.run(identity + arguments).text.trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            let command = "git " + arguments.joined(separator: " ")
            switch error {
            case .gitFailed(_, let status, let standardError):
                throw .commandFailed(
                    command: command, status: status,
                    output: standardError.trimmingCharacters(in: .whitespacesAndNewlines))
            default:
                throw .commandFailed(command: command, status: "could not run", output: error.description)
            }
        }
    }
}

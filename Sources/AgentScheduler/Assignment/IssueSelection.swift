import AgentSchedulerForges

/// Which issues an assignment names and where their text comes from, for `assign` and the API's
/// `POST /api/v1/assign` alike.
///
/// A `github: true` repository's issues are fetched from GitHub (`numbers`) or listed there
/// (`label`). A local repository's issues come from an issues file, which only the command line
/// reads, so here its numbers need the task's `title` (and `body`): an issue needs text to work
/// on, and a task that says only "Issue #5" would be charged for nothing.
public enum IssueSelection: Sendable, Hashable {
    /// Issue numbers, with the task's text for a local repository (each issue gets it).
    case numbers([Int], title: String? = nil, body: String? = nil)
    /// The open issues with this label (pull requests left out).
    case label(String)

    /// Why the issues could not be named: one line.
    public struct Unavailable: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// The issues of `repository` this selection names.
    ///
    /// Throws ``Unavailable`` for a local repository without the task's text, and `ForgeError`
    /// when GitHub cannot answer.
    public func issues(of repository: String, from forges: ForgeDirectory) async throws -> [Issue] {
        if case .numbers(let numbers, let title?, let body) = self {
            return numbers.map { Issue(number: $0, title: title, body: body ?? "") }
        }
        guard forges.isOnGitHub(repository) else {
            let which =
                switch self {
                case .label(let label): "the issues labelled '\(label)'"
                case .numbers(let numbers, _, _): numbers.map { "#\($0)" }.joined(separator: ", ")
                }
            throw Unavailable(
                description: "no text for \(which) of \(repository): it is not on GitHub in agentsched.yaml, so its "
                    + "issues come from a file; give --issues-file F, or --title T (and --body B) with --issues")
        }
        let forge = try forges.forge(for: repository)
        switch self {
        case .label(let label):
            return try await forge.issues(in: repository, matching: IssueQuery(label: label))
        case .numbers(let numbers, _, _):
            var fetched: [Issue] = []
            for number in numbers {
                fetched.append(try await forge.issue(number, in: repository))
            }
            return fetched
        }
    }
}

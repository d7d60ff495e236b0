import AgentSchedulerForges
import AgentSchedulerLedger

extension PullRequestRecord {
    /// The pull request as a forge reports it: the one place the ledger's record and the forge's
    /// type are mapped.
    public var pullRequest: PullRequest {
        let state: PullRequest.State =
            switch self.state {
            case .open: .open
            case .closed: .closed
            case .merged: .merged
            }
        return PullRequest(
            repository: repository, number: number, url: url, head: head, base: base, title: title, state: state,
            draft: draft)
    }
}

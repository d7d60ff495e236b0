extension SessionOutputs {
    /// The `session.outputs` event that records these outputs (the summary is in the session row).
    public var event: EventPayload {
        .sessionOutputs(
            branch: branch, commit: commit, patch: patch, worktree: worktree, pullRequest: pullRequest?.number)
    }
}

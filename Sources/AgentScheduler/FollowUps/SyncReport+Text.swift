import AgentSchedulerCore

extension SyncReport {
    /// What `sync` prints: a line per queued follow-up count, refusal and failure, then a total.
    public func text() -> String {
        var lines = failures.map { failure in
            "\(failure.repository)#\(failure.number): \(TerminalText.visible(failure.reason))"
        }
        let queued =
            followUps.isEmpty
            ? "no follow-ups"
            : "\(followUps.count) follow-up\(followUps.count == 1 ? "" : "s") queued ("
                + followUps.map { "session \($0)" }.joined(separator: ", ") + ")"
        var total = "\(pullRequests) pull request\(pullRequests == 1 ? "" : "s") synced, \(queued)"
        if refused > 0 { total += ", \(refused) comment\(refused == 1 ? "" : "s") from users below write answered" }
        if waiting > 0 {
            total += ", \(waiting) waiting for a session still at work on \(waiting == 1 ? "its" : "their") branch"
        }
        if !failures.isEmpty { total += ", \(failures.count) could not be read" }
        lines.append(total)
        return lines.joined(separator: "\n") + "\n"
    }
}

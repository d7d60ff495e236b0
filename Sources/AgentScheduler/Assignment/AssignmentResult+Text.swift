import AgentSchedulerCore

extension AssignmentResult {
    /// One line per issue and a summary line: what was queued, denied, skipped or left unrouted.
    public static func text(_ results: [AssignmentResult]) -> String {
        var table = TextTable(headers: ["ISSUE", "AGENT", "MODEL", "RESULT"])
        for result in results {
            let outcome: String
            switch result.status {
            case .queued:
                let verb = result.dryRun ? "would queue" : "queued as session \(result.session.map(String.init) ?? "?")"
                outcome =
                    verb + (result.cost.map { " (\($0))" } ?? "")
                    + (result.estimate.map { "; estimate \($0.text)" } ?? "")
            case .denied: outcome = (result.dryRun ? "would be denied: " : "denied: ") + (result.reason ?? "")
            case .duplicate: outcome = "skipped: " + (result.reason ?? "")
            case .unrouted: outcome = "unrouted: " + (result.reason ?? "")
            }
            table.append(["#\(result.issue)", result.agent ?? "-", result.model ?? "-", outcome])
        }
        let counts = [AssignmentResult.Status.queued, .denied, .duplicate, .unrouted].compactMap { status -> String? in
            let count = results.count { $0.status == status }
            return count == 0 ? nil : "\(count) \(status.rawValue)"
        }
        let prefix = results.first?.dryRun == true ? "dry run, nothing recorded: " : ""
        return table.render() + "\n" + prefix + (counts.isEmpty ? "no issues" : counts.joined(separator: ", "))
    }
}

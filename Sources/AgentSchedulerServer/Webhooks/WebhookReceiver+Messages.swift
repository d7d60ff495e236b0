import AgentSchedulerCore
import Foundation

extension WebhookReceiver {
    /// `text` fit for an answer: its first line, at most 300 characters, with the webhook secret
    /// redacted and every absolute path of this machine (the workspace, the ledger file…)
    /// replaced by `<path>`. URLs keep their paths: only a `/` that starts a word starts a path.
    func oneLine(_ text: String) -> String {
        var line = String(text.split(whereSeparator: \.isNewline).first ?? "")
            .trimmingCharacters(in: .whitespaces)
        if let signature { line = signature.redacting(line) }
        line = Self.absolutePath.stringByReplacingMatches(
            in: line, range: NSRange(line.startIndex..., in: line), withTemplate: "$1<path>")
        return line.count > 300 ? String(line.prefix(299)) + "…" : line
    }

    /// A `/` at the start of the text or after a space, quote, bracket, `=` or comma, to the next
    /// such separator.
    private static let absolutePath: NSRegularExpression = {
        do {
            return try NSRegularExpression(pattern: #"(^|[\s"'(=,\[])/[^\s"'),;\]]*"#)
        } catch {
            preconditionFailure("WebhookReceiver: the path pattern does not compile: \(error)")
        }
    }()
}

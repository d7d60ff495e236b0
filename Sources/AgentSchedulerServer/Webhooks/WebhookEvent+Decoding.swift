import Foundation

extension WebhookEvent {
    /// The kinds agentsched decodes, by `X-GitHub-Event` name.
    public static let knownNames: Set<String> = [
        "ping", "issues", "issue_comment", "pull_request_review", "pull_request_review_comment",
    ]

    /// Decodes `body` as the payload of event `name`; `nil` when `name` is not a kind agentsched
    /// knows. Throws ``WebhookFailure/malformed(_:)`` with a one-line reason (which field, at which
    /// path) when it is known and its payload does not decode.
    public static func decode(_ name: String, body: Data) throws(WebhookFailure) -> WebhookEvent? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom(Self.time)
        do {
            switch name {
            case "ping": return .ping(try decoder.decode(WebhookPayload.Ping.self, from: body))
            case "issues": return .issues(try decoder.decode(WebhookPayload.Issues.self, from: body))
            case "issue_comment":
                return .issueComment(try decoder.decode(WebhookPayload.IssueComment.self, from: body))
            case "pull_request_review":
                return .pullRequestReview(try decoder.decode(WebhookPayload.PullRequestReview.self, from: body))
            case "pull_request_review_comment":
                return .pullRequestReviewComment(
                    try decoder.decode(WebhookPayload.PullRequestReviewComment.self, from: body))
            default: return nil
            }
        } catch let error as DecodingError {
            throw WebhookFailure.malformed("\(name) payload: \(reason(error))")
        } catch {
            throw WebhookFailure.malformed("\(name) payload is not JSON")
        }
    }

    /// GitHub's times, `2026-12-03T15:24:23Z`, with or without fractional seconds; the error names
    /// the field (Foundation's own ISO 8601 strategy reports only the object holding it).
    @Sendable static func time(_ decoder: any Decoder) throws -> Date {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 time")
        }
        return date
    }

    /// What is wrong, in one line and without echoing the payload: `issue.number is missing`.
    static func reason(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
        case .valueNotFound(_, let context): return "\(path(context.codingPath)) is null"
        case .typeMismatch(let type, let context):
            return context.codingPath.isEmpty
                ? "it is not a JSON object" : "\(path(context.codingPath)) is not \(kind(type))"
        case .dataCorrupted(let context):
            guard let last = context.codingPath.last else { return "it is not valid JSON" }
            return last.stringValue.hasSuffix("_at")
                ? "\(path(context.codingPath)) is not an ISO 8601 time" : "\(path(context.codingPath)) is not valid"
        @unknown default: return "it does not decode"
        }
    }

    /// `issue.labels[0].name`.
    private static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? "the payload" : text
    }

    /// A JSON kind in words: `a number`, `a string`, `an object`.
    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Date.Type: "an ISO 8601 time"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}

import Foundation

/// The shapes of GitHub's REST answers that `GitHubForge` reads, decoded strictly: a missing
/// required field is a `DecodingError`, which the forge reports as `ForgeError.malformed`.
enum GitHubWire {
    struct User: Decodable {
        var login: String
    }

    struct Label: Decodable {
        var name: String
    }

    /// Any JSON object; only its presence matters (an issue's `pull_request` key).
    struct Marker: Decodable {}

    struct Issue: Decodable {
        var number: Int
        var title: String
        var body: String?
        var labels: [Label]
        var pullRequest: Marker?
    }

    struct Permission: Decodable {
        var permission: String
        var roleName: String?
    }

    struct Repository: Decodable {
        var fullName: String
        var defaultBranch: String
        var cloneUrl: String
    }

    struct Branch: Decodable {
        var ref: String
    }

    struct PullRequest: Decodable {
        var number: Int
        var htmlUrl: String
        var title: String
        var state: String
        var draft: Bool?
        var mergedAt: Date?
        var head: Branch
        var base: Branch
        var user: User?
    }

    struct Review: Decodable {
        var id: Int64
        var user: User?
        var body: String?
        var state: String
        var submittedAt: Date?
    }

    struct ReviewComment: Decodable {
        var id: Int64
        var pullRequestReviewId: Int64?
        var user: User?
        var body: String
        var path: String?
        var line: Int?
        var originalLine: Int?
        var createdAt: Date
    }

    struct IssueComment: Decodable {
        var id: Int64
        var user: User?
        var body: String?
        var createdAt: Date
    }

    /// GitHub's error body: `{"message": …, "errors": [{"message": …, "code": …}], …}`.
    struct Failure: Decodable {
        struct Detail: Decodable {
            var message: String?
            var code: String?
            var field: String?
        }

        var message: String?
        var errors: [Detail]?

        /// `message` and the errors' messages on one line.
        var summary: String {
            let details = (errors ?? []).compactMap { detail -> String? in
                detail.message ?? [detail.field, detail.code].compactMap { $0 }.joined(separator: " ")
            }.filter { !$0.isEmpty }
            let head = message ?? "no message"
            let text = details.isEmpty ? head : "\(head): \(details.joined(separator: "; "))"
            return text.split(whereSeparator: \.isNewline).joined(separator: " ")
        }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}

import Foundation

/// The JSON bodies of the API's actions, decoded strictly: a key the API does not know, or a
/// value of the wrong type, is a 400 naming it, never ignored or coerced.
protocol StrictBody: Decodable {
    static var keys: Set<String> { get }
}

extension StrictBody {
    /// Decodes `data`, refusing unknown keys.
    static func decode(_ data: Data) throws -> Self {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw APIError.badRequest("the body is not JSON")
        }
        guard let fields = object as? [String: Any] else { throw APIError.badRequest("the body must be a JSON object") }
        if let unknown = fields.keys.sorted().first(where: { !keys.contains($0) }) {
            throw APIError.badRequest("unknown field '\(unknown)'; known: \(keys.sorted().joined(separator: ", "))")
        }
        do {
            return try JSONDecoder().decode(Self.self, from: data)
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest("'\(field)' must be \(Self.describe(type))")
        } catch let DecodingError.keyNotFound(key, _) {
            throw APIError.badRequest("missing field '\(key.stringValue)'")
        } catch {
            throw APIError.badRequest("the body does not fit: \(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type: "an integer"
        case is [Int].Type: "an array of issue numbers"
        default: "\(type)"
        }
    }
}

/// `POST /api/v1/assign`: what `agentsched assign` takes.
struct AssignBody: StrictBody {
    static let keys: Set<String> = [
        "repository", "issues", "label", "title", "body", "agent", "model", "as", "dry_run",
    ]

    var repository: String
    var issues: [Int]?
    var label: String?
    var title: String?
    var body: String?
    /// An agent's handle or name, or `route` to route each issue by its labels.
    var agent: String
    var model: String?
    var `as`: String?
    var dryRun: Bool?

    enum CodingKeys: String, CodingKey {
        case repository, issues, label, title, body, agent, model
        case `as`
        case dryRun = "dry_run"
    }
}

/// `POST /api/v1/sessions/{id}/steer` and `…/follow-up`.
struct MessageBody: StrictBody {
    static let keys: Set<String> = ["message", "as"]
    var message: String
    var `as`: String?
}

/// `POST /api/v1/sessions/{id}/cancel`.
struct ActorBody: StrictBody {
    static let keys: Set<String> = ["as"]
    var `as`: String?
}

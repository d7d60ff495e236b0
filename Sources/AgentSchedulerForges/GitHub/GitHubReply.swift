import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// One answer from GitHub: its status, headers and whole body, and what was asked.
struct GitHubReply: Sendable {
    /// `GET`, `POST`, …
    var method: String
    /// The path and query asked for, as logged and as kept in feedback cursors.
    var target: String
    var status: Int
    var headers: HTTPHeaders
    var body: ByteBuffer

    /// The `ETag` header, if any.
    var etag: String? { headers.first(name: "etag") }

    /// The next page of a paginated list, from the `Link` header.
    var nextPage: URL? { GitHubLink(header: headers.first(name: "link")).next }

    /// The body decoded as `T`; throws `ForgeError.malformed` naming the request when it is not.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try GitHubWire.decoder.decode(T.self, from: body)
        } catch {
            throw ForgeError.malformed(
                "\(method) \(target) answered JSON that is not \(T.self): \(Self.describe(error))")
        }
    }

    /// GitHub's error message on one line, or the status when the body has none.
    var failureSummary: String {
        let failure = try? GitHubWire.decoder.decode(GitHubWire.Failure.self, from: body)
        return failure?.summary ?? "status \(status)"
    }

    /// The error messages in a 422's `errors`, lowercased.
    var failureDetails: [String] {
        let failure = try? GitHubWire.decoder.decode(GitHubWire.Failure.self, from: body)
        return (failure?.errors ?? []).compactMap { $0.message?.lowercased() }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "no \(Self.path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \(Self.path(context.codingPath))"
        case DecodingError.dataCorrupted(let context):
            "unreadable at \(Self.path(context.codingPath))"
        default:
            String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.isEmpty ? "the top level" : text
    }
}

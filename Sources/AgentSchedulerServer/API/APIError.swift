import Foundation
import HTTPTypes
import Hummingbird

/// An error answer of the API: `{"error": {"code": "…", "message": "…"}}` with its status.
///
/// The message is one line for a person; it never carries a stack trace, a path of the server's
/// machine or a secret (the ledger and forges already redact what they pass on).
public struct APIError: HTTPResponseError, Sendable, Equatable {
    public var status: HTTPResponse.Status
    /// A stable, machine-readable name: `not-found`, `bad-request`, `unauthorized`, `csrf`, …
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not-found", message: message) }
    static func badRequest(_ message: String) -> APIError {
        APIError(.badRequest, code: "bad-request", message: message)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONAnswer.response(Body(error: .init(code: code, message: message)), status: status)
    }

    private struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
        }
        var error: Detail
    }
}

import Foundation

/// A request the fake model server received, as recorded for a test to inspect.
///
/// Every request is recorded, including those that failed validation or met a fault, in the order they arrived
/// for their script key.
public struct FakeModelRequest: Sendable {
    /// The protocol a request path belongs to.
    public enum API: String, Sendable, Hashable {
        /// `POST …/chat/completions` or `…/v1/chat/completions`.
        case openAIChatCompletions
        /// `POST …/v1/messages`.
        case anthropicMessages
    }

    /// The script key from a `/sessions/{key}/…` path, or `nil` for the default script.
    public var key: String?
    /// The HTTP method, for example `POST`.
    public var method: String
    /// The full request path, including any `/sessions/{key}` prefix.
    public var path: String
    /// The protocol the path selects, or `nil` for a path the server does not serve (answered with 404).
    public var api: API?
    /// The headers, with names in lower case; repeated headers are joined with `, `.
    public var headers: [String: String]
    /// The raw body.
    public var body: Data
    /// The body decoded as JSON, or `nil` when it is not JSON.
    public var json: FakeJSON?
    /// The script step this request met, or `nil` when it never reached the script (unknown path, invalid body).
    public var step: FakeModelStep?

    /// The value of the header `name`, compared without regard to case.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }
}

/// Where `FakeModelStep.echoAuthorization` puts the request's `Authorization` header.
public enum AuthorizationEcho: Sendable, Hashable {
    /// An answer with this status: an error body in the provider's shape whose message quotes the header;
    /// a 3xx also points its `location` at a URL carrying it.
    case status(Int)
    /// 200 with an event stream whose first event is the provider's error object quoting the header
    /// (`data: {"error": {...}}`).
    case errorEvent
    /// 200 with an event stream whose first chunk is not JSON and quotes the header.
    case badChunk
}

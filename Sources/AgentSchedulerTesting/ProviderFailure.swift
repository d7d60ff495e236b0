/// A failure answered in the provider's own error shape.
enum ProviderFailure: Sendable {
    case invalidRequest(String)
    case unauthorized
    case rateLimited(retryAfter: Duration?)
    case server(status: Int)
    case notFound(method: String, path: String)
}

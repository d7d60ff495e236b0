/// One model provider's wire protocol: sends one request, once.
///
/// Implementations throw `ProviderFailure` for every failure the provider or the network caused,
/// classified, and `CancellationError` when the calling task was cancelled. Retrying, waiting and
/// rate limiting are `ResilientModelClient`'s job.
public protocol ModelClient: Sendable {
    func send(_ request: ModelRequest, attempt: Int) async throws -> ModelResponse
}

import Hummingbird
import Logging

/// Turns every error a handler throws into the API's error shape: Hummingbird's own (a bad
/// parameter, a body too large) keep their status; anything else is a 500 whose details go to
/// the log only (the log is redacted), never into the answer.
struct ErrorAnswers<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw APIError(
                error.status, code: error.status.code == 404 ? "not-found" : "bad-request",
                message: error.body ?? error.status.reasonPhrase)
        } catch let error as any HTTPResponseError {
            throw APIError(error.status, code: "error", message: error.status.reasonPhrase)
        } catch {
            logger.error("\(request.method.rawValue) \(request.uri.path) failed: \(error)")
            throw APIError(.internalServerError, code: "internal", message: "the server failed; its log says why")
        }
    }
}

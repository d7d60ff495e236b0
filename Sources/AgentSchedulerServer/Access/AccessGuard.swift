import Foundation
import HTTPTypes
import Hummingbird

/// Who may use the server, checked before every handler (DESIGN §11).
///
/// - Without a token (a loopback bind only), every request must name a loopback host in `Host`,
///   so a web page elsewhere cannot reach the server through DNS rebinding.
/// - With a token, every request needs `Authorization: Bearer TOKEN`, or the session cookie the
///   login form sets (an HMAC of the token, never the token itself). Pages without it redirect
///   to `/login`; the API answers 401.
/// - Every request that changes something (any method but GET and HEAD) must come from this
///   origin: a browser's `Origin` must equal `http://HOST`, or its `Sec-Fetch-Site` must say
///   `same-origin`; a request with neither header is not a browser's and passes (the bearer
///   token, when one is set, already proved it is wanted). The webhook has its own signature.
struct AccessGuard<Context: RequestContext>: RouterMiddleware {
    let access: ServerAccess

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        let open = path == "/login" || path.hasPrefix("/assets/") || path == "/favicon.ico" || path == WebhookRoute.path
        if access.token == nil {
            guard let host = request.head.authority, ServerAccess.isLoopback(hostHeader: host) else {
                throw APIError(
                    .misdirectedRequest, code: "bad-host",
                    message: "this server answers only to a loopback host name (127.0.0.1, localhost, [::1])")
            }
        }
        var byBearer = false
        if let token = access.token, !open {
            let bearer = request.headers[.authorization].flatMap(ServerAccess.bearer)
            byBearer = bearer.map { ServerAccess.same($0, token) } ?? false
            let byCookie = request.cookies[ServerAccess.cookieName].map { access.isSessionCookie($0.value) } ?? false
            guard byBearer || byCookie else {
                if request.method == .get, !path.hasPrefix("/api/") {
                    return Response(status: .seeOther, headers: [.location: "/login"])
                }
                throw APIError(
                    .unauthorized, code: "unauthorized",
                    message: "this server needs its token: Authorization: Bearer TOKEN, or sign in at /login")
            }
        }
        if request.method != .get, request.method != .head, path != WebhookRoute.path, !byBearer {
            guard ServerAccess.isSameOrigin(request) else {
                throw APIError(
                    .forbidden, code: "csrf", message: "refused: the request did not come from this server's pages")
            }
        }
        return try await next(request, context)
    }
}

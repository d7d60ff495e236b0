import Foundation
import HTTPTypes
import Hummingbird

/// `POST /login`: the page's sign-in. The right token sets the session cookie (HttpOnly,
/// SameSite=Strict, an HMAC of the token) and goes to `/`; a wrong one is a 401 and sets nothing.
/// `POST /logout` clears the cookie.
struct LoginRoutes: Sendable {
    let access: ServerAccess
    /// The sign-in page, with an error line after a wrong token.
    let page: @Sendable (_ error: String?) -> String

    private struct Form: Decodable {
        var token: String
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/login") { _, _ in Self.html(page(nil)) }
        router.post("/login") { request, context in
            guard let expected = access.token, let cookie = access.sessionCookie else {
                return Response(status: .seeOther, headers: [.location: "/"])
            }
            let form = try? await URLEncodedFormDecoder().decode(Form.self, from: request, context: context)
            guard let form, ServerAccess.same(form.token, expected) else {
                return Self.html(page("That is not this server's token."), status: .unauthorized)
            }
            var response = Response(status: .seeOther, headers: [.location: "/"])
            response.setCookie(
                Cookie(name: ServerAccess.cookieName, value: cookie, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        router.post("/logout") { _, _ in
            var response = Response(status: .seeOther, headers: [.location: "/login"])
            response.setCookie(
                Cookie(
                    name: ServerAccess.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

import Foundation
import HTTPTypes
import Hummingbird

/// `POST /login`: the page's sign-in. The right token sets the session cookie (HttpOnly,
/// SameSite=Strict, an HMAC of the token) and goes to `/`; a wrong one is a 401 and sets nothing.
/// `POST /logout` clears the cookie.
struct LoginRoutes: Sendable {
    let access: ServerAccess

    private struct Form: Decodable {
        var token: String
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/login") { _, _ in PageRoutes.html(AgentsPages.login()) }
        router.post("/login") { request, context in
            guard let expected = access.token, let cookie = access.sessionCookie else {
                return Response(status: .seeOther, headers: [.location: "/"])
            }
            let form = try? await URLEncodedFormDecoder().decode(Form.self, from: request, context: context)
            guard let form, ServerAccess.same(form.token, expected) else {
                return PageRoutes.html(
                    AgentsPages.login(error: "That is not this server's token."), status: .unauthorized)
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
}

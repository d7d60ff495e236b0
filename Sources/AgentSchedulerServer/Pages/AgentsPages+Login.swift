extension AgentsPages {
    /// The login page (`/login`): `<form method="post" action="/login">` with the password field
    /// `token`. `error` (the token was wrong) is shown as `<p class="error" role="alert">`; `next`,
    /// a same-site path to go back to, is carried in a hidden `next` field.
    public static func login(error: String? = nil, next: String? = nil) -> HTML {
        var fields: [HTML] = [
            field(
                "Token", id: "login-token",
                .element(
                    "input",
                    [
                        "type": "password", "id": "login-token", "name": "token", "required": "",
                        "autocomplete": "current-password",
                    ])),
            .element("p", ["class": "actions"], .element("button", ["type": "submit"], .text("Log in"))),
        ]
        if let next, next.hasPrefix("/"), !next.hasPrefix("//") {
            fields.append(.element("input", ["type": "hidden", "name": "next", "value": next]))
        }
        return layout(
            title: "Log in", page: "login", section: nil, messages: error.map { [PageMessage.error($0)] } ?? [],
            main: [
                heading("Log in"),
                .element("form", ["id": "login", "method": "post", "action": "/login"], fields),
            ])
    }

    /// An error page: the status (`404 Not found`) as its heading and one line saying what went wrong.
    public static func error(status: Int, message: String, user: String? = nil) -> HTML {
        let title = "\(status) \(reasonPhrase(status))"
        return layout(
            title: title, page: "error", section: nil, user: user,
            main: [
                heading(title),
                .element("p", ["class": "error", "role": "alert"], .line(message)),
                .element("p", [:], .element("a", ["href": "/"], .text("Back to the sessions"))),
            ])
    }

    /// The usual phrase of an HTTP status.
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: "Bad request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not found"
        case 405: "Method not allowed"
        case 409: "Conflict"
        case 413: "Content too large"
        case 422: "Unprocessable content"
        case 429: "Too many requests"
        case 500: "Internal server error"
        case 502: "Bad gateway"
        case 503: "Service unavailable"
        default: status >= 500 ? "Server error" : status >= 400 ? "Request refused" : "Status"
        }
    }
}

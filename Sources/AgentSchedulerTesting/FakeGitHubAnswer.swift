/// What the fake GitHub server answers one request with, decided under its lock and sent after.
struct FakeGitHubAnswer: Sendable {
    enum Kind: Sendable {
        /// A JSON body.
        case json(Int, FakeJSON)
        /// `304 Not Modified`, without a body.
        case notModified
        /// No answer until the server stops.
        case hang
        /// The connection closed without an answer.
        case drop
    }

    var kind: Kind
    /// Extra headers: rate limits, `ETag`, `Link`, `retry-after`.
    var headers: [String: String] = [:]

    /// GitHub's error body: `{"message": …, "documentation_url": …, "status": …}`.
    static func failure(_ status: Int, _ message: String, errors: [FakeJSON]? = nil) -> FakeGitHubAnswer {
        var body: [String: FakeJSON] = [
            "message": .string(message), "documentation_url": "https://docs.github.com/rest",
            "status": .string(String(status)),
        ]
        if let errors { body["errors"] = .array(errors) }
        return FakeGitHubAnswer(kind: .json(status, .object(body)))
    }

    /// 404 with GitHub's body.
    static var notFound: FakeGitHubAnswer { failure(404, "Not Found") }

    var status: Int? {
        switch kind {
        case .json(let status, _): status
        case .notModified: 304
        case .hang, .drop: nil
        }
    }
}

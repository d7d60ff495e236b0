import Foundation

extension GitHubForge {
    /// Where GitHub's REST API is, the token to send it, and how long to keep trying.
    ///
    /// The token is held privately: `description`, `debugDescription` and the mirror `dump` uses all
    /// show `tokenVariable` in its place, so printing a configuration never prints the token.
    public struct Configuration: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
        CustomReflectable
    {
        /// The API's root: `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise
        /// Server (the path prefix is kept). Requests and `Link` pages never leave its host.
        public var apiURL: URL
        /// The environment variable the token came from, named in messages such as the 401's.
        public var tokenVariable: String
        /// Sent as `User-Agent` (GitHub answers 403 without one).
        public var userAgent: String
        /// How many times a request is sent when GitHub answers 5xx or cannot be reached.
        public var maxAttempts: Int
        /// The first wait after a 5xx or a connection error; each later one doubles, up to `longestBackoff`.
        public var initialBackoff: Duration
        /// The longest wait between two attempts after a 5xx or a connection error.
        public var longestBackoff: Duration
        /// The longest rate-limit wait accepted: a longer one throws `ForgeError.rateLimited(until:)`.
        public var longestRateLimitWait: Duration
        /// How many rate-limit answers one request may meet before it gives up with `.rateLimited`.
        public var maxRateLimitWaits: Int
        /// How long one exchange may take before it counts as a connection failure.
        public var requestTimeout: Duration
        /// The most bytes one answer's body may have.
        public var bodyLimit: Int

        let token: String

        /// A configuration for `token`, read by the caller from `$tokenVariable`.
        ///
        /// Throws `ForgeError.missingToken` when `token` is empty, and `ForgeError.malformed` when
        /// `apiURL` is not an `http` or `https` URL with a host.
        public init(
            apiURL: URL = URL(string: "https://api.github.com")!, tokenVariable: String = "GITHUB_TOKEN",
            token: String, userAgent: String = "agentsched", maxAttempts: Int = 4,
            initialBackoff: Duration = .milliseconds(500), longestBackoff: Duration = .seconds(30),
            longestRateLimitWait: Duration = .seconds(900), maxRateLimitWaits: Int = 20,
            requestTimeout: Duration = .seconds(60), bodyLimit: Int = 16 << 20
        ) throws {
            guard !token.isEmpty else { throw ForgeError.missingToken(variable: tokenVariable) }
            guard let scheme = apiURL.scheme?.lowercased(), scheme == "https" || scheme == "http",
                apiURL.host?.isEmpty == false
            else {
                throw ForgeError.malformed("github.api-url \(apiURL.absoluteString) is not an http(s) URL with a host")
            }
            precondition(maxAttempts >= 1, "GitHubForge.Configuration: maxAttempts must be at least 1")
            precondition(maxRateLimitWaits >= 0, "GitHubForge.Configuration: maxRateLimitWaits must not be negative")
            precondition(bodyLimit > 0, "GitHubForge.Configuration: bodyLimit must be positive")
            var text = apiURL.absoluteString
            while text.hasSuffix("/") { text.removeLast() }
            self.apiURL = URL(string: text)!
            self.tokenVariable = tokenVariable
            self.token = token
            self.userAgent = userAgent
            self.maxAttempts = maxAttempts
            self.initialBackoff = initialBackoff
            self.longestBackoff = longestBackoff
            self.longestRateLimitWait = longestRateLimitWait
            self.maxRateLimitWaits = maxRateLimitWaits
            self.requestTimeout = requestTimeout
            self.bodyLimit = bodyLimit
        }

        public var description: String {
            "GitHub at \(apiURL.absoluteString) with the token in $\(tokenVariable)"
        }

        public var debugDescription: String { description }

        public var customMirror: Mirror {
            Mirror(
                self,
                children: ["apiURL": apiURL, "tokenVariable": tokenVariable, "userAgent": userAgent],
                displayStyle: .struct)
        }
    }
}

import Foundation

/// The optional `agentsched.yaml`: the default assigner and where each repository lives.
public struct WorkspaceConfiguration: Sendable, Hashable, Codable {
    /// Where a repository's code comes from.
    public struct RepositorySource: Sendable, Hashable, Codable {
        /// A local git repository, relative to the workspace.
        public var path: String?
        /// Cloned and pushed through GitHub.
        public var github: Bool
        /// The ref sessions branch from and pull requests go to; the repository's `HEAD` (a local
        /// repository) or default branch (GitHub) when absent.
        public var baseRef: String?
        /// Where a `github: true` repository is cloned from instead of the API's `clone_url`.
        public var cloneURL: String?

        public init(path: String? = nil, github: Bool = false, baseRef: String? = nil, cloneURL: String? = nil) {
            self.path = path
            self.github = github
            self.baseRef = baseRef
            self.cloneURL = cloneURL
        }

        enum CodingKeys: String, CodingKey {
            case path, github
            case baseRef = "base-ref"
            case cloneURL = "clone-url"
        }
    }

    /// The default assigner (`--as` and `AGENTSCHED_USER` take precedence).
    public var user: String?
    /// `OWNER/NAME` → source.
    public var repositories: [String: RepositorySource]
    /// `github.token-env`: the variable holding the forge token (never the token); `GITHUB_TOKEN` when absent.
    public var githubTokenVariable: String?
    /// `github.webhook-secret-env`: the variable holding the webhook secret.
    public var webhookSecretVariable: String?
    /// `github.api-url`: GitHub's REST API, `https://HOST/api/v3` for GitHub Enterprise Server;
    /// `defaultGitHubAPIURL` when absent.
    public var githubAPIURL: String?
    /// `github.mention`: what a review comment must contain to reach an agent; `defaultMention` when absent.
    public var githubMention: String?
    /// `ledger.url-env`: the variable holding a database server's URL; SQLite in the state folder when absent.
    public var ledgerURLVariable: String?

    public init(
        user: String? = nil, repositories: [String: RepositorySource] = [:], githubTokenVariable: String? = nil,
        webhookSecretVariable: String? = nil, ledgerURLVariable: String? = nil, githubAPIURL: String? = nil,
        githubMention: String? = nil
    ) {
        self.user = user
        self.repositories = repositories
        self.githubTokenVariable = githubTokenVariable
        self.webhookSecretVariable = webhookSecretVariable
        self.ledgerURLVariable = ledgerURLVariable
        self.githubAPIURL = githubAPIURL
        self.githubMention = githubMention
    }

    enum CodingKeys: String, CodingKey {
        case user, repositories
        case githubTokenVariable = "github-token-env"
        case webhookSecretVariable = "webhook-secret-env"
        case ledgerURLVariable = "ledger-url-env"
        case githubAPIURL = "github-api-url"
        case githubMention = "github-mention"
    }

    public static let defaultGitHubAPIURL = "https://api.github.com"
    public static let defaultMention = "@agentsched"

    /// The source of `repository` (`OWNER/NAME`), matched without case as GitHub does.
    public func source(of repository: String) -> RepositorySource? {
        repositories[repository]
            ?? repositories.first { $0.key.lowercased() == repository.lowercased() }?.value
    }

    /// Whether `repository` lives on GitHub (`github: true`).
    public func isGitHub(_ repository: String) -> Bool { source(of: repository)?.github ?? false }
}

extension WorkspaceConfiguration {
    /// Reads `agentsched.yaml`; an empty file is an empty configuration.
    static func read(path: String, limits: YAMLLimits, decoder: DocumentDecoder) -> WorkspaceConfiguration? {
        var configuration = WorkspaceConfiguration()
        guard let root = decoder.readRoot(limits: limits, whenEmpty: nil) else { return configuration }
        guard
            var keys = decoder.mapping(
                root, key: "agentsched.yaml", known: ["user", "repositories", "github", "ledger"])
        else {
            return nil
        }
        if let node = keys.take("github"),
            var fields = decoder.mapping(
                node, key: "github", known: ["api-url", "token-env", "mention", "webhook-secret-env"])
        {
            if let value = fields.take("api-url"), let text = decoder.nonEmptyString(value, key: "api-url") {
                if let problem = Self.problem(withAPIURL: text) {
                    decoder.error(
                        .invalidValue, "'api-url' \(problem)",
                        hint: "https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server", at: value)
                } else {
                    configuration.githubAPIURL = text
                }
            }
            if let value = fields.take("mention") {
                configuration.githubMention = decoder.nonEmptyString(value, key: "mention")?.trimmingSpaces
            }
            if let value = fields.take("token-env") {
                configuration.githubTokenVariable = decoder.nonEmptyString(value, key: "token-env")
            }
            if let value = fields.take("webhook-secret-env") {
                configuration.webhookSecretVariable = decoder.nonEmptyString(value, key: "webhook-secret-env")
            }
            fields.reportUnknownKeys(in: "github")
        }
        if let node = keys.take("ledger"), var fields = decoder.mapping(node, key: "ledger", known: ["url-env"]) {
            if let value = fields.take("url-env") {
                configuration.ledgerURLVariable = decoder.nonEmptyString(value, key: "url-env")
            }
            fields.reportUnknownKeys(in: "ledger")
        }
        if let node = keys.take("user") {
            configuration.user = decoder.nonEmptyString(node, key: "user")?.trimmingSpaces
        }
        if let node = keys.take("repositories"),
            let entries = decoder.mapping(node, key: "repositories", known: [])?.entries
        {
            for (name, value) in entries {
                let parts = name.value.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else {
                    decoder.report(
                        .error(
                            .invalidValue, "repository '\(name.value)' is not of the form OWNER/NAME",
                            at: name.location))
                    continue
                }
                guard
                    var fields = decoder.mapping(
                        value, key: name.value, known: ["path", "github", "base-ref", "clone-url"])
                else {
                    continue
                }
                var source = RepositorySource()
                // A value that was written but refused has its own diagnostic; the "needs one of" checks skip it.
                var refused = false
                if let node = fields.take("path") {
                    source.path = decoder.nonEmptyString(node, key: "path")
                    refused = source.path == nil
                }
                if let node = fields.take("github") {
                    let github = decoder.bool(node, key: "github")
                    source.github = github ?? false
                    refused = refused || github == nil
                }
                if let ref = fields.take("base-ref") { source.baseRef = decoder.nonEmptyString(ref, key: "base-ref") }
                if let node = fields.take("clone-url"), let url = decoder.nonEmptyString(node, key: "clone-url") {
                    if let problem = Self.problem(withCloneURL: url) {
                        decoder.error(.invalidValue, "'clone-url' \(problem)", at: node)
                    } else {
                        source.cloneURL = url
                    }
                }
                if !refused, source.path == nil, !source.github {
                    decoder.error(
                        .missingKey, "repository '\(name.value)' needs 'path' or 'github: true'",
                        hint: "point 'path' at a local git repository", at: value)
                } else if source.path != nil, source.github {
                    decoder.error(
                        .invalidValue, "repository '\(name.value)' has both 'path' and 'github: true'",
                        hint: "keep one of them", at: value)
                } else if source.cloneURL != nil, !source.github {
                    decoder.error(
                        .invalidValue, "repository '\(name.value)' has 'clone-url' but not 'github: true'",
                        hint: "a local repository is read from 'path'", at: value)
                }
                fields.reportUnknownKeys(in: "repository '\(name.value)'")
                configuration.repositories[name.value] = source
            }
        }
        keys.reportUnknownKeys(in: "agentsched.yaml")
        return configuration
    }
}

extension WorkspaceConfiguration {
    /// What is wrong with `github.api-url`, or `nil`: it must be an http(s) URL without credentials,
    /// query or fragment (the token travels in a header, never in a URL).
    static func problem(withAPIURL text: String) -> String? {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), url.host?.isEmpty == false
        else { return "is '\(text)', not a URL" }
        guard scheme == "https" || scheme == "http" else { return "must be an https URL, not \(scheme):" }
        guard url.user == nil, url.password == nil else { return "must not hold credentials; use 'token-env'" }
        guard url.query == nil, url.fragment == nil else { return "must not have a query or a fragment" }
        return nil
    }

    /// What is wrong with a `clone-url`, or `nil`: an https, http, ssh or file URL, or a path, never
    /// with a password in it.
    static func problem(withCloneURL text: String) -> String? {
        // A path, or scp-like `git@host:owner/name.git`.
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased() else { return nil }
        guard ["https", "http", "ssh", "file", "git"].contains(scheme) else {
            return "has the scheme \(scheme):; use https, ssh or file"
        }
        guard url.password == nil, scheme == "ssh" || url.user == nil else {
            return "must not hold credentials; the token from 'github.token-env' is sent by agentsched"
        }
        return nil
    }
}

/// The optional `agentsched.yaml`: the default assigner and where each repository lives.
public struct WorkspaceConfiguration: Sendable, Hashable, Codable {
    /// Where a repository's code comes from.
    public struct RepositorySource: Sendable, Hashable, Codable {
        /// A local git repository, relative to the workspace.
        public var path: String?
        /// Cloned and pushed through GitHub.
        public var github: Bool
        /// The ref sessions branch from; the repository's `HEAD` when absent.
        public var baseRef: String?

        public init(path: String? = nil, github: Bool = false, baseRef: String? = nil) {
            self.path = path
            self.github = github
            self.baseRef = baseRef
        }

        enum CodingKeys: String, CodingKey {
            case path, github
            case baseRef = "base-ref"
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
    /// `ledger.url-env`: the variable holding a database server's URL; SQLite in the state folder when absent.
    public var ledgerURLVariable: String?

    public init(
        user: String? = nil, repositories: [String: RepositorySource] = [:], githubTokenVariable: String? = nil,
        webhookSecretVariable: String? = nil, ledgerURLVariable: String? = nil
    ) {
        self.user = user
        self.repositories = repositories
        self.githubTokenVariable = githubTokenVariable
        self.webhookSecretVariable = webhookSecretVariable
        self.ledgerURLVariable = ledgerURLVariable
    }

    enum CodingKeys: String, CodingKey {
        case user, repositories
        case githubTokenVariable = "github-token-env"
        case webhookSecretVariable = "webhook-secret-env"
        case ledgerURLVariable = "ledger-url-env"
    }
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
                node, key: "github", known: ["token-env", "webhook-secret-env"], accepted: ["api-url", "mention"])
        {
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
                guard var fields = decoder.mapping(value, key: name.value, known: ["path", "github", "base-ref"]) else {
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
                if !refused, source.path == nil, !source.github {
                    decoder.error(
                        .missingKey, "repository '\(name.value)' needs 'path' or 'github: true'",
                        hint: "point 'path' at a local git repository", at: value)
                } else if source.path != nil, source.github {
                    decoder.error(
                        .invalidValue, "repository '\(name.value)' has both 'path' and 'github: true'",
                        hint: "keep one of them", at: value)
                }
                fields.reportUnknownKeys(in: "repository '\(name.value)'")
                configuration.repositories[name.value] = source
            }
        }
        keys.reportUnknownKeys(in: "agentsched.yaml")
        return configuration
    }
}

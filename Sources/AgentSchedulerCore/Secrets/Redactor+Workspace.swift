import Foundation

extension Redactor {
    /// The variable that holds the forge token when `agentsched.yaml` names none.
    public static let defaultGitHubTokenVariable = "GITHUB_TOKEN"

    /// A redactor that knows every secret agentsched holds for `workspace`: the value of each catalog
    /// model's `api-key-env`, the forge token (`github.token-env`, `GITHUB_TOKEN` by default), the
    /// webhook secret, the password in the database URL (`ledger.url-env`, or `ledgerURLVariable`
    /// when a command names another) and `PGPASSWORD` beside it, and every variable an MCP server's
    /// `env`, `headers` or URL is filled from, each when set in `environment`.
    public init(workspace: Workspace?, environment: [String: String], ledgerURLVariable: String? = nil) {
        var variables = (workspace?.catalog?.models ?? []).compactMap(\.apiKeyEnvironment)
        let configuration = workspace?.configuration
        variables.append(configuration?.githubTokenVariable ?? Self.defaultGitHubTokenVariable)
        if let variable = configuration?.webhookSecretVariable { variables.append(variable) }
        // What MCP servers' `env`, `headers` and URLs are filled from.
        variables += (workspace?.team.profiles ?? []).flatMap(\.mcpServers).flatMap(\.variables)
        var values = variables.compactMap { environment[$0] }
        if let variable = ledgerURLVariable ?? configuration?.ledgerURLVariable, let url = environment[variable] {
            values += Self.passwords(inURL: url)
            if let password = environment["PGPASSWORD"], !password.isEmpty { values.append(password) }
        }
        self.init(secrets: values)
    }

    /// The password of a URL such as `postgres://user:PASSWORD@host/db`, as written and decoded.
    static func passwords(inURL text: String) -> [String] {
        guard let components = URLComponents(string: text) else { return [] }
        return [components.percentEncodedPassword, components.password].compactMap { $0 }
    }
}

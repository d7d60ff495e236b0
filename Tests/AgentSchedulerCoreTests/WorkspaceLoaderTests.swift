import Testing

@testable import AgentSchedulerCore

@Suite("Workspace loading: discovery and agentsched.yaml")
struct WorkspaceLoaderTests {
    @Test("profiles come from agents/, .github/agents/ and .claude/agents/; other names are skipped")
    func discovery() throws {
        let loaded = try loadWorkspace([
            "agents/a.yaml": "description: A.\n",
            "agents/b.yml": "description: B.\n",
            "agents/README.md": "# The team\n",
            "agents/notes.txt": "not a profile\n",
            "agents/.draft.yaml": "not: loaded\n",
            "agents/sub/deep.yaml": "not: loaded\n",
            ".github/agents/c.agent.md": "---\ndescription: C.\n---\n",
            ".claude/agents/d.md": "---\ndescription: D.\n---\n",
            "policies/.hidden.yaml": "not: loaded\n",
            "policies/acme.yml": "org: acme\n",
        ])
        #expect(loaded.diagnostics == [])
        #expect(loaded.workspace.team.profiles.map(\.handle) == ["a", "b", "c", "d"])
        #expect(loaded.workspace.policies.map(\.org) == ["acme"])
        #expect(loaded.profile("c")?.source == loaded.path(".github/agents/c.agent.md"))
    }

    @Test("extra files and folders are sorted by kind: profiles, policies (a top-level `org:`), catalog")
    func extraFiles() throws {
        let loaded = try loadWorkspace(
            [
                "agents/a.yaml": "description: A.\n",
                "team/helper.yaml": "description: Helper.\n",
                "team/globex.yaml": "# Globex\norg: globex\n",
                "team/README.md": "# Team\n",
                "team/.hidden/x.yaml": "description: X.\n",
                "team/.claude/agents/c.md": "---\ndescription: C.\n---\n",
                "team/agents/org-chart.yaml": "org: not-a-policy\ndescription: Agents folder wins.\n",
                "team/notes.txt": "skipped\n",
            ],
            extraFiles: ["team", "agents/a.yaml"])
        #expect(
            loaded.diagnostics == [
                ExpectedDiagnostic(1, 1, .warning, .unknownKey, "unknown key 'org' in agent profile")
                    .diagnostic(in: loaded.path("team/agents/org-chart.yaml"))
            ])
        #expect(loaded.workspace.team.profiles.map(\.handle) == ["a", "c", "helper", "org-chart"])
        #expect(loaded.workspace.policies.map(\.source) == [loaded.path("team/globex.yaml")])
    }

    @Test("an extra models.yaml is the catalog when the workspace has none")
    func extraCatalog() throws {
        let loaded = try withTemporaryFolder { root in
            try writeFile("description: A.\nmodel: haiku\n", to: "agents/a.yaml", in: root)
            try writeFile(Fixtures.catalog, to: "elsewhere/models.yaml", in: root)
            let workspace = WorkspaceLoader(root: root, extraFiles: [root + "/elsewhere/models.yaml"]).load()
            return LoadedWorkspace(root: root, workspace: workspace)
        }
        #expect(loaded.diagnostics == [])
        #expect(loaded.profile("a")?.models == ["claude-haiku-4.5"])
    }

    @Test("display paths join the root and the relative path")
    func displayPath() {
        #expect(WorkspaceLoader(root: ".").displayPath("agents/a.yaml") == "agents/a.yaml")
        #expect(WorkspaceLoader(root: "").displayPath("agents/a.yaml") == "agents/a.yaml")
        #expect(WorkspaceLoader(root: "/srv/team").displayPath("agents/a.yaml") == "/srv/team/agents/a.yaml")
        #expect(WorkspaceLoader(root: "/srv/team/").displayPath("agents/a.yaml") == "/srv/team/agents/a.yaml")
    }

    @Test("agentsched.yaml names the default user and where each repository lives")
    func configuration() throws {
        let loaded = try loadWorkspace([
            "agents/a.yaml": "description: A.\n",
            "agentsched.yaml": """
            user: alice
            repositories:
              acme/webapp: { path: ../webapp }
              acme/api: { github: true, base-ref: main }

            """,
        ])
        #expect(loaded.diagnostics == [])
        #expect(
            loaded.workspace.configuration
                == WorkspaceConfiguration(
                    user: "alice",
                    repositories: [
                        "acme/webapp": .init(path: "../webapp"), "acme/api": .init(github: true, baseRef: "main"),
                    ]))
    }

    @Test("agentsched.yaml names the variables holding the forge token, the webhook secret and the database URL")
    func secretVariables() throws {
        let loaded = try loadWorkspace([
            "agents/a.yaml": "description: A.\n",
            "agentsched.yaml": """
            github:
              api-url: https://api.github.com
              token-env: ACME_GITHUB_TOKEN
              mention: "@agentsched"
              webhook-secret-env: ACME_HOOK
            ledger:
              url-env: ACME_DATABASE_URL

            """,
        ])
        #expect(loaded.diagnostics == [])
        let configuration = loaded.workspace.configuration
        #expect(configuration.githubTokenVariable == "ACME_GITHUB_TOKEN")
        #expect(configuration.webhookSecretVariable == "ACME_HOOK")
        #expect(configuration.ledgerURLVariable == "ACME_DATABASE_URL")
        #expect(configuration.githubAPIURL == "https://api.github.com")
        #expect(configuration.githubMention == "@agentsched")
    }

    @Test("a GitHub repository may name its clone URL and base ref; names match without case")
    func githubRepository() throws {
        let loaded = try loadWorkspace([
            "agents/a.yaml": "description: A.\n",
            "agentsched.yaml": """
            github: { api-url: "https://ghe.example.com/api/v3", mention: "@bot" }
            repositories:
              acme/api: { github: true, clone-url: "file:///srv/git/api.git", base-ref: develop }

            """,
        ])
        #expect(loaded.diagnostics == [])
        let configuration = loaded.workspace.configuration
        #expect(configuration.githubAPIURL == "https://ghe.example.com/api/v3")
        #expect(configuration.githubMention == "@bot")
        #expect(
            configuration.source(of: "Acme/API")
                == .init(github: true, baseRef: "develop", cloneURL: "file:///srv/git/api.git"))
        #expect(configuration.isGitHub("acme/api"))
        #expect(!configuration.isGitHub("acme/web"))
    }

    @Test(
        "an invalid agentsched.yaml gives exactly the expected diagnostic",
        arguments: [
            FileCase(
                "unknown key", file: "agentsched.yaml", "usr: bob\n",
                [
                    ExpectedDiagnostic(
                        1, 1, .warning, .unknownKey, "unknown key 'usr' in agentsched.yaml",
                        hint: "did you mean 'user'?")
                ]),
            FileCase(
                "repository name without an owner", file: "agentsched.yaml", "repositories:\n  webapp: { path: . }\n",
                [ExpectedDiagnostic(2, 3, .error, .invalidValue, "repository 'webapp' is not of the form OWNER/NAME")]),
            FileCase(
                "repository without a source", file: "agentsched.yaml", "repositories:\n  acme/x: { base-ref: main }\n",
                [
                    ExpectedDiagnostic(
                        2, 11, .error, .missingKey, "repository 'acme/x' needs 'path' or 'github: true'",
                        hint: "point 'path' at a local git repository")
                ]),
            FileCase(
                "repository with two sources", file: "agentsched.yaml",
                "repositories:\n  acme/x: { path: ., github: true }\n",
                [
                    ExpectedDiagnostic(
                        2, 11, .error, .invalidValue, "repository 'acme/x' has both 'path' and 'github: true'",
                        hint: "keep one of them")
                ]),
            FileCase(
                "an api-url that is not a URL", file: "agentsched.yaml", "github:\n  api-url: api.github.com\n",
                [
                    ExpectedDiagnostic(
                        2, 12, .error, .invalidValue, "'api-url' is 'api.github.com', not a URL",
                        hint: "https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server")
                ]),
            FileCase(
                "an api-url with a token in it", file: "agentsched.yaml",
                "github:\n  api-url: https://x:ghp_secret@ghe.example.com/api/v3\n",
                [
                    ExpectedDiagnostic(
                        2, 12, .error, .invalidValue, "'api-url' must not hold credentials; use 'token-env'",
                        hint: "https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server")
                ]),
            FileCase(
                "an api-url over ftp", file: "agentsched.yaml", "github:\n  api-url: ftp://ghe.example.com\n",
                [
                    ExpectedDiagnostic(
                        2, 12, .error, .invalidValue, "'api-url' must be an https URL, not ftp:",
                        hint: "https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server")
                ]),
            FileCase(
                "a clone-url with a password", file: "agentsched.yaml",
                "repositories:\n  acme/x: { github: true, clone-url: 'https://u:p@git.example.com/x.git' }\n",
                [
                    ExpectedDiagnostic(
                        2, 38, .error, .invalidValue,
                        "'clone-url' must not hold credentials; the token from 'github.token-env' is sent by agentsched"
                    )
                ]),
            FileCase(
                "a clone-url on a local repository", file: "agentsched.yaml",
                "repositories:\n  acme/x: { path: ., clone-url: 'https://git.example.com/x.git' }\n",
                [
                    ExpectedDiagnostic(
                        2, 11, .error, .invalidValue, "repository 'acme/x' has 'clone-url' but not 'github: true'",
                        hint: "a local repository is read from 'path'")
                ]),
            FileCase(
                "an unknown key under github", file: "agentsched.yaml", "github:\n  mentoin: '@bot'\n",
                [
                    ExpectedDiagnostic(
                        2, 3, .warning, .unknownKey, "unknown key 'mentoin' in github", hint: "did you mean 'mention'?")
                ]),
            FileCase(
                "a list", file: "agentsched.yaml", "- user: alice\n",
                [ExpectedDiagnostic(1, 1, .error, .typeMismatch, "'agentsched.yaml' must be a mapping, not a list")]),
        ])
    func invalidConfiguration(file: FileCase) throws {
        let loaded = try loadWorkspace(["agents/a.yaml": "description: A.\n", file.file: file.text])
        #expect(loaded.diagnostics == file.expected.map { $0.diagnostic(in: loaded.path(file.file)) })
    }

    @Test("an empty agentsched.yaml is an empty configuration")
    func emptyConfiguration() throws {
        let loaded = try loadWorkspace(["agents/a.yaml": "description: A.\n", "agentsched.yaml": "# nothing yet\n"])
        #expect(loaded.diagnostics == [])
        #expect(loaded.workspace.configuration == WorkspaceConfiguration())
    }

    @Test("the policy for a repository is its owner's organisation if a rule matches, else the first that matches")
    func policyForRepository() {
        let workspace = Workspace(
            root: ".", team: Team(profiles: []),
            policies: [
                OrganizationPolicy(org: "globex", repositories: [RepositoryRule(match: "*/*")], source: "g.yaml"),
                OrganizationPolicy(org: "acme", repositories: [RepositoryRule(match: "acme/*")], source: "a.yaml"),
            ],
            catalog: nil, configuration: WorkspaceConfiguration(), diagnostics: [])
        #expect(workspace.policies.map(\.org) == ["acme", "globex"])
        #expect(workspace.policy(forRepository: "acme/web")?.org == "acme")
        #expect(workspace.policy(forRepository: "other/web")?.org == "globex")
        #expect(workspace.policy(named: "GLOBEX")?.org == "globex")
        #expect(workspace.policy(named: "initech") == nil)
    }
}

import AgentSchedulerCore
import Testing

@Suite("Redactor: every secret value replaced, short values left alone")
struct RedactorTests {
    @Test(
        "known secrets are replaced wherever they appear",
        arguments: [
            ("Authorization: Bearer sk-live-0123456789", "Authorization: Bearer [redacted]"),
            ("sk-live-0123456789sk-live-0123456789", "[redacted][redacted]"),
            ("no secret here", "no secret here"),
            ("ghp_abcdefghijklmnop and sk-live-0123456789", "[redacted] and [redacted]"),
        ])
    func replacesSecrets(text: String, expected: String) {
        let redactor = Redactor(secrets: ["sk-live-0123456789", "ghp_abcdefghijklmnop"])
        #expect(redactor.redact(text) == expected)
    }

    @Test(
        "values shorter than eight bytes are ignored so ordinary words survive", arguments: ["", "1", "dev", "secret1"])
    func ignoresShortValues(value: String) {
        let redactor = Redactor(secrets: [value])
        #expect(redactor.isEmpty)
        #expect(redactor.redact("a dev secret1 of 1") == "a dev secret1 of 1")
    }

    @Test("a secret that contains another is replaced whole, not piecewise")
    func longestFirst() {
        let redactor = Redactor(secrets: ["abcdefgh", "abcdefgh-ijklmnop"])
        #expect(redactor.redact("x abcdefgh-ijklmnop y abcdefgh") == "x [redacted] y [redacted]")
    }

    @Test("adding secrets keeps the old ones and merges duplicates")
    func adding() {
        let redactor = Redactor(secrets: ["first-secret"]).adding(["second-secret", "first-secret"])
        #expect(redactor.secrets.count == 2)
        #expect(
            redactor.redact(["a": "first-secret", "b": "second-secret"]) == ["a": "[redacted]", "b": "[redacted]"])
    }

    @Test("the workspace's redactor knows model keys, the forge token, the webhook secret and the database password")
    func workspaceSecrets() throws {
        let catalog = ModelCatalog(
            defaultModel: "a",
            models: [
                ModelDefinition(
                    name: "a", provider: .openai, multiplier: PremiumRequests(1), apiKeyEnvironment: "A_KEY"),
                ModelDefinition(
                    name: "b", provider: .openai, multiplier: PremiumRequests(1), apiKeyEnvironment: "UNSET_KEY"),
            ])
        let workspace = Workspace(
            root: "/w", team: Team(profiles: []), policies: [], catalog: catalog,
            configuration: WorkspaceConfiguration(
                githubTokenVariable: "FORGE", webhookSecretVariable: "HOOK", ledgerURLVariable: "DB"),
            diagnostics: [])
        let environment = [
            "A_KEY": "sk-model-key-1", "FORGE": "ghp_forge_token", "HOOK": "webhook-secret",
            "DB": "postgres://agent:p%40ss-word-9@db.example.com/ledger", "GITHUB_TOKEN": "not-this-one-token",
        ]
        let redactor = Redactor(workspace: workspace, environment: environment)
        let text = "sk-model-key-1 ghp_forge_token webhook-secret p%40ss-word-9 p@ss-word-9 not-this-one-token"
        #expect(redactor.redact(text) == "[redacted] [redacted] [redacted] [redacted] [redacted] not-this-one-token")
    }

    @Test("without agentsched.yaml the forge token is GITHUB_TOKEN")
    func defaultForgeToken() {
        let redactor = Redactor(workspace: nil, environment: ["GITHUB_TOKEN": "ghp_default_token"])
        #expect(redactor.redact("token ghp_default_token") == "token [redacted]")
    }

    @Test(
        "in JSON, a secret is redacted in the decoded strings, escaped or not, and the JSON stays valid",
        arguments: [
            (
                #"{"content":"key s3cr\/et-value-1 here","n":1,"ok":true}"#,
                #"{"content":"key [redacted] here","n":1,"ok":true}"#
            ),
            (#"{"s3cr/et-value-1":["\u0073\u0033cr/et-value-1"]}"#, #"{"[redacted]":["[redacted]"]}"#),
            (#"{"quote":"say \"s3cr/et-value-1\""}"#, #"{"quote":"say \"[redacted]\""}"#),
            ("not json s3cr/et-value-1", "not json [redacted]"),
        ])
    func redactsJSON(text: String, expected: String) throws {
        let redacted = Redactor(secrets: ["s3cr/et-value-1"]).redact(json: text)
        #expect(redacted == expected)
        #expect(Redactor().redact(json: text) == text, "nothing to redact leaves the text as it is")
    }
}

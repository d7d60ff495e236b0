import Foundation

/// Writes a large, valid workspace for measuring: many profiles in both file styles, many
/// organisation policies, and a catalog, with `extends`, aliases and repository rules in use.
public struct GeneratedWorkspace {
    public var profiles: Int
    public var policies: Int

    public init(profiles: Int = 1_000, policies: Int = 100) {
        self.profiles = profiles
        self.policies = policies
    }

    static let models = ["gpt-4.1", "gpt-5-mini", "claude-sonnet-4.5", "claude-haiku-4.5", "claude-opus-4.7"]

    /// Creates the workspace in `folder` (which must not exist yet).
    public func write(to folder: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: folder.appendingPathComponent("agents"), withIntermediateDirectories: true)
        try manager.createDirectory(at: folder.appendingPathComponent("policies"), withIntermediateDirectories: true)
        try catalog().write(
            to: folder.appendingPathComponent("policies/models.yaml"), atomically: true, encoding: .utf8)
        for index in 0..<profiles {
            let (name, text) = profile(index)
            try text.write(to: folder.appendingPathComponent("agents/\(name)"), atomically: true, encoding: .utf8)
        }
        for index in 0..<policies {
            try policy(index).write(
                to: folder.appendingPathComponent("policies/org\(index).yaml"), atomically: true, encoding: .utf8)
        }
    }

    func catalog() -> String {
        var text = "default: gpt-4.1\nmodels:\n"
        for (index, model) in Self.models.enumerated() {
            let multiplier = ["0", "0", "1", "0.33", "15"][index]
            text += """
                  \(model):
                    provider: openai
                    base-url: "https://models.github.ai/inference"
                    api-key-env: GITHUB_TOKEN
                    multiplier: \(multiplier)
                    aliases: ["\(model.uppercased())"]

                """
        }
        return text
    }

    /// Every third profile is Markdown with front matter; every tenth extends the one before.
    func profile(_ index: Int) -> (String, String) {
        let model = Self.models[index % Self.models.count]
        let prompt = (0..<20).map { "Line \($0) of the instructions for agent \(index): read, change, test, report." }
        if index % 3 == 0 {
            let text = """
                ---
                name: Agent \(index)
                description: Generated agent number \(index) for measuring validation.
                model: \(model.uppercased())
                tools: ['codebase', 'editFiles', 'runCommands', 'github/*']
                target: github-copilot
                ---
                \(prompt.joined(separator: "\n"))

                """
            return ("agent-\(index).agent.md", text)
        }
        var text = """
            description: Generated agent number \(index) for measuring validation.
            model: [\(model), gpt-4.1]
            tools: [read, search, edit, execute, todo]
            limits: { max-turns: 40, max-tool-calls: 200, max-runtime: 30m, max-premium-requests: 12.5 }
            routing: { labels: [label-\(index % 17)], priority: \(index % 100) }

            """
        if index % 10 == 1 { text += "extends: agent-\(index - 1)\n" }
        text += "prompt: |\n" + prompt.map { "  " + $0 }.joined(separator: "\n") + "\n"
        return ("agent-\(index).yaml", text)
    }

    func policy(_ index: Int) -> String {
        let users = (0..<20).map { "  user\($0): { premium-requests: \(10 + $0) }" }.joined(separator: "\n")
        let roles = (0..<20).map { "user\($0): \(["read", "triage", "write", "maintain", "admin"][$0 % 5])" }
            .joined(separator: ", ")
        return """
            org: org\(index)
            charging: \(index % 2 == 0 ? "per-session" : "per-request")
            budget:
              premium-requests: 1000
              period: monthly
              on-exhausted: fallback
              fallback-model: gpt-4.1
              alerts: [75, 90, 100]
            users:
              default: { premium-requests: 50 }
            \(users)
            agents:
              agent-\(index): { premium-requests: 100 }
            concurrency: { sessions: 8, per-repo: 2, per-user: 4 }
            repositories:
              - match: "org\(index)/secret-*"
                roles: { \(roles) }
                agents: [agent-\(index), "agent-1*"]
              - match: "org\(index)/*"
                roles: { \(roles) }
                agents: ["*"]
            models:
              allow: ["*"]
              multipliers: { claude-opus-4.7: 27 }

            """
    }
}

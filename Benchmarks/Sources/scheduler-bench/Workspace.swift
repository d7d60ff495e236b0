import Foundation

/// The benchmark's workspace: one agent, one organisation, one repository, N issues.
enum Workspace {
    static func make(sessions: Int, concurrency: Int, charging: String, baseURL: URL) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "agentsched-scheduler-bench-\(UUID().uuidString.prefix(8))")
        func write(_ path: String, _ text: String) throws {
            let file = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        try write(
            "agents/worker.yaml",
            """
            description: Keeps a checklist; the benchmark's agent.
            model: bench-model
            tools: [todo]
            prompt: Work through the issue.
            """)
        try write(
            "policies/models.yaml",
            """
            default: bench-model
            models:
              bench-model:
                provider: openai
                base-url: "\(baseURL.absoluteString)"
                api-key-env: BENCH_KEY
                multiplier: 1
                max-connections: \(concurrency)
            """)
        try write(
            "policies/bench.yaml",
            """
            org: bench
            charging: \(charging)
            budget: { period: monthly, on-exhausted: block }
            concurrency: { sessions: \(concurrency), per-repo: \(concurrency), per-user: \(concurrency) }
            repositories:
              - match: "bench/*"
                roles: { ben: write }
                agents: ["*"]
            """)
        try write("agentsched.yaml", "user: ben\nrepositories:\n  bench/repo: { path: repo }\n")
        try write("repo/README.md", "# bench\n")
        var issues = "repository: bench/repo\nissues:\n"
        for number in 1...sessions {
            issues += "  - { number: \(number), title: \"Issue \(number)\", labels: [chore] }\n"
        }
        try write("issues.yaml", issues)
        return folder
    }
}

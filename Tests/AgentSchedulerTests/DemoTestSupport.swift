import AgentSchedulerCore
import AgentSchedulerRuntime
import AgentSchedulerTesting
import Foundation
import Testing

@testable import AgentScheduler

/// Building the demo, running its recorded sessions, and looking at git and shell results.
enum DemoSupport {
    /// The agentsched source folder: it holds `agents/`, `policies/` and `examples/demo/`.
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A new folder under the system's temporary folder; the caller removes it.
    /// bubblewrap when it works here, as `run` would use it.
    static func containment() async -> Containment {
        switch await Bubblewrap.probe() {
        case .success(let bubblewrap): .sandbox(bubblewrap, network: .loopback, hidden: [])
        case .failure(let reason): .unavailable(reason)
        }
    }

    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("demo-test-\(UUID().uuidString)")
    }

    /// The demo built in a new temporary folder.
    static func build() async throws -> DemoWorkspace {
        try await DemoWorkspace.create(examples: projectRoot, at: temporaryFolder())
    }

    /// Runs `executable ARGUMENTS` in `folder`; its exit status and output (stdout and stderr merged).
    static func run(_ arguments: [String], in folder: URL) async throws -> (status: Int32, output: String) {
        let result = try await TestProcess.run(arguments, in: folder, mergingErrors: true)
        return (result.status, result.output)
    }

    /// `git ARGUMENTS` in `folder` with a fixed identity; its standard output, or a thrown failure.
    @discardableResult
    static func git(_ arguments: [String], in folder: URL) async throws -> String {
        try await TestProcess.git(arguments, in: folder)
    }

    /// `sh test.sh GROUPS…` in `folder`.
    static func tests(_ groups: [String] = [], in folder: URL) async throws -> (status: Int32, output: String) {
        try await run(["sh", "test.sh"] + groups, in: folder)
    }

    /// A detached checkout of `commit` in a new temporary folder; the caller removes it.
    static func checkout(_ commit: String, of repository: URL) async throws -> URL {
        let folder = temporaryFolder()
        try await git(["worktree", "add", "--quiet", "--detach", folder.path, commit], in: repository)
        return folder
    }

    /// What one recorded session did.
    struct SessionRun {
        var output: AgentSession.Output
        var events: [AgentEvent]

        /// `NAME ok|error` for every tool result, in order.
        var toolResults: [String] {
            events.compactMap { event in
                guard case .toolFinished(_, _, let name, let isError, _) = event else { return nil }
                return "\(name) \(isError ? "error" : "ok")"
            }
        }

        /// Tool calls refused (outside the agent's tools or permission).
        var refusals: [String] {
            events.compactMap { event in
                guard case .toolRefused(_, _, let name, let reason) = event else { return nil }
                return "\(name): \(reason)"
            }
        }
    }

    /// Runs `agent` on `issue` as the scheduler would: the profile's prompt, tools, permission and
    /// limits, its first model from the demo's catalog through `ModelClients`, and a lazy worktree
    /// of the demo repository on the session's branch, made from `baseRef` (the default branch unless
    /// given). The model answers from `answers/transcripts/…` (the demo's own unless given), and the
    /// task is the issue's body unless `body` is given.
    static func runSession(
        _ demo: DemoWorkspace, agent handle: String, issue number: Int, session: String, baseRef: String? = nil,
        answers: URL? = nil, body: String? = nil
    ) async throws -> SessionRun {
        let workspace = WorkspaceLoader(root: demo.root.path).load()
        let profile = try #require(workspace.team.profile(named: handle))
        let issue = try #require(demo.issues.issues.first { $0.number == number })
        let model = try #require(workspace.catalog?.model(named: profile.model))
        let client = try ModelClients(workspace: answers ?? demo.root).client(for: model)
        let branch = AgentSession.branchName(issue: number, agent: profile.handle, session: session)
        let worktree = LazyWorktree(
            repository: demo.repository, baseRef: baseRef, branch: branch,
            at: demo.root.appendingPathComponent(".agentsched/worktrees/\(session)"),
            containment: await Self.containment())
        let events = EventRecorder()
        // `command: agentsched` is the binary built beside this test bundle.
        let agentsched =
            [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("agentsched").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "agentsched"
        let mcp = MCPToolset(
            MCPToolset.Configuration(
                servers: profile.mcpServers, allowed: profile.tools, permission: profile.permission,
                environment: [:], executable: agentsched),
            events: events)
        if !profile.mcpServers.isEmpty { await mcp.start(in: try await worktree.root().path) }
        let loop = AgentLoop(
            assignment: .init(
                agent: profile.handle,
                systemPrompt: SystemPrompt.make(
                    profilePrompt: profile.prompt,
                    instructions: await SystemPrompt.instructions(in: demo.repository, at: nil)),
                issue: number, title: issue.title, body: body ?? issue.body),
            model: model.providerModel ?? model.name, client: client,
            tools: Toolbox(
                tools: profile.tools, permission: profile.permission, context: ToolContext(worktree: worktree), mcp: mcp
            ),
            limits: profile.limits, events: events)
        let output = await AgentSession(
            id: session, loop: loop, worktree: worktree, branch: branch,
            patchFile: demo.root.appendingPathComponent(".agentsched/patches/\(session).patch")
        ).run()
        await mcp.close()
        return SessionRun(output: output, events: await events.events)
    }

    /// Keeps a session's events.
    actor EventRecorder: AgentEventSink {
        var events: [AgentEvent] = []
        func emit(_ event: AgentEvent) { events.append(event) }
    }

    struct SupportFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

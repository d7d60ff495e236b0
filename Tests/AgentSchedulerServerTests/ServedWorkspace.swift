import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerLedgerSQLite
import AgentSchedulerServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import Testing

/// A workspace with history to serve: the offline demo, run once per test process (sessions
/// completed, denied and blocked, events, charges, local pull requests), then copied for each
/// test that changes it.
actor DemoTemplate {
    static let shared = DemoTemplate()
    private var built: Task<URL, any Error>?

    /// The demo's folder; the same for every caller, so never changed by tests.
    func folder() async throws -> URL {
        if let built { return try await built.value }
        let task = Task {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "agentsched-serve-demo-\(UUID().uuidString)")
            _ = try await DemoRunner(folder: folder, concurrency: 4) { _ in }.run()
            return folder
        }
        built = task
        return try await task.value
    }
}

/// A served copy of the demo workspace, for one test: the server's parts and its in-process
/// application.
final class ServedWorkspace: Sendable {
    let root: URL
    let assembly: RunAssembly
    let resources: ServerResources
    let server: AgentsServer

    /// A fresh copy of the demo (or the template itself with `shared`, for tests that only read).
    ///
    /// `configuration` is appended to the copy's `agentsched.yaml` (the demo's has `user:` and
    /// `repositories:`; a `github:` block fits).
    init(
        token: String? = nil, shared: Bool = false, environment: [String: String] = [:], configuration: String? = nil
    ) async throws {
        let template = try await DemoTemplate.shared.folder()
        if shared {
            root = template
        } else {
            root = FileManager.default.temporaryDirectory.appendingPathComponent(
                "agentsched-serve-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: template, to: root)
        }
        if let configuration {
            precondition(!shared, "the shared demo is never changed")
            let file = root.appendingPathComponent("agentsched.yaml")
            try (String(contentsOf: file, encoding: .utf8) + "\n" + configuration + "\n").write(
                to: file, atomically: true, encoding: .utf8)
        }
        let workspace = WorkspaceLoader(root: root.path).load()
        try #require(workspace.errors.isEmpty, "\(workspace.errors)")
        let state = StateDirectory(workspace: root.path, explicit: nil, environment: [:])
        assembly = RunAssembly(
            root: root.path, workspace: workspace, state: state,
            ledger: try SQLiteLedger(path: (state.path as NSString).appendingPathComponent("ledger.sqlite")),
            environment: environment)
        let feed = EventFeed(ledger: assembly.ledger, interval: .milliseconds(20))
        resources = ServerResources(assembly: assembly, environment: environment, feed: feed)
        server = AgentsServer(configuration: ServerConfiguration(port: 0, token: token), resources: resources)
        self.shared = shared
    }

    private let shared: Bool

    deinit {
        if !shared { try? FileManager.default.removeItem(at: root) }
    }

    var ledger: any Ledger { assembly.ledger }

    /// Runs `body` against the application in-process (Hummingbird's router test framework).
    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await server.application().test(.router, body)
    }
}

extension TestClientProtocol {
    /// `GET uri`, with `headers`.
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }

    /// `POST uri` with a JSON body (any text), as a same-origin browser or a script would send it.
    func post(_ uri: String, json: String?, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await execute(
            uri: uri, method: .post, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as JSON.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: body))
        return try #require(object as? [String: Any], "not a JSON object: \(String(buffer: body))")
    }

    /// The `error.code` of an error answer.
    func errorCode() throws -> String? {
        (try json()["error"] as? [String: Any])?["code"] as? String
    }

    var text: String { String(buffer: body) }
}

extension ServedWorkspace {
    /// Runs the server and its feed for real on a free loopback port, as `serve` does, for the
    /// length of `body`; then shuts the group down gracefully (which must end open streams).
    func live<Value: Sendable>(_ body: @Sendable (Int) async throws -> Value) async throws -> Value {
        let (ports, port) = AsyncStream.makeStream(of: Int.self)
        let server = AgentsServer(configuration: self.server.configuration, resources: resources) { bound in
            port.yield(bound)
            port.finish()
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: server), .init(service: resources.feed)], gracefulShutdownSignals: [],
                logger: Logger(label: "test.serve")))
        return try await withThrowingTaskGroup(of: Value?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var bound: Int?
            for await value in ports { bound = value }
            let value = try await body(try #require(bound))
            await group.triggerGracefulShutdown()
            while let finished = try await tasks.next() { _ = finished }
            return value
        }
    }
}

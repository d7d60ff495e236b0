import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// What the server's handlers work on: the same parts `run` assembles, read by every request.
///
/// The ledger is the workspace's own, so the server sees the sessions every other `run` process
/// works on, as they change.
public struct ServerResources: Sendable {
    public var ledger: any Ledger
    public var workspaces: WorkspaceSource
    public var state: StateDirectory
    public var forges: ForgeDirectory
    /// The server's environment: `AGENTSCHED_USER` and the webhook secret's variable.
    public var environment: [String: String]
    public var clock: any WallClock
    /// Live events for the Server-Sent Events streams.
    public var feed: EventFeed

    public init(
        ledger: any Ledger, workspaces: WorkspaceSource, state: StateDirectory, forges: ForgeDirectory,
        environment: [String: String], feed: EventFeed, clock: any WallClock = SystemWallClock()
    ) {
        self.ledger = ledger
        self.workspaces = workspaces
        self.state = state
        self.forges = forges
        self.environment = environment
        self.clock = clock
        self.feed = feed
    }

    /// The parts of a `RunAssembly`, with a feed polling its ledger.
    public init(assembly: RunAssembly, environment: [String: String], feed: EventFeed) {
        self.init(
            ledger: assembly.ledger, workspaces: assembly.workspaces, state: assembly.state, forges: assembly.forges,
            environment: environment, feed: feed)
    }

    /// Who an action runs as: `explicit` (`as`), else `AGENTSCHED_USER`, else the workspace's
    /// `user:`; throws a 400 when none is set.
    func actingUser(_ explicit: String?, workspace: Workspace) throws -> String {
        let named = explicit?.trimmingCharacters(in: .whitespaces)
        if let named, !named.isEmpty { return named }
        if let user = environment["AGENTSCHED_USER"], !user.isEmpty { return user }
        if let user = workspace.configuration.user { return user }
        throw APIError(
            .badRequest, code: "no-user", message: "say who acts: give 'as', or set user: in agentsched.yaml")
    }
}

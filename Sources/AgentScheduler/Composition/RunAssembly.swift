import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// The one composition root of `run`, `demo` and `serve`: the ledger behind the process's
/// redactor, the workspace as it changes on disk, the model clients, the forges and the
/// scheduler, assembled once and run as one `ServiceGroup`.
///
/// The group starts the connections (model clients and forges) first and so shuts them down
/// last, after the scheduler has drained its sessions and every other service has stopped.
public struct RunAssembly: Sendable {
    public let state: StateDirectory
    /// Every secret the process holds; applied to the ledger, failures and tool results.
    public let redactor: Redactor
    /// The ledger, redacting everything written to it.
    public let ledger: any Ledger
    public let workspaces: WorkspaceSource
    public let clients: ModelClients
    public let forges: ForgeDirectory
    /// The ledger's clock (the database's on PostgreSQL), which budget periods are computed on.
    public let clock = LedgerClock()

    /// Assembles the parts for the workspace at `root` around its ledger (`StateDirectory.withLedger`).
    ///
    /// `environment` holds the API keys and tokens (the process's; empty for the offline demo);
    /// `secrets` are more values to redact (`serve`'s token); `report` hears a reload of the
    /// workspace that failed.
    public init(
        root: String, workspace: Workspace, state: StateDirectory, ledger: any Ledger, environment: [String: String],
        secrets: [String] = [], report: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.state = state
        var ledgerURLVariable: String?
        if case .server(let variable) = state.ledger { ledgerURLVariable = variable }
        let redactor = Redactor(workspace: workspace, environment: environment, ledgerURLVariable: ledgerURLVariable)
            .adding(secrets)
        self.redactor = redactor
        let ledger = RedactingLedger(ledger, redactor: redactor)
        self.ledger = ledger
        workspaces = WorkspaceSource(root: root, workspace: workspace, report: report)
        clients = ModelClients(
            workspace: URL(fileURLWithPath: workspace.root), environment: environment, redactor: redactor)
        forges = ForgeDirectory(
            workspace: workspace, environment: environment, logger: Logger(label: "agentsched.forge"),
            localRecords: LedgerLocalRecords(ledger: ledger))
    }

    /// The scheduler of this process, on these parts, on the ledger's clock unless given another.
    public func scheduler(
        options: SchedulerOptions, observer: any SchedulerObserver, clock: (any WallClock)? = nil
    ) -> Scheduler {
        Scheduler(
            ledger: ledger, workspaces: workspaces, state: state, clients: clients, clock: clock ?? self.clock,
            options: options, observer: observer, forges: forges)
    }

    /// `run --watch`'s sync pass every `interval`, its report handed to `report`.
    public func syncService(
        interval: Duration, report: @escaping @Sendable (SyncReport) async -> Void
    ) async -> SyncService {
        let sync = forges.feedbackSync(workspace: await workspaces.workspace(), ledger: ledger)
        return SyncService(sync: sync, interval: interval, report: report)
    }

    /// The process's service group: the connections, the ledger's clock, then `scheduler` (when
    /// this process runs sessions; its end, idle or failed, ends the group), then `services` in order.
    ///
    /// `signals` shut the group down gracefully (none for the demo, which ends when idle).
    public func serviceGroup(
        scheduler: Scheduler?, services: [any Service] = [], signals: [UnixSignal] = [.sigint, .sigterm],
        logger: Logger
    ) -> ServiceGroup {
        var configurations = [
            ServiceGroupConfiguration.ServiceConfiguration(
                service: ConnectionsService(clients: clients, forges: forges)),
            .init(service: LedgerClockService(clock: clock, ledger: ledger)),
        ]
        if let scheduler {
            configurations.append(
                .init(
                    service: scheduler, successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        configurations += services.map {
            .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup)
        }
        return ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: configurations, gracefulShutdownSignals: signals, logger: logger))
    }
}

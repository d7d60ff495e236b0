import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// Follows a `run` and shows it: one line per state change (`plain`), or a view redrawn in place
/// on a terminal (`live`: counts by state, each organisation's budget, one line per running
/// session), or nothing (`silent`). It also remembers every session the run touched, for the summary.
///
/// `write` receives text to print as it is (the live view brings its own cursor movements).
public actor ProgressBoard: SchedulerObserver {
    public enum Style: Sendable, Hashable {
        case live(width: Int)
        case plain
        case silent
    }

    private let style: Style
    private let write: @Sendable (String) -> Void
    private let ledger: any Ledger
    private let workspaces: WorkspaceSource
    private let clock: any WallClock
    private let started = ContinuousClock.now
    private var running: [SessionID: ProgressSnapshot.Running] = [:]
    private var lastNotice: String?
    private var drawnLines = 0
    /// Sessions whose state this run changed, in the order first seen.
    public private(set) var touched: [SessionID] = []
    private var touchedSet: Set<SessionID> = []
    /// When the run began: alerts from then on are this run's.
    private let startedAt: Date
    private var lastAlert: Int64 = 0
    /// The budget alerts crossed during the run, as sentences, oldest first.
    public private(set) var alerts: [String] = []

    public init(
        style: Style, ledger: any Ledger, workspaces: WorkspaceSource, clock: any WallClock = SystemWallClock(),
        write: @escaping @Sendable (String) -> Void
    ) {
        self.style = style
        self.ledger = ledger
        self.workspaces = workspaces
        self.clock = clock
        self.write = write
        self.startedAt = clock.now()
    }

    public func observe(_ event: SchedulerEvent) async {
        switch event {
        case .stateChanged(let record, let previous):
            if touchedSet.insert(record.id).inserted { touched.append(record.id) }
            if record.state.isActive {
                let turn = running[record.id]?.turn ?? 0
                running[record.id] = ProgressSnapshot.Running(
                    session: record.id, issue: record.issue, agent: record.agent,
                    model: record.actualModel ?? record.model, state: record.state, turn: turn,
                    lastTool: running[record.id]?.lastTool)
            } else {
                running[record.id] = nil
            }
            if style == .plain {
                write(
                    TerminalText.visible(record.progressLine(from: previous, at: clock.now()), layout: .singleLine)
                        + "\n")
            }
        case .activity(let session, let turn, let tool):
            running[session]?.turn = turn
            if let tool { running[session]?.lastTool = tool }
        case .charged:
            await showNewAlerts()
        case .notice(let text):
            switch style {
            case .plain: write(TerminalText.visible("note: \(text)", layout: .singleLine) + "\n")
            case .live: lastNotice = text
            case .silent: break
            }
        }
    }

    /// Prints the budget alerts recorded since the last look (a charge may cross a threshold).
    private func showNewAlerts() async {
        guard let events = try? await ledger.alerts(org: nil, since: startedAt, after: lastAlert), !events.isEmpty
        else { return }
        lastAlert = events.last?.id ?? lastAlert
        for text in events.compactMap(\.alertText) {
            alerts.append(text)
            switch style {
            case .plain: write("alert: \(text)\n")
            case .live: lastNotice = "alert: \(text)"
            case .silent: break
            }
        }
    }

    /// Redraws the live view in place (does nothing in the other styles).
    public func redraw() async {
        guard case .live(let width) = style else { return }
        var lines = (await snapshot()).lines(width: width)
        if let lastNotice { lines.append("note: \(lastNotice)") }
        // Values from outside (titles, reasons) are made visible, then the line is cut to the width again.
        lines = lines.map { line in
            let visible = TerminalText.visible(line, layout: .singleLine)
            return visible.count > width ? String(visible.prefix(max(1, width - 1))) + "…" : visible
        }
        // Up to the first line drawn last time, clear to the end of the screen, draw again.
        let up = drawnLines > 0 ? "\u{1B}[\(drawnLines)F" : ""
        write(up + "\u{1B}[J" + lines.joined(separator: "\n") + "\n")
        drawnLines = lines.count
    }

    /// The view's figures now.
    public func snapshot() async -> ProgressSnapshot {
        let counts = (try? await ledger.stateCounts()) ?? [:]
        let now = clock.now()
        let policies = await workspaces.workspace().policies.sorted { $0.org < $1.org }
        let scopes = policies.map { ReportScopes.org($0, at: now) }
        let usage = (try? await ledger.usage(of: scopes)) ?? []
        let budgets = zip(scopes, usage).map { scope, figures in
            ProgressSnapshot.Budget(
                org: scope.name, used: figures.used, reserved: figures.reserved,
                remaining: scope.limit.map { figures.remaining(under: $0) })
        }
        return ProgressSnapshot(
            counts: counts, budgets: budgets, running: Array(running.values), elapsed: ContinuousClock.now - started)
    }
}

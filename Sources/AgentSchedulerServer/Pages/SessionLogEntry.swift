import AgentSchedulerLedger

/// One item of a session's log as the page shows it: an event on its own, or a tool call folded
/// with what followed it.
public enum SessionLogEntry: Sendable, Hashable {
    /// Any event that is not part of a tool call.
    case event(LedgerEvent)
    /// A `tool.call` event and the events about the same call (`EventPayload.toolCallID`) after it: its `tool.result`
    /// or `tool.refused`, and an `mcp.call` record. `outcome` is `nil` while the call runs.
    case toolCall(call: LedgerEvent, outcome: LedgerEvent?, records: [LedgerEvent])

    /// The kind of a call event.
    public static let callKind = EventKind.toolCall
    /// The kinds that end a call: its result, or its refusal.
    public static let outcomeKinds: Set<EventKind> = [.toolResult, .toolRefused]
    /// The kinds that add to a call after it ended (an MCP call's server, duration and outcome).
    public static let recordKinds: Set<EventKind> = [.mcpCall]

    /// `events` (oldest first) with each call folded: a call's outcome and records join the entry
    /// of the call with the same id. An outcome or record without a call before it (its call
    /// was on an earlier page) stays an event of its own.
    public static func fold(_ events: [LedgerEvent]) -> [SessionLogEntry] {
        var entries: [SessionLogEntry] = []
        var openCalls: [String: Int] = [:]
        for event in events {
            let id = event.payload.toolCallID
            if event.kind == callKind, let id {
                openCalls[id] = entries.count
                entries.append(.toolCall(call: event, outcome: nil, records: []))
                continue
            }
            if let id, outcomeKinds.contains(event.kind) || recordKinds.contains(event.kind),
                let index = openCalls[id], case .toolCall(let call, let outcome, let records) = entries[index]
            {
                if outcomeKinds.contains(event.kind), outcome == nil {
                    entries[index] = .toolCall(call: call, outcome: event, records: records)
                    continue
                }
                if recordKinds.contains(event.kind) {
                    entries[index] = .toolCall(call: call, outcome: outcome, records: records + [event])
                    continue
                }
            }
            entries.append(.event(event))
        }
        return entries
    }

    /// The first event of the entry: the one whose id the `<li>` carries.
    public var first: LedgerEvent {
        switch self {
        case .event(let event): event
        case .toolCall(let call, _, _): call
        }
    }
}

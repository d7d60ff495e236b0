import AgentSchedulerLedger

/// The events the feed has read, for every live stream at once: one ledger read per poll,
/// whatever the number of clients.
///
/// It keeps the newest `capacity` events. A stream whose cursor is older than what it keeps
/// reads the ledger itself (`events(after:session:)` answers `nil`), then catches up here.
actor EventHub {
    /// What a subscriber hears: new events to read, or a beat to write a keep-alive on.
    enum Signal: Sendable {
        case changed
        case heartbeat
    }

    private let capacity: Int
    private var recent: [EventFrame] = []
    /// Every event with an id above this is in `recent`, or has not happened yet.
    private var floor: Int64
    private var subscribers: [Int: AsyncStream<Signal>.Continuation] = [:]
    private var nextSubscriber = 0
    private var isFinished = false

    init(capacity: Int = 20_000, floor: Int64 = 0) {
        self.capacity = capacity
        self.floor = floor
    }

    /// The highest event id known here.
    var latest: Int64 { recent.last?.id ?? floor }

    /// A stream of signals, finished when the server shuts down; `cancel` it with its id.
    func subscribe() -> (id: Int, signals: AsyncStream<Signal>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .bufferingNewest(1))
        if isFinished {
            continuation.finish()
            return (-1, stream)
        }
        let id = nextSubscriber
        nextSubscriber += 1
        subscribers[id] = continuation
        return (id, stream)
    }

    func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    /// Starts at `id`: events up to it are history, read from the ledger.
    func start(after id: Int64) {
        guard recent.isEmpty else { return }
        floor = max(floor, id)
    }

    /// Adds events newer than the newest kept (in id order), and tells every subscriber.
    func publish(_ events: [EventFrame]) {
        let fresh = events.filter { $0.id > latest }
        guard !fresh.isEmpty else { return }
        recent += fresh
        if recent.count > capacity {
            let dropped = recent.count - capacity
            floor = recent[dropped - 1].id
            recent.removeFirst(dropped)
        }
        for continuation in subscribers.values { continuation.yield(.changed) }
    }

    func heartbeat() {
        for continuation in subscribers.values { continuation.yield(.heartbeat) }
    }

    /// Events after `cursor` (of one session, or all) and the id they run through, or `nil`
    /// when some of them are older than what is kept here and must be read from the ledger.
    func events(after cursor: Int64, session: SessionID?) -> (events: [EventFrame], through: Int64)? {
        guard cursor >= floor else { return nil }
        var low = 0
        var high = recent.count
        while low < high {
            let middle = (low + high) / 2
            if recent[middle].id <= cursor { low = middle + 1 } else { high = middle }
        }
        let tail = recent[low...]
        return (session.map { session in tail.filter { $0.session == session } } ?? Array(tail), max(cursor, latest))
    }

    /// Ends every stream, now and for later subscribers.
    func finish() {
        isFinished = true
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
    }
}

import AgentSchedulerCore
import AgentSchedulerLedger
import GRDBSQLite

/// Groups charge rows by a usage query's dimensions, reading SQLite's column bytes directly.
///
/// SQLite's own `GROUP BY` sorts every row (2.3 s for a million charges here); hashing interned
/// numbers instead takes a fraction of that, and no `String` is made until the groups are known.
struct UsageAggregator: Sendable {
    /// Column order of the scan that feeds `add(_:)`.
    static let columns = """
        org, user, agent, repository, model_requested, model_actual, session, at, requests, amount, unit,
        input_tokens, cached_tokens, cache_write_tokens, output_tokens
        """

    /// One slot per dimension (two for `model`): at most eight.
    typealias Key = SIMD8<Int64>

    /// The groups, numbered in the order they were first seen; the arrays below are indexed by that number.
    private var groups = IntegerKeyTable<Key>()
    private var requests: [Int] = []
    /// Thousandths of premium requests, per group.
    private var amounts: [Int64] = []
    /// Billionths of AI credits, per group.
    private var credits: [Int64] = []
    private var tokens: [TokenCounts] = []
    private var sessionCounts: [Int] = []
    private var lastSession: [Int64] = []
    /// (group, session) pairs seen, packed as `group << 40 | session`, so each group counts its
    /// distinct sessions once each (up to 2^24 groups and 2^40 sessions).
    private var groupSessions = WordSet()
    /// Every session seen, for the total.
    private var allSessions = WordSet()
    private var lastSeenSession: Int64 = -1

    /// Key slots: each dimension takes one, `model` takes two (requested, actual).
    private let slots: [(dimension: UsageDimension, column: Int32)]
    private var interner = ByteInterner()

    init(dimensions: [UsageDimension]) {
        var slots: [(UsageDimension, Int32)] = []
        for dimension in dimensions {
            switch dimension {
            case .org: slots.append((dimension, 0))
            case .user: slots.append((dimension, 1))
            case .agent: slots.append((dimension, 2))
            case .repo: slots.append((dimension, 3))
            case .model: slots += [(dimension, 4), (dimension, 5)]
            case .session: slots.append((dimension, 6))
            case .day: slots.append((dimension, 7))
            }
        }
        self.slots = slots
    }

    /// Adds the row `statement` stands on.
    mutating func add(_ statement: OpaquePointer) {
        // No session (NULL) is -1, shown as "".
        let session = sqlite3_column_type(statement, 6) == SQLITE_NULL ? -1 : sqlite3_column_int64(statement, 6)
        var key = Key()
        for (index, slot) in slots.enumerated() {
            switch slot.column {
            case 6: key[index] = session
            case 7: key[index] = sqlite3_column_int64(statement, 7) / 86_400_000
            default:
                key[index] = Int64(
                    interner.intern(
                        sqlite3_column_text(statement, slot.column),
                        length: Int(sqlite3_column_bytes(statement, slot.column))))
            }
        }
        let group = self.group(for: key)
        if session >= 0, session != lastSeenSession {
            lastSeenSession = session
            _ = allSessions.insert(UInt64(session))
        }
        requests[group] += Int(sqlite3_column_int64(statement, 8))
        // The schema admits two units only: 'ai-credits' starts with "a", 'premium-requests' does not.
        if sqlite3_column_text(statement, 10)?.pointee == UInt8(ascii: "a") {
            credits[group] += sqlite3_column_int64(statement, 9)
            tokens[group] += TokenCounts(
                input: Int(sqlite3_column_int64(statement, 11)), cachedInput: Int(sqlite3_column_int64(statement, 12)),
                cacheWrite: Int(sqlite3_column_int64(statement, 13)), output: Int(sqlite3_column_int64(statement, 14)))
        } else {
            amounts[group] += sqlite3_column_int64(statement, 9)
        }
        if session >= 0, session != lastSession[group] {
            lastSession[group] = session
            if groupSessions.insert(UInt64(group) << 40 | UInt64(session)) { sessionCounts[group] += 1 }
        }
    }

    /// The number of the group `key` names, with zeroed totals when it is new.
    private mutating func group(for key: Key) -> Int {
        let (group, isNew) = groups.insert(key)
        if isNew {
            requests.append(0)
            amounts.append(0)
            credits.append(0)
            tokens.append(.zero)
            sessionCounts.append(0)
            lastSession.append(-1)
        }
        return group
    }

    /// Adds the groups of an aggregator that read another part of the same query's range.
    ///
    /// Names are renumbered into this aggregator's interner; each (group, session) pair of `other`
    /// is inserted again, so a session seen in both parts is still counted once.
    mutating func merge(_ other: UsageAggregator) {
        let names = (0..<other.interner.count).map { Int64(interner.intern(other.interner.string(Int32($0)))) }
        let textSlots = slots.indices.filter { slots[$0].column < 6 }
        var groupMap = [Int](repeating: 0, count: other.groups.count)
        for (otherGroup, otherKey) in other.groups.keys.enumerated() {
            var key = otherKey
            for index in textSlots { key[index] = names[Int(otherKey[index])] }
            let group = self.group(for: key)
            requests[group] += other.requests[otherGroup]
            amounts[group] += other.amounts[otherGroup]
            credits[group] += other.credits[otherGroup]
            tokens[group] += other.tokens[otherGroup]
            groupMap[otherGroup] = group
        }
        for session in other.allSessions.words {
            _ = allSessions.insert(session)
        }
        for word in other.groupSessions.words {
            let group = groupMap[Int(word >> 40)]
            if groupSessions.insert(UInt64(group) << 40 | word & (1 << 40 - 1)) { sessionCounts[group] += 1 }
        }
    }

    /// The rows and their totals.
    func table() -> UsageTable {
        UsageTable(
            rows: rows(), sessions: allSessions.count, modelRequests: requests.reduce(0, +),
            premiumRequests: PremiumRequests(thousandths: amounts.reduce(0, +)),
            aiCredits: AICredits(nanocredits: credits.reduce(0, +)), tokens: tokens.reduce(.zero, +))
    }

    /// The groups as rows, sorted by their values (names by UTF-8 bytes as SQLite sorts them, days by
    /// date, sessions by number).
    func rows() -> [UsageRow] {
        let keys = groups.keys
        let names = (0..<interner.count).map { interner.string(Int32($0)) }
        var rank = [Int64](repeating: 0, count: names.count)
        for (position, id) in names.indices.sorted(by: { names[$0].utf8.lexicographicallyPrecedes(names[$1].utf8) })
            .enumerated()
        {
            rank[id] = Int64(position)
        }
        let textSlots = slots.map { $0.column < 6 }
        func sortKey(_ key: Key) -> Key {
            var sortable = key
            for index in slots.indices where textSlots[index] { sortable[index] = rank[Int(key[index])] }
            return sortable
        }
        let sortKeys = keys.map(sortKey)
        let order = keys.indices.sorted { left, right in
            for index in slots.indices where sortKeys[left][index] != sortKeys[right][index] {
                return sortKeys[left][index] < sortKeys[right][index]
            }
            return false
        }
        return order.map { group in
            let key = keys[group]
            var values: [String] = []
            var actualModel: String?
            for (index, slot) in slots.enumerated() {
                switch slot.column {
                case 5: actualModel = names[Int(key[index])]
                case 6: values.append(key[index] < 0 ? "" : "\(key[index])")
                case 7: values.append(SQLiteLedger.dayText(key[index]))
                default: values.append(names[Int(key[index])])
                }
            }
            return UsageRow(
                values: values, actualModel: actualModel, sessions: sessionCounts[group],
                modelRequests: requests[group],
                premiumRequests: PremiumRequests(thousandths: amounts[group]),
                aiCredits: AICredits(nanocredits: credits[group]), tokens: tokens[group])
        }
    }
}

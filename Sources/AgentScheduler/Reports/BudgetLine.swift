import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// One budget scope's standing in its current period: limit, used, reserved, what remains.
public struct BudgetLine: Sendable, Hashable {
    public var scope: BudgetScope
    public var usage: ScopeUsage

    public init(scope: BudgetScope, usage: ScopeUsage) {
        self.scope = scope
        self.usage = usage
    }

    /// `nil` is unlimited.
    public var limit: Amount? { scope.limit }

    /// The limit less used and reserved, never below zero; `nil` when unlimited.
    public var remaining: Amount? {
        scope.limit.map { usage.remaining(under: $0) }
    }

    /// Used and reserved as a percentage of the limit, rounded down; `nil` when unlimited or zero.
    public var percent: Int? {
        scope.limit.flatMap { (usage.used + usage.reserved).percent(of: $0) }
    }

    /// When the period ends; `nil` for `period: none`.
    public var resetsAt: Date? { scope.periodEnd }

    /// Reads the usage of `scopes` from the ledger; zero for all of them when there is no ledger yet.
    public static func load(_ scopes: [BudgetScope], from ledger: (any Ledger)?) async throws -> [BudgetLine] {
        let usages = try await ledger?.usage(of: scopes) ?? scopes.map { ScopeUsage.zero($0.unit) }
        return zip(scopes, usages).map(BudgetLine.init)
    }

    /// `{"scope", "unit", "limit", "used", "reserved", "remaining", "resets_at"}` (and `percent` when
    /// asked), amounts as exact decimal numbers in the unit, with `null` for an unlimited limit and a
    /// period that never resets.
    struct JSON: Encodable {
        var line: BudgetLine
        var includesPercent: Bool

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: JSONKey.self)
            try container.encode(line.scope.key, forKey: "scope")
            try container.encode(line.scope.unit, forKey: "unit")
            try container.encode(line.limit?.decimal, forKey: "limit")
            try container.encode(line.usage.used.decimal, forKey: "used")
            try container.encode(line.usage.reserved.decimal, forKey: "reserved")
            try container.encode(line.remaining?.decimal, forKey: "remaining")
            try container.encode(line.resetsAt.map(ReportTime.iso), forKey: "resets_at")
            if includesPercent {
                try container.encode(line.percent, forKey: "percent")
            }
        }
    }
}

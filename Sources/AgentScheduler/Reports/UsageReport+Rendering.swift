import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

extension UsageReport {
    /// Aligned columns, one row per group, then a totals line. Amounts are exact (`0.33`), and a model
    /// that ran on a fallback shows both (`gpt-5 → gpt-4.1`).
    public func table() -> String {
        var table = TextTable(
            headers: dimensions.map { $0.rawValue.uppercased() } + ["SESSIONS", "MODEL REQUESTS", "PREMIUM REQUESTS"],
            alignments: dimensions.map { _ in .left } + [.right, .right, .right])
        for row in rows {
            table.append(displayValues(of: row) + counts(row.sessions, row.modelRequests, row.premiumRequests))
        }
        table.append(totalsLabel + counts(totals.sessions, totals.modelRequests, totals.premiumRequests))
        return table.render()
    }

    /// A GitHub Markdown table with a totals row.
    public func markdown() -> String {
        var table = MarkdownTable(
            headers: dimensions.map(\.rawValue) + ["sessions", "model requests", "premium requests"],
            alignments: dimensions.map { _ in .left } + [.right, .right, .right])
        for row in rows {
            table.append(displayValues(of: row) + counts(row.sessions, row.modelRequests, row.premiumRequests))
        }
        table.append(
            totalsLabel.map { $0.isEmpty ? "" : "**Total**" }
                + counts(totals.sessions, totals.modelRequests, totals.premiumRequests).map { "**\($0)**" })
        return table.render()
    }

    /// RFC 4180 CSV: a header row of the JSON keys, then one record per group (no totals record).
    public func csv() -> String {
        var records = [columnKeys + ["sessions", "model_requests", "premium_requests"]]
        for row in rows {
            var record: [String] = []
            for (dimension, value) in zip(dimensions, row.values) {
                record.append(value)
                if dimension == .model { record.append(row.actualModel ?? value) }
            }
            records.append(record + counts(row.sessions, row.modelRequests, row.premiumRequests))
        }
        return CSV.text(records)
    }

    /// `{"unit": "premium-requests", "period": {"from", "until"}, "rows": [...], "totals": {...},
    /// "budgets": [...]}` (DESIGN §3), amounts as exact JSON numbers.
    public func json() throws -> String {
        try StructuredOutput.json(JSON(report: self))
    }

    /// The row's dimension values as people read them: `gpt-5 → gpt-4.1` for a fallback, `-` for no session.
    func displayValues(of row: UsageRow) -> [String] {
        zip(dimensions, row.values).map { dimension, value in
            switch dimension {
            case .model:
                guard let actual = row.actualModel, actual != value else { return value }
                return "\(value) → \(actual)"
            case .session:
                return value.isEmpty ? "-" : value
            default:
                return value
            }
        }
    }

    /// `TOTAL` under the first dimension, blanks under the others.
    private var totalsLabel: [String] {
        dimensions.indices.map { $0 == 0 ? "TOTAL" : "" }
    }

    /// The dimension keys of CSV and JSON: the dimension names, and `model_actual` after `model`.
    private var columnKeys: [String] {
        dimensions.flatMap { $0 == .model ? ["model", "model_actual"] : [$0.rawValue] }
    }

    private func counts(_ sessions: Int, _ requests: Int, _ amount: PremiumRequests) -> [String] {
        ["\(sessions)", "\(requests)", amount.description]
    }

    private struct JSON: Encodable {
        var report: UsageReport

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: JSONKey.self)
            try container.encode("premium-requests", forKey: "unit")
            try container.encode(
                ["from": ReportTime.iso(report.range.from), "until": ReportTime.iso(report.range.until)],
                forKey: "period")
            var rows = container.nestedUnkeyedContainer(forKey: "rows")
            for row in report.rows {
                try rows.encode(Row(dimensions: report.dimensions, row: row))
            }
            var totals = container.nestedContainer(keyedBy: JSONKey.self, forKey: "totals")
            try Self.encodeCounts(
                report.totals.sessions, report.totals.modelRequests, report.totals.premiumRequests, into: &totals)
            try container.encode(
                report.budgets.map { BudgetLine.JSON(line: $0, includesPercent: false) }, forKey: "budgets")
        }

        static func encodeCounts(
            _ sessions: Int, _ requests: Int, _ amount: PremiumRequests,
            into container: inout KeyedEncodingContainer<JSONKey>
        ) throws {
            try container.encode(sessions, forKey: "sessions")
            try container.encode(requests, forKey: "model_requests")
            try container.encode(amount, forKey: "premium_requests")
        }
    }

    private struct Row: Encodable {
        var dimensions: [UsageDimension]
        var row: UsageRow

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: JSONKey.self)
            for (dimension, value) in zip(dimensions, row.values) {
                switch dimension {
                case .session:
                    try container.encode(Int64(value), forKey: "session")
                case .model:
                    try container.encode(value, forKey: "model")
                    try container.encode(row.actualModel ?? value, forKey: "model_actual")
                default:
                    try container.encode(value, forKey: JSONKey(dimension.rawValue))
                }
            }
            try JSON.encodeCounts(row.sessions, row.modelRequests, row.premiumRequests, into: &container)
        }
    }
}

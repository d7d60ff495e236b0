import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

extension UsageReport {
    /// Aligned columns, one row per group, then a totals line. Premium requests are exact (`0.33`);
    /// credits and US dollars are rounded to cents, by `Amount.reported` and `AICredits.dollars`
    /// only. A model that ran on a fallback shows both (`gpt-5 → gpt-4.1`). Only the columns of the
    /// units the report's organisations bill in (or that hold charges) are shown.
    public func table() -> String {
        let columns = figureColumns(forPeople: true)
        var table = TextTable(
            headers: dimensions.map { $0.rawValue.uppercased() } + columns.map { $0.header.uppercased() },
            alignments: dimensions.map { _ in .left } + columns.map { _ in .right })
        for row in rows {
            table.append(displayValues(of: row) + columns.map { $0.value(Figures(row)) })
        }
        table.append(totalsLabel + columns.map { $0.value(Figures(totals)) })
        return table.render()
    }

    /// A GitHub Markdown table with a totals row.
    public func markdown() -> String {
        let columns = figureColumns(forPeople: true)
        var table = MarkdownTable(
            headers: dimensions.map(\.rawValue) + columns.map(\.header),
            alignments: dimensions.map { _ in .left } + columns.map { _ in .right })
        for row in rows {
            table.append(displayValues(of: row) + columns.map { $0.value(Figures(row)) })
        }
        table.append(
            totalsLabel.map { $0.isEmpty ? "" : "**Total**" } + columns.map { "**\($0.value(Figures(totals)))**" })
        return table.render()
    }

    /// RFC 4180 CSV: a header row of the JSON keys, then one record per group (no totals record).
    /// Every column is there whatever the units, and amounts are exact.
    public func csv() -> String {
        let columns = figureColumns(forPeople: false)
        var records = [columnKeys + columns.map(\.key)]
        for row in rows {
            var record: [String] = []
            for (dimension, value) in zip(dimensions, row.values) {
                record.append(value)
                if dimension == .model { record.append(row.actualModel ?? value) }
            }
            records.append(record + columns.map { $0.value(Figures(row)) })
        }
        return CSV.text(records)
    }

    /// `{"unit": "premium-requests", "period": {"from", "until"}, "rows": [...], "totals": {...},
    /// "budgets": [...]}` (DESIGN §3), amounts as exact JSON numbers. `unit` is the organisations'
    /// billing unit, `mixed` when they differ; rows and totals carry both units' columns.
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

    /// The figures of a row or of the totals.
    private struct Figures {
        var sessions: Int
        var modelRequests: Int
        var premiumRequests: PremiumRequests
        var aiCredits: AICredits
        var tokens: TokenCounts

        init(_ row: UsageRow) {
            (sessions, modelRequests, premiumRequests, aiCredits, tokens) = (
                row.sessions, row.modelRequests, row.premiumRequests, row.aiCredits, row.tokens
            )
        }

        init(_ totals: UsageTotals) {
            (sessions, modelRequests, premiumRequests, aiCredits, tokens) = (
                totals.sessions, totals.modelRequests, totals.premiumRequests, totals.aiCredits, totals.tokens
            )
        }
    }

    private struct Column {
        var key: String
        var header: String
        var value: (Figures) -> String
    }

    /// The figure columns: counts, then premium requests, then tokens and credits. People see the
    /// units in use, credits rounded and in dollars; files get every column, exact.
    private func figureColumns(forPeople: Bool) -> [Column] {
        var columns = [
            Column(key: "sessions", header: "sessions") { "\($0.sessions)" },
            Column(key: "model_requests", header: "model requests") { "\($0.modelRequests)" },
        ]
        if !forPeople || units.contains(.premiumRequests) {
            columns.append(
                Column(key: "premium_requests", header: "premium requests") { $0.premiumRequests.description })
        }
        if !forPeople || units.contains(.aiCredits) {
            columns += [
                Column(key: "input_tokens", header: "input tokens") { "\($0.tokens.input)" },
                Column(key: "cached_tokens", header: "cached tokens") { "\($0.tokens.cachedInput)" },
            ]
            if !forPeople {
                columns.append(
                    Column(key: "cache_write_tokens", header: "cache-write tokens") { "\($0.tokens.cacheWrite)" })
            }
            columns.append(Column(key: "output_tokens", header: "output tokens") { "\($0.tokens.output)" })
            if forPeople {
                columns += [
                    Column(key: "ai_credits", header: "AI credits") { $0.aiCredits.amount.reported },
                    Column(key: "usd", header: "US$") { $0.aiCredits.dollars() },
                ]
            } else {
                columns.append(Column(key: "ai_credits", header: "AI credits") { $0.aiCredits.description })
            }
        }
        return columns
    }

    private struct JSON: Encodable {
        var report: UsageReport

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: JSONKey.self)
            let units = report.billingUnits.isEmpty ? report.units : report.billingUnits
            try container.encode(units.count == 1 ? units.first!.rawValue : "mixed", forKey: "unit")
            try container.encode(
                ["from": ReportTime.iso(report.range.from), "until": ReportTime.iso(report.range.until)],
                forKey: "period")
            var rows = container.nestedUnkeyedContainer(forKey: "rows")
            for row in report.rows {
                try rows.encode(Row(dimensions: report.dimensions, row: row))
            }
            var totals = container.nestedContainer(keyedBy: JSONKey.self, forKey: "totals")
            try Self.encode(Figures(report.totals), into: &totals)
            try container.encode(
                report.budgets.map { BudgetLine.JSON(line: $0, includesPercent: false) }, forKey: "budgets")
        }

        static func encode(_ figures: Figures, into container: inout KeyedEncodingContainer<JSONKey>) throws {
            try container.encode(figures.sessions, forKey: "sessions")
            try container.encode(figures.modelRequests, forKey: "model_requests")
            try container.encode(figures.premiumRequests, forKey: "premium_requests")
            try container.encode(figures.tokens.input, forKey: "input_tokens")
            try container.encode(figures.tokens.cachedInput, forKey: "cached_tokens")
            try container.encode(figures.tokens.cacheWrite, forKey: "cache_write_tokens")
            try container.encode(figures.tokens.output, forKey: "output_tokens")
            try container.encode(figures.aiCredits, forKey: "ai_credits")
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
            try JSON.encode(Figures(row), into: &container)
        }
    }
}

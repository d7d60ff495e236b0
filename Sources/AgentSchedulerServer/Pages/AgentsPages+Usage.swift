import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

extension AgentsPages {
    /// The usage page (`/usage`): per organisation, its spend per day (`SpendChart`) and its
    /// budget gauges (`BudgetGauge`: used, reserved, remaining, reset time); then the usage table.
    ///
    /// - `report`: the usage of the period, grouped as the server likes (`--by` dimensions); its
    ///   rows make `<table id="usage-table">`.
    /// - `spend`: each organisation's spend per day (`DailySpend.from(_:)` of a report by org and day).
    /// - `budgets`: the budget scopes to show (`BudgetReport.lines`; `report.budgets` will do);
    ///   each goes under its organisation (`acme`, `acme/alice` → `acme`).
    /// Each organisation is a `<section class="org" data-org="ORG">`.
    public static func usage(
        _ report: UsageReport, spend: [DailySpend], budgets: [BudgetLine], now: Date, user: String? = nil,
        messages: [PageMessage] = []
    ) -> HTML {
        var orgs = Set(spend.map(\.org))
        for line in budgets { orgs.insert(organisation(of: line.scope)) }
        var main: [HTML] = [
            heading("Usage"),
            .element(
                "p", ["class": "period"], .text("From "),
                .element("time", ["datetime": iso(report.range.from)], .text(iso(report.range.from))), .text(" until "),
                .element("time", ["datetime": iso(report.range.until)], .text(iso(report.range.until))), .text(".")),
        ]
        for org in orgs.sorted() {
            var parts: [HTML] = [.element("h2", [:], .line(org))]
            if let days = spend.first(where: { $0.org == org }), !days.days.isEmpty {
                parts.append(
                    .element(
                        "figure", ["class": "spend"], SpendChart(days).html,
                        .element("figcaption", [:], .text("Spend per day, in \(days.unit.noun)"))))
            } else {
                parts.append(.element("p", ["class": "empty"], .text("Nothing spent in the period.")))
            }
            let lines = budgets.filter { organisation(of: $0.scope) == org }
            if !lines.isEmpty { parts.append(budgetTable(lines)) }
            main.append(.element("section", ["class": "org", "data-org": org, "aria-label": org], parts))
        }
        main.append(usageTable(report))
        return layout(title: "Usage", page: "usage", section: .usage, user: user, messages: messages, main: main)
    }

    /// The organisation a scope belongs to: its name, or what comes before `/`.
    static func organisation(of scope: BudgetScope) -> String {
        switch scope.kind {
        case .org: scope.name
        case .user, .agent: scope.name.split(separator: "/", maxSplits: 1).first.map(String.init) ?? scope.name
        case .session: "sessions"
        }
    }

    /// `<table class="budgets">`: one row per scope with its gauge and figures.
    static func budgetTable(_ lines: [BudgetLine]) -> HTML {
        let header = HTML.element(
            "thead", [:],
            .element(
                "tr", [:],
                ["Scope", "Budget", "Used", "Reserved", "Remaining", "Limit", "Resets"].map { name in
                    let number = ["Used", "Reserved", "Remaining", "Limit"].contains(name)
                    return HTML.element("th", ["scope": "col", "class": number ? "number" : nil], .text(name))
                }))
        let rows = lines.map { line in
            HTML.element(
                "tr", ["data-scope": line.scope.key.description],
                [
                    .element("th", ["scope": "row"], .line(line.scope.label)),
                    .element("td", ["class": "gauge"], BudgetGauge(line).html),
                    .element("td", ["class": "used"], .text(line.usage.used.reported)),
                    .element("td", ["class": "reserved"], .text(line.usage.reserved.reported)),
                    .element("td", ["class": "remaining"], .text(line.remaining?.reported ?? "–")),
                    .element("td", ["class": "limit"], .text(line.limit.map { $0.counted } ?? "unlimited")),
                    .element(
                        "td", ["class": "resets"],
                        line.resetsAt.map { HTML.element("time", ["datetime": iso($0)], .text(iso($0))) }
                            ?? .text("never")),
                ])
        }
        return .element(
            "table", ["class": "budgets"], .element("caption", [:], .text("Budgets")), header,
            .element("tbody", [:], rows))
    }

    /// `<table id="usage-table">`: the report's dimensions, sessions, model requests, and the
    /// figures in its units, then a totals row.
    static func usageTable(_ report: UsageReport) -> HTML {
        let premium = report.units.contains(.premiumRequests)
        let credits = report.units.contains(.aiCredits)
        var numbers = ["sessions", "model requests"]
        if premium { numbers.append("premium requests") }
        if credits { numbers += ["tokens in", "tokens out", "AI credits"] }
        let headings =
            report.dimensions.map { HTML.element("th", ["scope": "col"], .text($0.rawValue)) }
            + numbers.map { HTML.element("th", ["scope": "col", "class": "number"], .text($0)) }
        func figures(
            _ sessions: Int, _ requests: Int, _ pr: PremiumRequests, _ cr: AICredits, _ tokens: TokenCounts
        )
            -> [HTML]
        {
            var cells = ["\(sessions)", "\(requests)"]
            if premium { cells.append(pr.description) }
            if credits { cells += ["\(tokens.input)", "\(tokens.output)", cr.amount.reported] }
            return cells.map { HTML.element("td", ["class": "number"], .text($0)) }
        }
        var rows: [HTML] = report.rows.map { row in
            let values = zip(report.dimensions, row.values).map { dimension, value -> HTML in
                let shown =
                    dimension == .model && row.actualModel.map { $0 != value } == true
                    ? "\(value) → \(row.actualModel ?? value)" : value
                if dimension == .session, let id = Int64(value) {
                    return .element("td", [:], .element("a", ["href": "/sessions/\(id)"], .text(value)))
                }
                return .element("td", [:], .line(shown.isEmpty ? "-" : shown))
            }
            return .element(
                "tr", [:],
                values + figures(row.sessions, row.modelRequests, row.premiumRequests, row.aiCredits, row.tokens))
        }
        let totals = report.totals
        rows.append(
            .element(
                "tr", ["class": "totals"],
                report.dimensions.indices.map { HTML.element("th", ["scope": "row"], .text($0 == 0 ? "Total" : "")) }
                    + figures(
                        totals.sessions, totals.modelRequests, totals.premiumRequests, totals.aiCredits, totals.tokens))
        )
        return .element(
            "section", ["id": "usage", "aria-label": "Usage table"], .element("h2", [:], .text("Usage")),
            .element(
                "table", ["id": "usage-table"],
                .element(
                    "thead", [:], .element("tr", [:], headings)),
                .element("tbody", [:], rows)))
    }
}

import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerServer
import Foundation
import Testing

/// The usage chart's bars are as tall as the days' spend, relative to the largest.
@Suite("The usage page's charts")
struct PageChartTests {
    static let series: [[Int64]] = [
        [1000, 2000, 500, 0, 4000],
        [330],
        [0, 0, 0],
        [7, 7000, 70, 700_000],
        [1500, 1500, 3000, 250, 0, 0, 12_000, 1],
    ]

    @Test("bar heights are proportional to each day's spend", arguments: series)
    func proportionalBars(thousandths: [Int64]) throws {
        let days = thousandths.enumerated().map { index, value in
            DailySpend.Day(
                day: "2026-12-\(String(format: "%02d", index + 1))", amount: PremiumRequests(thousandths: value).amount)
        }
        let chart = SpendChart(DailySpend(org: "acme", unit: .premiumRequests, days: days))
        let parsed = try PageMarkup(chart.html.markup)
        let svg = try #require(parsed.opening("svg").first)
        #expect(svg.value("class") == "chart")
        #expect(svg.value("role") == "img")
        #expect(svg.value("aria-label")?.isEmpty == false)
        let bars = parsed.opening("rect").filter { $0.value("class") == "bar" }
        #expect(bars.count == thousandths.count)
        let heights = try bars.map { try #require(Double($0.value("height") ?? "")) }
        let amounts = try bars.map { try #require(Double($0.value("data-amount") ?? "")) }
        #expect(amounts == thousandths.map { Double($0) / 1000 })
        let largest = thousandths.max() ?? 0
        let tallest = heights.max() ?? 0
        for (height, value) in zip(heights, thousandths) {
            if largest == 0 {
                #expect(height == 0)
            } else {
                #expect(abs(height - chart.plotHeight * Double(value) / Double(largest)) < 0.001)
                #expect(abs(height / tallest - Double(value) / Double(largest)) < 0.0001)
            }
        }
        // Each bar stands on the baseline and carries its exact figure in a <title>.
        let ys = try bars.map { try #require(Double($0.value("y") ?? "")) }
        for (y, height) in zip(ys, heights) {
            #expect(abs(y + height - (chart.height - 28)) < 0.001)
        }
        let titles = parsed.opening("title").count
        #expect(titles == bars.count + 1)
        for (day, value) in zip(days, thousandths) {
            #expect(
                chart.html.markup.contains("\(day.day): \(PremiumRequests(thousandths: value).description) premium"))
        }
    }

    @Test("the usage page charts each organisation's days from a report by org and day")
    func dailySpendFromReport() {
        let (report, spend, _) = PageFixtures.usage(text: "carol")
        #expect(spend.count == 1)
        let acme = spend.first
        #expect(acme?.org == "acme")
        // Every day of the range is there, the quiet ones as zero.
        #expect(acme?.days.map(\.day) == ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03"])
        #expect(acme?.days.first?.amount == .zero(.premiumRequests))
        #expect(acme?.days.first { $0.day == "2026-12-01" }?.amount == PremiumRequests(thousandths: 2500).amount)
        #expect(acme?.days.first { $0.day == "2026-12-02" }?.amount == PremiumRequests(thousandths: 500).amount)
        let page = AgentsPages.usage(report, spend: spend, budgets: [], now: PageFixtures.now).markup
        #expect(page.contains(#"<svg class="chart" role="img""#))
        #expect(page.contains(#"id="usage-table""#))
    }

    @Test(
        "budget gauges split the limit into used, reserved and remaining",
        arguments: [[3000, 1000, 100_000], [0, 0, 5000], [9000, 4000, 10_000], [12_000, 0, 10_000]] as [[Int64]])
    func gauges(figures: [Int64]) throws {
        let (used, reserved, limit) = (figures[0], figures[1], figures[2])
        let scope = BudgetScope(
            kind: .org, name: "acme", limit: PremiumRequests(thousandths: limit).amount, periodStart: PageFixtures.now,
            periodEnd: PageFixtures.now.addingTimeInterval(86_400))
        let line = BudgetLine(
            scope: scope,
            usage: ScopeUsage(
                used: PremiumRequests(thousandths: used).amount, reserved: PremiumRequests(thousandths: reserved).amount
            ))
        let gauge = BudgetGauge(line)
        let parsed = try PageMarkup(gauge.html.markup)
        func width(_ name: String) throws -> Double {
            try #require(Double(parsed.opening("rect").first { $0.value("class") == name }?.value("width") ?? ""))
        }
        let total = try width("used") + width("reserved") + width("remaining")
        #expect(abs(total - gauge.width) < 0.01)
        #expect(abs(try width("used") - min(gauge.width, gauge.width * Double(used) / Double(limit))) < 0.01)
    }
}

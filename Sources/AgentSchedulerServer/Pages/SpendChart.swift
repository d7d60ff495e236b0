import AgentSchedulerCore

/// An organisation's spend per day as an inline SVG bar chart, drawn by the server.
///
/// `<svg class="chart" role="img" aria-label="…" viewBox="0 0 W H" width height>` with a
/// `<rect class="bar" data-day="YYYY-MM-DD" data-amount="EXACT">` per day whose `height` is
/// `plotHeight × amount / largest amount` (zero for a quiet day, and for every day when nothing was
/// spent), each with a `<title>` giving the day and the exact figure; a baseline, the largest
/// figure on the axis, and day labels (every one when there are few, else about six). Styled by
/// classes and presentation attributes only.
public struct SpendChart: Sendable, Hashable {
    public var spend: DailySpend
    /// The drawing's size in user units.
    public var width: Double = 640
    public var height: Double = 220

    /// Room for the axis labels: left, bottom, top.
    static let left = 48.0
    static let bottom = 28.0
    static let top = 12.0

    public init(_ spend: DailySpend) {
        self.spend = spend
    }

    /// The height the bars may take.
    public var plotHeight: Double { height - Self.top - Self.bottom }

    /// The height of the bar of `amount`, out of `plotHeight`.
    public func barHeight(_ amount: Amount) -> Double {
        let largest = spend.days.map(\.amount.minorUnits).max() ?? 0
        guard largest > 0, amount.minorUnits > 0 else { return 0 }
        return plotHeight * Double(amount.minorUnits) / Double(largest)
    }

    /// The SVG.
    public var html: HTML {
        let days = spend.days
        let unit = spend.unit.noun
        let total = days.reduce(Amount.zero(spend.unit)) { $0 + $1.amount }
        let label =
            "Spend per day of \(spend.org): \(total.reported) \(unit) over \(days.count) day\(days.count == 1 ? "" : "s")"
        let plotWidth = width - Self.left - 8
        let slot = days.isEmpty ? plotWidth : plotWidth / Double(days.count)
        let barWidth = max(1, slot * 0.8)
        let baseline = height - Self.bottom
        var parts: [HTML] = [
            .element("title", [:], .line(label)),
            .element(
                "line",
                [
                    "class": "axis", "x1": Self.number(Self.left), "y1": Self.number(baseline),
                    "x2": Self.number(width - 8), "y2": Self.number(baseline), "stroke": "currentColor",
                ], []),
        ]
        let largest = days.map(\.amount).max()
        if let largest, largest.minorUnits > 0 {
            parts.append(
                .element(
                    "text",
                    [
                        "class": "axis-label", "x": Self.number(Self.left - 4), "y": Self.number(Self.top + 4),
                        "text-anchor": "end", "font-size": "10",
                    ], [.line(largest.reported)]))
        }
        parts.append(
            .element(
                "text",
                [
                    "class": "axis-label", "x": Self.number(Self.left - 4), "y": Self.number(baseline),
                    "text-anchor": "end", "font-size": "10",
                ], [.text("0")]))
        let every = max(1, Int((Double(days.count) / 6).rounded(.up)))
        for (index, day) in days.enumerated() {
            let barHeight = barHeight(day.amount)
            let x = Self.left + Double(index) * slot + (slot - barWidth) / 2
            parts.append(
                .element(
                    "rect",
                    [
                        "class": "bar", "data-day": day.day, "data-amount": day.amount.description,
                        "x": Self.number(x), "y": Self.number(baseline - barHeight), "width": Self.number(barWidth),
                        "height": Self.number(barHeight), "fill": "currentColor",
                    ],
                    [.element("title", [:], [.line("\(day.day): \(day.amount.description) \(unit)")])]))
            if index % every == 0 {
                parts.append(
                    .element(
                        "text",
                        [
                            "class": "day-label", "x": Self.number(x + barWidth / 2),
                            "y": Self.number(baseline + 14), "text-anchor": "middle", "font-size": "10",
                        ], [.line(String(day.day.suffix(5)))]))
            }
        }
        return .element(
            "svg",
            [
                "class": "chart", "role": "img", "aria-label": label,
                "viewBox": "0 0 \(Self.number(width)) \(Self.number(height))",
                "width": Self.number(width), "height": Self.number(height),
            ], parts)
    }

    /// A coordinate with at most three decimals, without trailing zeros.
    static func number(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.3f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}

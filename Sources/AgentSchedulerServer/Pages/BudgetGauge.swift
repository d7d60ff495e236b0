import AgentScheduler
import AgentSchedulerCore

/// A budget scope's standing as a horizontal SVG bar: used, then reserved, then what remains,
/// each as wide as its share of the limit.
///
/// `<svg class="gauge" role="img" aria-label="…">` with `<rect class="used">`,
/// `<rect class="reserved">` and `<rect class="remaining">`, each with a `<title>`. An unlimited
/// scope has no gauge (`html` is a `<span class="unlimited">`).
public struct BudgetGauge: Sendable, Hashable {
    public var line: BudgetLine
    public var width: Double = 240
    public var height: Double = 14

    public init(_ line: BudgetLine) {
        self.line = line
    }

    /// The widths of used, reserved and remaining; used and reserved are cut at the limit.
    public var widths: (used: Double, reserved: Double, remaining: Double)? {
        guard let limit = line.limit, limit.minorUnits > 0 else { return nil }
        let whole = Double(limit.minorUnits)
        let used = min(width, width * Double(max(0, line.usage.used.minorUnits)) / whole)
        let reserved = min(width - used, width * Double(max(0, line.usage.reserved.minorUnits)) / whole)
        return (used, reserved, max(0, width - used - reserved))
    }

    /// The SVG, or `unlimited`.
    public var html: HTML {
        let unit = line.scope.unit.noun
        guard let widths, let limit = line.limit else {
            return .element("span", ["class": "unlimited"], .text("no limit"))
        }
        let remaining = line.remaining?.reported ?? "0"
        let label =
            "\(line.scope.label): \(line.usage.used.reported) used, \(line.usage.reserved.reported) reserved, "
            + "\(remaining) remaining of \(limit.reported) \(unit)"
        let segments: [(String, Double, Double, String)] = [
            ("used", 0, widths.used, "\(line.usage.used.reported) used"),
            ("reserved", widths.used, widths.reserved, "\(line.usage.reserved.reported) reserved"),
            ("remaining", widths.used + widths.reserved, widths.remaining, "\(remaining) remaining"),
        ]
        let rects = segments.map { segment in
            HTML.element(
                "rect",
                [
                    "class": segment.0, "x": SpendChart.number(segment.1), "y": "0",
                    "width": SpendChart.number(segment.2), "height": SpendChart.number(height),
                ], [.element("title", [:], [.line(segment.3)])])
        }
        return .element(
            "svg",
            [
                "class": "gauge", "role": "img", "aria-label": label,
                "viewBox": "0 0 \(SpendChart.number(width)) \(SpendChart.number(height))",
                "width": SpendChart.number(width), "height": SpendChart.number(height),
            ], [.element("title", [:], [.line(label)])] + rects)
    }
}

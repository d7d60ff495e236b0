extension Int64 {
    /// `self + other`, held at `Int64.max` (or `.min`) instead of trapping: an amount that large
    /// fits under no budget, so saturating fails closed.
    public func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self × other`, held at `Int64.max` (or `.min`) instead of trapping.
    public func multipliedSaturating(by other: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) == (other < 0) ? .max : .min) : product
    }
}

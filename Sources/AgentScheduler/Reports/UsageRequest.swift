import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// What `agentsched usage` is asked for: a range, an optional organisation and the grouping.
public struct UsageRequest: Sendable, Hashable {
    public var range: ReportRange
    /// Only this organisation, when set.
    public var org: String?
    /// Grouping, in column order (the command line always gives at least one).
    public var dimensions: [UsageDimension]

    public init(range: ReportRange, org: String? = nil, dimensions: [UsageDimension] = [.org]) {
        self.range = range
        self.org = org
        self.dimensions = dimensions
    }

    /// The request the command-line options name (see `ReportRange.parse` and `dimensions(_:)`);
    /// `--by` defaults to `org`. Throws `ReportInputError`.
    public static func parse(
        org: String?, period: String?, since: String?, until: String?, by: String?, now: Date
    ) throws -> UsageRequest {
        let range = try ReportRange.parse(period: period, since: since, until: until, now: now)
        return UsageRequest(range: range, org: org, dimensions: try by.map(dimensions) ?? [.org])
    }

    /// `--by` text: dimension names separated by commas (`org,user,model`), without regard to case.
    /// Throws `ReportInputError` for an empty, unknown or repeated name.
    public static func dimensions(_ text: String) throws -> [UsageDimension] {
        var dimensions: [UsageDimension] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw ReportInputError.emptyDimension }
            guard let dimension = UsageDimension(rawValue: name.lowercased()) else {
                throw ReportInputError.unknownDimension(
                    name, hint: Suggestion.hint(for: name, among: UsageDimension.allCases.map(\.rawValue)))
            }
            guard !dimensions.contains(dimension) else { throw ReportInputError.repeatedDimension(dimension.rawValue) }
            dimensions.append(dimension)
        }
        return dimensions
    }
}

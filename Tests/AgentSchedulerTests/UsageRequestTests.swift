import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

@testable import AgentScheduler

@Suite("Usage requests from the command line")
struct UsageRequestTests {
    @Test(
        "--period, --since and --until name a range; the default is the clock's month",
        arguments: [
            (nil, nil, nil, "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"),
            ("2026-02", nil, nil, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"),
            ("2026-12", nil, nil, "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"),
            (nil, "2026-11-02", "2026-11-04", "2026-11-02T00:00:00Z", "2026-11-05T00:00:00Z"),
            (nil, "2026-11-04", "2026-11-04", "2026-11-04T00:00:00Z", "2026-11-05T00:00:00Z"),
            (nil, "2026-11-02T10:00:00Z", "2026-11-04T10:30:00+01:00", "2026-11-02T10:00:00Z", "2026-11-04T09:30:00Z"),
            (nil, "2026-11-02", nil, "2026-11-02T00:00:00Z", "2026-11-06T12:00:00Z"),
            (nil, "2026-11-06T12:00:00Z", "2026-11-06T12:00:00Z", "2026-11-06T12:00:00Z", "2026-11-06T12:00:00Z"),
        ] as [(String?, String?, String?, String, String)])
    func ranges(period: String?, since: String?, until: String?, from: String, end: String) throws {
        let range = try ReportRange.parse(period: period, since: since, until: until, now: ReportFixtures.now)
        #expect(ReportTime.iso(range.from) == from)
        #expect(ReportTime.iso(range.until) == end)
    }

    @Test(
        "contradictory or malformed ranges are refused",
        arguments: [
            ("2026-11", "2026-11-01", nil, ReportInputError.periodWithRange),
            ("2026-11", nil, "2026-11-30", .periodWithRange),
            ("2026-13", nil, nil, .badMonth("2026-13")),
            ("2026-11-01", nil, nil, .badMonth("2026-11-01")),
            (nil, nil, "2026-11-30", .untilWithoutSince),
            (nil, "yesterday", nil, .badDate(option: "--since", text: "yesterday")),
            (nil, "2026-11-01", "2026-11-31", .badDate(option: "--until", text: "2026-11-31")),
            (nil, "2026-11-05", "2026-11-03", .untilBeforeSince(since: "2026-11-05", until: "2026-11-03")),
            (
                nil, "2026-11-05T10:00:00Z", "2026-11-05T09:59:59Z",
                .untilBeforeSince(since: "2026-11-05T10:00:00Z", until: "2026-11-05T09:59:59Z")
            ),
            (nil, "2026-11-07", nil, .untilBeforeSince(since: "2026-11-07", until: "2026-11-06T12:00:00Z")),
        ] as [(String?, String?, String?, ReportInputError)])
    func badRanges(period: String?, since: String?, until: String?, error: ReportInputError) {
        #expect(throws: error) {
            try ReportRange.parse(period: period, since: since, until: until, now: ReportFixtures.now)
        }
    }

    @Test(
        "--by names dimensions in order, without regard to case or spaces",
        arguments: [
            ("org", [UsageDimension.org]),
            ("org,user,agent,model,repo,day,session", UsageDimension.allCases),
            ("Model, DAY", [.model, .day]),
            ("session,org", [.session, .org]),
        ])
    func dimensions(text: String, expected: [UsageDimension]) throws {
        #expect(try UsageRequest.dimensions(text) == expected)
    }

    @Test(
        "unknown, repeated and empty dimensions are refused with a hint",
        arguments: [
            ("usr", ReportInputError.unknownDimension("usr", hint: "did you mean 'user'?")),
            ("org,modle", .unknownDimension("modle", hint: "did you mean 'model'?")),
            ("cost", .unknownDimension("cost", hint: nil)),
            ("org,user,org", .repeatedDimension("org")),
            ("org,ORG", .repeatedDimension("org")),
            ("", .emptyDimension),
            ("org,", .emptyDimension),
            ("org,,user", .emptyDimension),
        ])
    func badDimensions(text: String, error: ReportInputError) {
        #expect(throws: error) { try UsageRequest.dimensions(text) }
    }

    @Test("the messages say what is wrong and what would be right")
    func messages() {
        #expect(
            ReportInputError.unknownDimension("usr", hint: "did you mean 'user'?").description
                == "unknown dimension 'usr' in --by; did you mean 'user'? (one of org, user, agent, model, repo, day, session)"
        )
        #expect(ReportInputError.periodWithRange.description == "--period cannot be combined with --since or --until")
        #expect(
            ReportInputError.untilBeforeSince(since: "2026-11-05", until: "2026-11-03").description
                == "--until 2026-11-03 is before --since 2026-11-05")
        #expect(
            ReportInputError.badNow("soon").description
                == "AGENTSCHED_NOW 'soon' is not an ISO 8601 instant (2026-11-03T10:00:00Z)")
    }

    @Test("a request defaults to grouping by organisation over the clock's month")
    func defaults() throws {
        let request = try UsageRequest.parse(
            org: "acme", period: nil, since: nil, until: nil, by: nil, now: ReportFixtures.now)
        #expect(request == UsageRequest(range: ReportFixtures.november, org: "acme", dimensions: [.org]))
    }

    @Test("AGENTSCHED_NOW fixes the clock; without it the system clock runs")
    func clock() throws {
        let fixed = try ReportClock.clock(environment: ["AGENTSCHED_NOW": "2026-11-06T12:00:00Z"])
        #expect(fixed.now() == ReportFixtures.now)
        let midnight = try ReportClock.clock(environment: ["AGENTSCHED_NOW": "2026-11-06"])
        #expect(midnight.now() == ReportFixtures.instant("2026-11-06T00:00:00Z"))
        #expect(try ReportClock.clock(environment: [:]) is SystemWallClock)
        #expect(try ReportClock.clock(environment: ["AGENTSCHED_NOW": ""]) is SystemWallClock)
        #expect(throws: ReportInputError.badNow("tomorrow")) {
            try ReportClock.clock(environment: ["AGENTSCHED_NOW": "tomorrow"])
        }
    }
}

import Foundation
import Testing

@testable import AgentScheduler

@Suite("Report dates and instants")
struct ReportTimeTests {
    @Test(
        "instants are ISO 8601 with a zone, checked field by field",
        arguments: [
            ("2026-11-03T10:00:00Z", "2026-11-03T10:00:00Z"),
            ("2026-11-03T10:00:00.250Z", "2026-11-03T10:00:00.250Z"),
            ("2026-11-03T10:00:00.5Z", "2026-11-03T10:00:00.500Z"),
            ("2026-11-03T10:00:00+02:00", "2026-11-03T08:00:00Z"),
            ("2026-11-03T00:30:00-01:30", "2026-11-03T02:00:00Z"),
            ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"),
        ])
    func instants(text: String, expected: String) {
        #expect(ReportTime.instant(text).map(ReportTime.iso) == expected)
    }

    @Test(
        "text that is not an instant is refused",
        arguments: [
            "2026-11-03", "2026-11-03T10:00", "2026-11-03T10:00:00", "2026-11-03T24:00:00Z", "2026-11-03T10:60:00Z",
            "2026-02-30T10:00:00Z", "2025-02-29T10:00:00Z", " 2026-11-03T10:00:00Z", "2026-11-03T10:00:00Zx",
            "2026-11-03T10:00:00.Z", "2026-11-03T10:00:00+2:00", "2026-11-3T10:00:00Z", "now", "",
        ])
    func notInstants(text: String) {
        #expect(ReportTime.instant(text) == nil)
    }

    @Test(
        "days and months are strict",
        arguments: [
            ("2026-11-03", "2026-11-03T00:00:00Z"), ("2026-12-31", "2026-12-31T00:00:00Z"),
            ("2026-02-29", nil), ("2026-13-01", nil), ("2026-00-10", nil), ("2026-11-00", nil), ("26-11-03", nil),
            ("2026-1-03", nil), ("2026-11-03Z", nil), ("２０２６-11-03", nil), ("+026-11-03", nil),
        ])
    func days(text: String, expected: String?) {
        #expect(ReportTime.day(text).map(ReportTime.iso) == expected)
    }

    @Test(
        "months",
        arguments: [
            ("2026-11", "2026-11-01T00:00:00Z"), ("2026-01", "2026-01-01T00:00:00Z"), ("2026-13", nil),
            ("2026-00", nil), ("2026-1", nil), ("2026-11-01", nil), ("november", nil),
        ])
    func months(text: String, expected: String?) {
        #expect(ReportTime.month(text).map(ReportTime.iso) == expected)
    }

    @Test("the day of an instant is its UTC day")
    func dayText() {
        #expect(ReportTime.dayText(ReportFixtures.instant("2026-11-03T23:59:59Z")) == "2026-11-03")
        #expect(ReportTime.dayText(ReportFixtures.instant("2026-11-03T23:59:59-01:00")) == "2026-11-04")
        #expect(
            ReportTime.startOfDay(ReportFixtures.instant("2026-11-03T15:00:00Z"))
                == ReportFixtures.instant("2026-11-03T00:00:00Z"))
    }
}

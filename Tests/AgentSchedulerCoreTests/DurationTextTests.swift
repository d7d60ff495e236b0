import Foundation
import Testing

@testable import AgentSchedulerCore

@Suite("Durations as text")
struct DurationTextTests {
    @Test(
        "parses sums of number-unit parts; a bare number is seconds",
        arguments: [
            ("90s", Duration.seconds(90)), ("30m", .seconds(1800)), ("1h30m", .seconds(5400)), ("2h", .seconds(7200)),
            ("500ms", .milliseconds(500)), ("1d", .seconds(86400)), ("45", .seconds(45)), ("0", .zero),
            (" 10m ", .seconds(600)), ("1h1m1s1ms", .seconds(3661) + .milliseconds(1)), ("2m2m", .seconds(240)),
            ("120s", .seconds(120)),
        ])
    func parses(text: String, duration: Duration) {
        #expect(DurationText.parse(text) == duration)
    }

    @Test(
        "refuses text that is not a duration",
        arguments: ["forever", "", "m", "10x", "1.5h", "-5", "1h 30m", "1h30", "30M", "h1", "1 h"])
    func refuses(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test(
        "formats the shortest text that reads back as the same duration",
        arguments: [
            (Duration.seconds(5400), "1h30m"), (.zero, "0s"), (.milliseconds(250), "250ms"),
            (.seconds(90061), "1d1h1m1s"), (.milliseconds(1500), "1s500ms"), (.seconds(120), "2m"),
            (.seconds(3600), "1h"),
        ])
    func formats(duration: Duration, text: String) {
        #expect(DurationText.format(duration) == text)
        #expect(DurationText.parse(text) == duration)
        #expect(HumanDuration(duration).description == text)
    }

    @Test("human durations encode as text and decode from it")
    func codable() throws {
        let data = try JSONEncoder().encode([HumanDuration(.seconds(1800))])
        #expect(String(decoding: data, as: UTF8.self) == #"["30m"]"#)
        #expect(try JSONDecoder().decode([HumanDuration].self, from: data) == [HumanDuration(.seconds(1800))])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([HumanDuration].self, from: Data(#"["soon"]"#.utf8))
        }
        #expect(HumanDuration(.seconds(1)) < HumanDuration(.seconds(2)))
    }
}

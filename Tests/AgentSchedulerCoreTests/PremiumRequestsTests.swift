import Foundation
import Testing

@testable import AgentSchedulerCore

@Suite("Premium-request amounts")
struct PremiumRequestsTests {
    @Test(
        "parses decimal text exactly into thousandths",
        arguments: [
            ("0", 0), ("1", 1000), ("0.33", 330), ("7.5", 7500), ("+2", 2000), ("-1.5", -1500), ("0.3300", 330),
            ("1000000", 1_000_000_000), (".5", 500), ("0.001", 1), ("-0.001", -1), ("1.", 1000), (" 2 ", 2000),
            ("0.0000", 0), ("12.345", 12345), ("007", 7000), ("9223372036854775.807", Int64.max),
        ] as [(String, Int64)])
    func parsesValidText(text: String, thousandths: Int64) {
        #expect(PremiumRequests.parse(text) == .success(PremiumRequests(thousandths: thousandths)))
    }

    @Test(
        "refuses text that is not an exact amount",
        arguments: [
            ("abc", .notANumber), ("1e3", .notANumber), ("0.3333", .tooPrecise(decimals: 3)),
            ("0.0001", .tooPrecise(decimals: 3)),
            ("1.2.3", .notANumber), ("", .notANumber), ("-", .notANumber), ("+", .notANumber), (".", .notANumber),
            ("inf", .notANumber), ("nan", .notANumber), ("0x10", .notANumber), ("1,5", .notANumber),
            ("--1", .notANumber), ("1_000", .notANumber), ("1 000", .notANumber),
            ("9223372036854776", .tooLarge), ("9223372036854775.808", .tooLarge),
            ("100000000000000000000000", .tooLarge),
        ] as [(String, PremiumRequests.ParseError)])
    func refusesInvalidText(text: String, error: PremiumRequests.ParseError) {
        #expect(PremiumRequests.parse(text) == .failure(error))
    }

    @Test("parse errors explain themselves")
    func parseErrorText() {
        #expect(PremiumRequests.ParseError.notANumber.description == "is not a decimal number")
        #expect(
            PremiumRequests.ParseError.tooPrecise(decimals: 3).description == "has more than 3 decimals")
        #expect(PremiumRequests.ParseError.tooLarge.description == "is too large")
    }

    @Test(
        "prints the shortest exact decimal and parses it back",
        arguments: [
            (330, "0.33"), (7500, "7.5"), (-2125, "-2.125"), (0, "0"), (1, "0.001"), (-1, "-0.001"), (1000, "1"),
            (300_000, "300"), (1050, "1.05"), (-2000, "-2"), (250, "0.25"), (27000, "27"),
        ] as [(Int64, String)])
    func description(thousandths: Int64, text: String) {
        let amount = PremiumRequests(thousandths: thousandths)
        #expect(amount.description == text)
        #expect(PremiumRequests.parse(text) == .success(amount))
    }

    @Test("arithmetic, comparison and percentages stay in thousandths")
    func arithmetic() {
        let third = PremiumRequests(thousandths: 330)
        #expect(third.times(3) == PremiumRequests(thousandths: 990))
        #expect(third + PremiumRequests(2) == PremiumRequests(thousandths: 2330))
        #expect(PremiumRequests(1) - third == PremiumRequests(thousandths: 670))
        var total = PremiumRequests.zero
        for _ in 0..<100 { total += PremiumRequests(thousandths: 330) }
        #expect(total == PremiumRequests(33))
        #expect(third < PremiumRequests(1))
        #expect(PremiumRequests(thousandths: 749).percent(of: PremiumRequests(1)) == 74)
        #expect(PremiumRequests(3).percent(of: PremiumRequests(2)) == 150)
        #expect(PremiumRequests(1).percent(of: .zero) == nil)
    }

    @Test(
        "encodes as an exact JSON number and decodes back",
        arguments: [
            (330, "0.33"), (7500, "7.5"), (-2125, "-2.125"), (0, "0"), (1, "0.001"), (300_000, "300"),
        ] as [(Int64, String)])
    func json(thousandths: Int64, text: String) throws {
        let amount = PremiumRequests(thousandths: thousandths)
        let data = try JSONEncoder().encode([amount])
        #expect(String(decoding: data, as: UTF8.self) == "[\(text)]")
        #expect(try JSONDecoder().decode([PremiumRequests].self, from: data) == [amount])
    }

    @Test("decodes amounts written as JSON strings, and refuses ones that are not exact")
    func jsonStrings() throws {
        let decoded = try JSONDecoder().decode([PremiumRequests].self, from: Data(#"["0.33", "7.5"]"#.utf8))
        #expect(decoded == [PremiumRequests(thousandths: 330), PremiumRequests(thousandths: 7500)])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([PremiumRequests].self, from: Data("[0.3333]".utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([PremiumRequests].self, from: Data(#"["lots"]"#.utf8))
        }
    }

    @Test("structured output writes multipliers as exact numbers")
    func structuredOutput() throws {
        let model = ModelDefinition(name: "claude-haiku-4.5", provider: .anthropic, multiplier: .init(thousandths: 330))
        let json = try StructuredOutput.json(model)
        #expect(json.contains(#""multiplier" : 0.33"#))
        #expect(!json.contains("0.33000"))
        let yaml = try StructuredOutput.yaml(model)
        #expect(yaml == "multiplier: 0.33\nname: claude-haiku-4.5\nprovider: anthropic\n")
    }

    @Test("a catalog's `multiplier: 0.33` is read as 330 thousandths, without a Double on the way")
    func catalogMultiplier() throws {
        let loaded = try loadWorkspace(["agents/helper.yaml": "description: Helps.\n"])
        #expect(loaded.diagnostics == [])
        let catalog = try #require(loaded.workspace.catalog)
        #expect(catalog.model(named: "haiku")?.multiplier?.thousandths == 330)
        #expect(catalog.model(named: "gpt-5.5")?.multiplier?.thousandths == 7500)
        #expect(catalog.model(named: "gpt-4.1")?.multiplier == .zero)
    }
}

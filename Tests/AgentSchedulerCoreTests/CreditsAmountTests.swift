import Foundation
import Testing

@testable import AgentSchedulerCore

/// AI credits (DESIGN §9): billionths of a credit, exact from text to text, rounded in one place.
@Suite("AI-credit amounts, prices and token counts")
struct CreditsAmountTests {
    @Test(
        "AI credits parse exactly into billionths and print back the same text",
        arguments: [
            ("0.000002", 2_000, "0.000002"), ("190000", 190_000_000_000_000, "190000"),
            ("12.5", 12_500_000_000, "12.5"),
            ("0.000000001", 1, "0.000000001"), ("1", 1_000_000_000, "1"), ("0", 0, "0"),
            ("0.1234567890", 123_456_789, "0.123456789"), ("+7.25", 7_250_000_000, "7.25"),
            ("-1.5", -1_500_000_000, "-1.5"), ("-0.000000001", -1, "-0.000000001"),
            ("9223372036.854775807", Int64.max, "9223372036.854775807"), (" 3 ", 3_000_000_000, "3"),
        ] as [(String, Int64, String)])
    func parsesAndPrintsExactly(text: String, nanocredits: Int64, printed: String) {
        let parsed = AICredits.parse(text)
        #expect(parsed == .success(AICredits(nanocredits: nanocredits)))
        #expect(AICredits(nanocredits: nanocredits).description == printed)
        #expect(AICredits.parse(printed) == .success(AICredits(nanocredits: nanocredits)))
    }

    @Test(
        "AI credits refuse text that is not an exact amount",
        arguments: [
            ("0.0000000001", .tooPrecise(decimals: 9)), ("0.0000000015", .tooPrecise(decimals: 9)),
            ("1.1234567891", .tooPrecise(decimals: 9)), ("9223372037", .tooLarge),
            ("9223372036.854775808", .tooLarge), ("-9223372037", .tooLarge), ("1e3", .notANumber),
            ("$5", .notANumber), ("", .notANumber), ("1,5", .notANumber), ("nan", .notANumber),
        ] as [(String, FixedPoint.ParseError)])
    func refusesInexactText(text: String, error: FixedPoint.ParseError) {
        #expect(AICredits.parse(text) == .failure(error))
    }

    @Test("whole credits, zero and saturating arithmetic stay in billionths")
    func arithmetic() {
        #expect(AICredits(190_000).nanocredits == 190_000_000_000_000)
        #expect(AICredits.zero.nanocredits == 0)
        #expect(AICredits(2) + AICredits(nanocredits: 2_000) == AICredits(nanocredits: 2_000_002_000))
        #expect(AICredits(2) - AICredits(3) == AICredits(nanocredits: -1_000_000_000))
        #expect(AICredits(nanocredits: .max) + AICredits(nanocredits: 1) == AICredits(nanocredits: .max))
        var total = AICredits.zero
        for _ in 0..<500_000 { total += AICredits(nanocredits: 2_000) }
        #expect(total == AICredits(1))
        #expect(AICredits(nanocredits: 1) < AICredits(nanocredits: 2))
        #expect(Int64(3).multipliedSaturating(by: .max) == .max)
        #expect(Int64(-3).multipliedSaturating(by: .max) == .min)
    }

    @Test(
        "FixedPoint.rounded rounds half away from zero and prints exactly `places` decimals",
        arguments: [
            (1_005, 3, 2, "1.01"), (1_004, 3, 2, "1.00"), (4_999, 6, 2, "0.00"), (5_000, 6, 2, "0.01"),
            (-1_005, 3, 2, "-1.01"), (-1_004, 3, 2, "-1.00"), (-4_999, 6, 2, "0.00"), (-5_000, 6, 2, "-0.01"),
            (2_500, 3, 0, "3"), (2_499, 3, 0, "2"), (-2_500, 3, 0, "-3"), (0, 9, 2, "0.00"),
            (1_234_567_890, 9, 2, "1.23"), (1_235_000_000, 9, 2, "1.24"), (999_995_000, 9, 2, "1.00"),
            (1_234_567_890, 9, 9, "1.234567890"), (190_000_000_000_000, 9, 2, "190000.00"),
            (Int64.max, 9, 2, "9223372036.85"), (Int64.min, 9, 2, "-9223372036.85"),
        ] as [(Int64, Int, Int, String)])
    func roundsHalfAwayFromZero(units: Int64, decimals: Int, places: Int, text: String) {
        #expect(FixedPoint.rounded(units, decimals: decimals, places: places) == text)
    }

    @Test("credits round to hundredths, and to dollars at a cent per credit")
    func creditsRoundedAndDollars() {
        #expect(AICredits(nanocredits: 1_005_000_000).rounded() == "1.01")
        #expect(AICredits(nanocredits: 4_999_000).rounded() == "0.00")
        #expect(AICredits(nanocredits: -1_005_000_000).rounded() == "-1.01")
        #expect(AICredits(nanocredits: 2_000).rounded(places: 6) == "0.000002")
        #expect(AICredits(190_000).dollars() == "1900.00")
        #expect(AICredits(nanocredits: 12_500_000_000).dollars() == "0.13")
        #expect(AICredits(nanocredits: 12_499_999_999).dollars() == "0.12")
        #expect(AICredits(nanocredits: 2_000).dollars(places: 8) == "0.00000002")
        #expect(AICredits(nanocredits: -150_000_000_000).dollars() == "-1.50")
        #expect(AICredits(1).dollars(places: 0) == "0")
        #expect(AICredits(50).dollars(places: 0) == "1")
    }

    @Test("an amount reports premium requests exactly and credits to hundredths, with its unit")
    func amountReportedAndCounted() {
        #expect(Amount(.premiumRequests, minorUnits: 330).reported == "0.33")
        #expect(Amount(.premiumRequests, minorUnits: 1).reported == "0.001")
        #expect(Amount(.premiumRequests, minorUnits: 1_000).counted == "1 premium request")
        #expect(Amount(.premiumRequests, minorUnits: 330).counted == "0.33 premium requests")
        #expect(Amount(.premiumRequests, minorUnits: 0).counted == "0 premium requests")
        #expect(Amount(.aiCredits, minorUnits: 12_500_000_000).reported == "12.50")
        #expect(Amount(.aiCredits, minorUnits: 12_500_000_000).description == "12.5")
        #expect(Amount(.aiCredits, minorUnits: 2_000).reported == "0.00")
        #expect(Amount(.aiCredits, minorUnits: 2_000).description == "0.000002")
        #expect(Amount(.aiCredits, minorUnits: 5_000_000).reported == "0.01")
        #expect(Amount(.aiCredits, minorUnits: 1_000_000_000).counted == "1.00 AI credits")
        #expect(Amount(.aiCredits, minorUnits: 190_000_000_000_000).counted == "190000.00 AI credits")
        #expect(AICredits(nanocredits: 7).amount == Amount(.aiCredits, minorUnits: 7))
        #expect(Amount(.aiCredits, minorUnits: 7).aiCredits == AICredits(nanocredits: 7))
        #expect(Amount(.aiCredits, minorUnits: 7).premiumRequests == nil)
        #expect(Amount(.premiumRequests, minorUnits: 7).aiCredits == nil)
        #expect(Amount(.aiCredits, minorUnits: 2_000).decimal == Decimal(string: "0.000002"))
        #expect(
            Amount(.aiCredits, minorUnits: 750_000_000).percent(of: Amount(.aiCredits, minorUnits: 1_000_000_000)) == 75
        )
        #expect(BillingUnit.aiCredits.decimals == 9 && BillingUnit.aiCredits.reportDecimals == 2)
        #expect(BillingUnit.premiumRequests.decimals == 3 && BillingUnit.premiumRequests.reportDecimals == 3)
        #expect(BillingUnit.aiCredits.noun == "AI credits" && BillingUnit.premiumRequests.noun == "premium requests")
    }

    @Test(
        "AI credits encode as exact JSON numbers and decode from numbers and strings",
        arguments: [(2_000, "0.000002"), (190_000_000_000_000, "190000"), (12_500_000_000, "12.5"), (1, "0.000000001")]
            as [(Int64, String)])
    func json(nanocredits: Int64, text: String) throws {
        let credits = AICredits(nanocredits: nanocredits)
        let data = try JSONEncoder().encode([credits])
        #expect(String(decoding: data, as: UTF8.self) == "[\(text)]")
        #expect(try JSONDecoder().decode([AICredits].self, from: data) == [credits])
        #expect(try JSONDecoder().decode([AICredits].self, from: Data("[\"\(text)\"]".utf8)) == [credits])
    }

    @Test(
        "a price per million tokens is an exact integer of billionths of a credit per token",
        arguments: [
            ("0.02", 2_000), ("2.50", 250_000), ("$2.50", 250_000), ("1", 100_000), ("0.025", 2_500),
            ("15", 1_500_000), ("0.00001", 1), ("0", 0),
        ] as [(String, Int64)])
    func tokenPrice(text: String, nanocredits: Int64) {
        #expect(TokenPrice.parse(text) == .success(TokenPrice(nanocreditsPerToken: nanocredits)))
    }

    @Test("a price finer than a billionth of a credit per token is refused, not rounded")
    func tokenPriceTooPrecise() {
        #expect(TokenPrice.parse("0.000001") == .failure(.tooPrecise(decimals: 5)))
        #expect(TokenPrice.parse("2.505001") == .failure(.tooPrecise(decimals: 5)))
        #expect(TokenPrice(nanocreditsPerToken: 250_000).description == "2.5")
        #expect(TokenPrice(nanocreditsPerToken: 2_000).description == "0.02")
    }

    @Test("token costs are exact: $0.02/M is 0.000002 credits a token; $2.50/M × 1M tokens is 250 credits")
    func tokenCosts() throws {
        let cheap = try TokenPrice.parse("0.02").get()
        #expect(cheap.cost(of: 1) == AICredits(nanocredits: 2_000))
        #expect(cheap.cost(of: 1).description == "0.000002")
        #expect(cheap.cost(of: 1_000_000) == AICredits(2))
        let gpt = try TokenPrice.parse("2.50").get()
        #expect(gpt.cost(of: 1_000_000) == AICredits(250))
        #expect(gpt.cost(of: 1_000_000).description == "250")
        #expect(gpt.cost(of: 3) == AICredits(nanocredits: 750_000))
        #expect(gpt.cost(of: 0) == .zero)
        #expect(TokenPrice(nanocreditsPerToken: .max).cost(of: 2) == AICredits(nanocredits: .max))
    }

    @Test("TokenCounts: the four kinds never overlap; promptTokens is every prompt token")
    func tokenCounts() {
        let counts = TokenCounts(input: 10, cachedInput: 20, cacheWrite: 30, output: 40)
        #expect(counts.promptTokens == 60)
        #expect(TokenCounts(output: 500).promptTokens == 0)
        #expect(TokenCounts.zero.promptTokens == 0)
        #expect(counts + counts == TokenCounts(input: 20, cachedInput: 40, cacheWrite: 60, output: 80))
        var total = TokenCounts.zero
        total += TokenCounts(input: 1)
        total += TokenCounts(cachedInput: 2, output: 3)
        #expect(total == TokenCounts(input: 1, cachedInput: 2, cacheWrite: 0, output: 3))
    }

    @Test("one cached-input token at the cheapest published price is charged exactly")
    func oneCachedTokenIsExact() throws {
        let pricing = TokenPricing(
            standard: .init(
                input: try TokenPrice.parse("0.10").get(), cachedInput: try TokenPrice.parse("0.02").get(),
                output: try TokenPrice.parse("0.40").get()))
        let (tier, credits) = pricing.cost(of: TokenCounts(cachedInput: 1))
        #expect(tier == .standard)
        #expect(credits == AICredits(nanocredits: 2_000))
        #expect(credits.amount.description == "0.000002")
        let mixed = pricing.cost(of: TokenCounts(input: 1, cachedInput: 1, output: 1)).credits
        #expect(mixed == AICredits(nanocredits: 10_000 + 2_000 + 40_000))
        #expect(mixed.description == "0.000052")
    }
}

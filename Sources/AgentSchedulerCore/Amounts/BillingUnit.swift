/// What an organisation's budgets count (`billing:` in a policy, DESIGN §2.2 and §9).
public enum BillingUnit: String, Sendable, Hashable, Codable, CaseIterable {
    /// GitHub's legacy unit: one request × the model's multiplier, kept in thousandths.
    case premiumRequests = "premium-requests"
    /// GitHub AI Credits (US$0.01): tokens × the model's per-token prices, kept in billionths.
    case aiCredits = "ai-credits"

    /// The decimals an amount in this unit keeps.
    public var decimals: Int {
        switch self {
        case .premiumRequests: 3
        case .aiCredits: AICredits.decimals
        }
    }

    /// The decimals reports print: every premium-request amount is exact in three, credits are
    /// rounded to hundredths (the way GitHub's billing shows them).
    public var reportDecimals: Int {
        switch self {
        case .premiumRequests: 3
        case .aiCredits: 2
        }
    }

    /// The unit in words, plural: `premium requests`, `AI credits`.
    public var noun: String {
        switch self {
        case .premiumRequests: "premium requests"
        case .aiCredits: "AI credits"
        }
    }
}

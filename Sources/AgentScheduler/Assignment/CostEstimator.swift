import AgentSchedulerCore
import AgentSchedulerLedger
import AgentSchedulerRuntime

/// Estimates sessions' costs before any is spent (`assign --dry-run`): from the ledger's history
/// of the agent on the model when there is one, else from the profile's limits.
struct CostEstimator: Sendable {
    /// The completed sessions an estimate reads at most, newest first.
    static let historyDepth = 200

    var ledger: (any Ledger)?
    var defaults: SessionDefaults

    func estimate(
        profile: AgentProfile, model: ModelDefinition, policy: OrganizationPolicy
    ) async throws -> CostEstimate? {
        let unit = policy.billing
        if let ledger,
            let history = CostEstimate.history(
                try await ledger.completedSessionCosts(
                    agent: profile.handle, model: model.name, unit: unit, limit: Self.historyDepth),
                unit: unit)
        {
            return history
        }
        guard let bound = bound(profile: profile, model: model, policy: policy) else { return nil }
        return CostEstimate(unit: unit, median: bound, p90: bound, basis: .limits)
    }

    /// The most the profile's limits let one session spend; `nil` when the model has no price.
    private func bound(profile: AgentProfile, model: ModelDefinition, policy: OrganizationPolicy) -> Amount? {
        let turns = profile.limits.maxTurns ?? defaults.maxTurns
        switch policy.billing {
        case .premiumRequests:
            guard let multiplier = policy.models.multiplier(for: model) else { return nil }
            let bound = policy.chargesPerRequest ? multiplier.times(turns) : multiplier
            return (profile.limits.maxPremiumRequests.map { min($0, bound) } ?? bound).amount
        case .aiCredits:
            if let cap = profile.limits.maxAICredits { return cap.amount }
            guard let pricing = policy.models.pricing(for: model) else { return nil }
            // The opening prompt is the least every request sends; later turns send more.
            let opening = ModelRequest(model: model.name, messages: [.system(profile.prompt)])
                .promptTokenBound(framingPerMessage: model.framingTokensPerMessage)
            let outputs = min(profile.limits.maxOutputTokens ?? Int.max, model.outputTokenCap)
            let perRequest = pricing.worstCase(promptTokens: opening, outputTokens: outputs).credits
            return AICredits(nanocredits: perRequest.nanocredits.multipliedSaturating(by: Int64(turns))).amount
        }
    }
}

import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

extension Scheduler {
    /// Reclaims the leases of dead workers (their sessions become `interrupted`, their
    /// reservations are released) and moves `blocked` sessions back to `queued` as far as their
    /// budgets now have room. Returns whether any session became claimable, or the ledger's error.
    func housekeeping() async -> Result<Bool, any Error> {
        var changed = false
        do {
            let report = try await ledger.reclaimExpiredLeases(now: clock.now())
            if !report.isEmpty {
                changed = true
                await observer.observe(
                    .notice(
                        "reclaimed the lease of \(report.workers.map(\.rawValue).joined(separator: ", ")): "
                            + "\(report.interruptedSessions.count) sessions interrupted, "
                            + "\(report.releasedReservations.count) reservations released"))
            }
            changed = try await unblock() || changed
        } catch {
            logger.error("housekeeping failed", metadata: ["error": "\(error)"])
            return .failure(error)
        }
        return .success(changed)
    }

    /// Requeues blocked sessions, oldest first, while their start still fits every budget scope
    /// (counting the ones requeued in this pass), so a budget that reset or grew lets exactly as
    /// many through as it can pay for.
    private func unblock() async throws -> Bool {
        let blocked = try await ledger.sessions(in: [.blocked])
        guard !blocked.isEmpty else { return false }
        let workspace = await workspaces.workspace()
        guard let catalog = workspace.catalog else { return false }
        let now = clock.now()
        var pending: [ScopeKey: Amount] = [:]
        var usage: [ScopeKey: ScopeUsage] = [:]
        var requeued = 0
        for session in blocked {
            guard let policy = workspace.policy(named: session.org),
                let model = catalog.model(named: session.actualModel ?? session.model),
                let amount = Self.leastSpend(
                    of: session, model: model, under: policy, profile: workspace.team.profile(named: session.agent),
                    catalog: catalog)
            else { continue }
            let scopes = BudgetEngine.scopes(
                for: Spend(
                    policy: policy, session: session.id, user: session.assigner, agent: session.agent,
                    repository: session.repository, model: model.name, kind: .session,
                    sessionLimit: session.limit(in: policy.billing)),
                at: now)
            let unknown = scopes.filter { usage[$0.key] == nil }
            for (scope, figures) in zip(unknown, try await ledger.usage(of: unknown)) { usage[scope.key] = figures }
            let fits = scopes.allSatisfy { scope in
                guard let limit = scope.limit, let figures = usage[scope.key] else { return true }
                return figures.used + figures.reserved + pending[scope.key, default: .zero(scope.unit)] + amount
                    <= limit
            }
            guard fits else { continue }
            do {
                let record = try await ledger.transition(
                    session.id, to: .queued, reason: "budget available again", worker: nil, at: now)
                await observer.observe(.stateChanged(record, from: .blocked))
            } catch LedgerError.invalidTransition {
                continue  // another process moved it first
            }
            for scope in scopes { pending[scope.key, default: .zero(scope.unit)] += amount }
            requeued += 1
        }
        return requeued > 0
    }

    /// What a blocked session needs before it is worth requeueing: 1 × the multiplier, or under
    /// credits the worst case admission reserves (`SessionBilling.openingWorstCase`); `nil` when
    /// the model has no price in the unit, or the profile is gone.
    static func leastSpend(
        of session: SessionRecord, model: ModelDefinition, under policy: OrganizationPolicy, profile: AgentProfile?,
        catalog: ModelCatalog
    ) -> Amount? {
        switch policy.billing {
        case .premiumRequests:
            return policy.models.multiplier(for: model)?.amount
        case .aiCredits:
            guard let profile else { return nil }
            return SessionBilling.openingWorstCase(
                session, profile: profile, model: model, policy: policy, catalog: catalog)?.amount
        }
    }
}

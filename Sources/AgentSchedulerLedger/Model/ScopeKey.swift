import AgentSchedulerCore

/// The one name a budget total, a fair-share stamp or a concurrency count is kept under, written
/// here and nowhere else: `org:acme`, `user:acme/alice`, `agent:acme/reviewer`, `session:42`, each
/// with `@ai-credits` when it counts credits, so the two units never share a total.
public struct ScopeKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var kind: BudgetScope.Kind
    /// `acme`, `acme/alice`, `acme/reviewer`, or a session id: what `BudgetScope.name` holds.
    public var name: String
    public var unit: BillingUnit

    public init(kind: BudgetScope.Kind, name: String, unit: BillingUnit = .premiumRequests) {
        self.kind = kind
        self.name = name
        self.unit = unit
    }

    /// An organisation's budget.
    public static func org(_ org: String, unit: BillingUnit = .premiumRequests) -> ScopeKey {
        ScopeKey(kind: .org, name: org, unit: unit)
    }

    /// A user's allowance in an organisation.
    public static func user(_ user: String, in org: String, unit: BillingUnit = .premiumRequests) -> ScopeKey {
        ScopeKey(kind: .user, name: member(user, of: org), unit: unit)
    }

    /// An agent's cap in an organisation.
    public static func agent(_ agent: String, in org: String, unit: BillingUnit = .premiumRequests) -> ScopeKey {
        ScopeKey(kind: .agent, name: member(agent, of: org), unit: unit)
    }

    /// A session's own cap.
    public static func session(_ session: SessionID, unit: BillingUnit = .premiumRequests) -> ScopeKey {
        ScopeKey(kind: .session, name: "\(session)", unit: unit)
    }

    /// `ORG/NAME`: how a user or an agent is named within its organisation.
    public static func member(_ name: String, of org: String) -> String { "\(org)/\(name)" }

    /// The stored text: `KIND:NAME`, with `@UNIT` for any unit but premium requests.
    public var description: String {
        unit == .premiumRequests ? "\(kind.rawValue):\(name)" : "\(kind.rawValue):\(name)@\(unit.rawValue)"
    }

    public static func < (lhs: ScopeKey, rhs: ScopeKey) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let key = ScopeKey(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a scope key"))
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Reads a stored key back; `nil` for text no key is written as.
    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":"), let kind = BudgetScope.Kind(rawValue: String(text[..<colon]))
        else { return nil }
        var name = String(text[text.index(after: colon)...])
        var unit = BillingUnit.premiumRequests
        if let at = name.lastIndex(of: "@"), let named = BillingUnit(rawValue: String(name[name.index(after: at)...])) {
            unit = named
            name = String(name[..<at])
        }
        guard !name.isEmpty, unit != .premiumRequests || !text.hasSuffix("@\(BillingUnit.premiumRequests.rawValue)")
        else { return nil }
        self.init(kind: kind, name: name, unit: unit)
    }
}

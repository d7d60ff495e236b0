/// Picks the next session to claim: the organisation served least recently, then its user served
/// least recently, then that user's first session (in priority-then-age order) that fits the limits.
///
/// "Served" stamps come from a counter shared by every process (the ledger's `fair_share` table);
/// a name never served counts as served before everyone else. Ties go by name, so the order is
/// deterministic.
public struct FairShareQueue {
    /// A waiting session, as the queue sees it.
    public struct Candidate: Sendable, Hashable {
        public var id: SessionID
        public var org: String
        public var repository: String
        public var user: String

        public init(id: SessionID, org: String, repository: String, user: String) {
            self.id = id
            self.org = org
            self.repository = repository
            self.user = user
        }
    }

    /// Candidates by organisation, then user, each list in serving order.
    private var waiting: [String: [String: [Candidate]]] = [:]
    private var served: [String: Int64]
    private var counter: Int64
    /// Stamps set while picking, to be written back.
    public private(set) var changedStamps: [String: Int64] = [:]

    public init(candidates: [Candidate], served: [String: Int64]) {
        for candidate in candidates {
            waiting[candidate.org, default: [:]][candidate.user, default: []].append(candidate)
        }
        self.served = served
        counter = served.values.max() ?? 0
    }

    /// The stamp of an organisation's turn.
    public static func orgKey(_ org: String) -> String { ScopeKey.org(org).description }
    /// The stamp of a user's turn within the organisation.
    public static func userKey(_ org: String, _ user: String) -> String { ScopeKey.user(user, in: org).description }

    /// Takes the next candidate that `fits`, and marks its organisation and user as just served.
    public mutating func next(fitting fits: (Candidate) -> Bool) -> Candidate? {
        let orgs = waiting.keys.sorted { (served[Self.orgKey($0)] ?? 0, $0) < (served[Self.orgKey($1)] ?? 0, $1) }
        for org in orgs {
            guard let users = waiting[org] else { continue }
            let order = users.keys.sorted {
                (served[Self.userKey(org, $0)] ?? 0, $0) < (served[Self.userKey(org, $1)] ?? 0, $1)
            }
            for user in order {
                guard let index = users[user]?.firstIndex(where: fits) else { continue }
                let candidate = waiting[org]![user]!.remove(at: index)
                counter += 1
                for key in [Self.orgKey(org), Self.userKey(org, user)] {
                    served[key] = counter
                    changedStamps[key] = counter
                }
                return candidate
            }
        }
        return nil
    }
}

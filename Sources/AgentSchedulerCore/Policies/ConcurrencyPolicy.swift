/// How many of an organisation's sessions may run at once; `nil` is no limit.
public struct ConcurrencyPolicy: Sendable, Hashable, Codable {
    public var sessions: Int?
    public var perRepository: Int?
    public var perUser: Int?

    public init(sessions: Int? = nil, perRepository: Int? = nil, perUser: Int? = nil) {
        self.sessions = sessions
        self.perRepository = perRepository
        self.perUser = perUser
    }

    enum CodingKeys: String, CodingKey {
        case sessions
        case perRepository = "per-repo"
        case perUser = "per-user"
    }
}

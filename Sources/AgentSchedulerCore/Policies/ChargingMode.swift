/// When premium requests are charged.
public enum ChargingMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// 1 × multiplier when a session starts, and per steering message (as GitHub's coding agent bills).
    case perSession = "per-session"
    /// 1 × multiplier for every model request.
    case perRequest = "per-request"
}

import Foundation

/// A message for a running agent, sent with `sessions steer` from any process.
public struct SteeringMessage: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var session: SessionID
    public var message: String
    /// Who sent it, when known.
    public var sender: String?
    public var at: Date

    public init(id: Int64, session: SessionID, message: String, sender: String?, at: Date) {
        self.id = id
        self.session = session
        self.message = message
        self.sender = sender
        self.at = at
    }
}

/// Whether `execute` may reach the network: a profile asks with `execute: { network: allow }`,
/// and an organisation's policy permits it the same way (DESIGN §13). Both must say `allow`.
public enum NetworkAccess: String, Sendable, Hashable, Codable, CaseIterable {
    /// Loopback only (the default).
    case deny
    case allow
}

/// Every profile found in the workspace's agent folders, resolved.
public struct Team: Sendable, Hashable {
    /// Sorted by handle.
    public var profiles: [AgentProfile]

    public init(profiles: [AgentProfile]) {
        self.profiles = profiles.sorted { $0.handle < $1.handle }
    }

    /// The profile with this handle, or else with exactly this display name.
    public func profile(named name: String) -> AgentProfile? {
        profiles.first { $0.handle == name } ?? profiles.first { $0.name == name }
    }

    /// Handles and names, for "did you mean".
    public var allNames: [String] {
        profiles.flatMap { $0.name == $0.handle ? [$0.handle] : [$0.handle, $0.name] }
    }
}

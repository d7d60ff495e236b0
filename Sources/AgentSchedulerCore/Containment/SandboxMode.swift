/// How an organisation's sessions run their commands: `sandbox:` in its policy (DESIGN §13).
public enum SandboxMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// In bubblewrap; without a working one, `execute` is unavailable (the default).
    case bubblewrap
    /// Unconfined: `execute` and git run as agentsched's own processes would. Every session says
    /// so in its log; meant for machines that are sandboxes themselves (a throwaway VM, a container).
    case none
}

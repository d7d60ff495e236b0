/// How a session's commands — `execute`, and every git command on its repository — are contained
/// (DESIGN §13).
public enum Containment: Sendable, Hashable {
    /// In a bubblewrap sandbox; `network` is what `execute` gets (git never has a network).
    /// `hidden` lists folders to cover when they lie inside a system folder (see `Sandbox.hidden`).
    case sandbox(Bubblewrap, network: SandboxNetwork, hidden: [String])
    /// No sandbox could be had: `execute` is refused (and not offered). git on the session's
    /// repository runs unconfined with hooks off, which is safe only because without `execute`
    /// nothing an agent does can write into `.git`.
    case unavailable(SandboxUnavailable)
    /// The organisation's policy says `sandbox: none`: commands run unconfined. Say so in the
    /// session's log.
    case none

    /// The sandbox for a repository at `writable` borrowing objects from `readOnly`, or `nil`
    /// when commands run unconfined.
    public func sandbox(writable: String, readOnly: [String], forGit: Bool = false) -> Sandbox? {
        guard case .sandbox(let bubblewrap, let network, let hidden) = self else { return nil }
        return Sandbox(
            bubblewrap: bubblewrap, writable: writable, readOnly: readOnly, hidden: hidden,
            network: forGit ? .loopback : network)
    }

    /// Why `execute` may not run, or `nil` when it may.
    public var refusal: String? {
        guard case .unavailable(let reason) = self else { return nil }
        return "execute is unavailable: it runs only in a sandbox, and \(reason)"
    }
}

import Foundation

/// A repository as its forge describes it.
public struct ForgeRepository: Sendable, Hashable, Codable {
    /// `OWNER/NAME`.
    public var name: String
    /// The branch pull requests go to when the configuration names no `base-ref`.
    public var defaultBranch: String
    /// Where `git clone` fetches from: GitHub's `clone_url`, a `file://` URL, or a local path.
    public var cloneURL: String

    public init(name: String, defaultBranch: String, cloneURL: String) {
        self.name = name
        self.defaultBranch = defaultBranch
        self.cloneURL = cloneURL
    }
}

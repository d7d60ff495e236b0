import Foundation

extension Workspace {
    /// The local git repository `agentsched.yaml` gives `repository` (its `path`, relative to the
    /// workspace unless absolute), or `nil` when it has no path (a GitHub one, or none at all).
    public func localRepository(_ repository: String) -> URL? {
        guard let path = configuration.source(of: repository)?.path else { return nil }
        let absolute = path.hasPrefix("/") ? path : (root as NSString).appendingPathComponent(path)
        return URL(fileURLWithPath: absolute).standardizedFileURL
    }
}

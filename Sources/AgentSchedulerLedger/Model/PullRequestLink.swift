/// A pull request a session opened or added commits to, as its output: the forge's number and
/// where a person opens it (GitHub's `html_url`, or `local:OWNER/NAME#N` for a local one).
public struct PullRequestLink: Sendable, Hashable, Codable {
    public var number: Int
    public var url: String

    public init(number: Int, url: String) {
        self.number = number
        self.url = url
    }
}

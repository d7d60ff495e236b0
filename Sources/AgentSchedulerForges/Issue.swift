/// An issue to assign: its number, title, body and labels, in one repository.
public struct Issue: Sendable, Hashable, Codable {
    public var number: Int
    public var title: String
    public var body: String
    public var labels: [String]

    public init(number: Int, title: String = "", body: String = "", labels: [String] = []) {
        self.number = number
        self.title = title
        self.body = body
        self.labels = labels
    }
}

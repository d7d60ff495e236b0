/// One item of a session's checklist.
public struct TodoItem: Sendable, Hashable, Codable {
    /// 1, 2, 3, … in the order items were added; never reused.
    public var id: Int
    public var text: String
    public var isDone: Bool

    public init(id: Int, text: String, isDone: Bool = false) {
        self.id = id
        self.text = text
        self.isDone = isDone
    }
}

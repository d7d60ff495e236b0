/// A session's own checklist, kept by the `todo` tool: items added, completed and listed.
///
/// An actor, since a session's tool calls may run concurrently.
public actor TodoList {
    public private(set) var items: [TodoItem]

    public init(items: [TodoItem] = []) {
        self.items = items
    }

    /// Adds an item and returns it with its id.
    @discardableResult
    public func add(_ text: String) -> TodoItem {
        let item = TodoItem(id: (items.map(\.id).max() ?? 0) + 1, text: text)
        items.append(item)
        return item
    }

    /// Marks the item done and returns it; `nil` when no item has that id.
    @discardableResult
    public func complete(_ id: Int) -> TodoItem? {
        guard let index = items.firstIndex(where: { $0.id == id }) else { return nil }
        items[index].isDone = true
        return items[index]
    }

    /// The list as the model sees it: `1. [x] Write the parser`, one item a line.
    public var rendered: String {
        guard !items.isEmpty else { return "The checklist is empty." }
        let done = items.filter(\.isDone).count
        return items.map { "\($0.id). [\($0.isDone ? "x" : " ")] \($0.text)" }.joined(separator: "\n")
            + "\n(\(done) of \(items.count) done)"
    }
}

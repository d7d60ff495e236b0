import Foundation
import Testing

@testable import AgentSchedulerRuntime

struct ToolTodoTests {
    @Test func addsCompletesAndLists() async throws {
        let sandbox = try ToolSandbox()
        let context = sandbox.context()
        let first = await sandbox.call("todo", #"{"action": "add", "text": "Write the parser"}"#, in: context)
        #expect(first.output == "Added 1.\n1. [ ] Write the parser\n(0 of 1 done)")
        _ = await sandbox.call("todo", #"{"action": "add", "text": "  Test it  "}"#, in: context)
        let done = await sandbox.call("todo", #"{"action": "complete", "id": 1}"#, in: context)
        #expect(done.output == "Completed 1.\n1. [x] Write the parser\n2. [ ] Test it\n(1 of 2 done)")
        let list = await sandbox.call("todo", #"{"action": "list"}"#, in: context)
        #expect(list.output == "1. [x] Write the parser\n2. [ ] Test it\n(1 of 2 done)")
        #expect(await context.todos.items.map(\.isDone) == [true, false])
    }

    @Test(arguments: [
        (#"{"action": "add"}"#, "add needs 'text'"),
        (#"{"action": "add", "text": "   "}"#, "add needs 'text'"),
        (#"{"action": "add", "text": "x", "id": 2}"#, "add takes 'text' only"),
        (#"{"action": "complete"}"#, "complete needs 'id'"),
        (#"{"action": "complete", "id": 9}"#, "there is no item 9"),
        (#"{"action": "complete", "id": "1"}"#, "argument 'id' must be an integer, not a string"),
        (#"{"action": "remove"}"#, "argument 'action' must be one of add, complete, list; got 'remove'"),
        (#"{"text": "x"}"#, "missing required argument 'action'"),
        (#"{"action": "list", "id": 1}"#, "list takes no 'text' or 'id'"),
        (#"["add"]"#, "todo takes a JSON object of arguments, not an array"),
    ])
    func refusesBadCalls(arguments: String, message: String) async throws {
        let sandbox = try ToolSandbox()
        let result = await sandbox.call("todo", arguments)
        #expect(result.isError)
        #expect(result.output.contains(message), "\(result.output)")
    }

    @Test func doesNotCreateTheWorktree() async throws {
        let repository = URL(fileURLWithPath: "/nonexistent-repository")
        let worktree = LazyWorktree(
            repository: repository, baseRef: nil, branch: "b", at: URL(fileURLWithPath: "/tmp/x"), containment: .none)
        let context = ToolContext(worktree: worktree)
        let result = await Toolbox(tools: .all, permission: .write).call(
            ToolCall(id: "1", name: "todo", arguments: #"{"action": "list"}"#), in: context)
        #expect(result.output == "The checklist is empty.")
        #expect(await !worktree.isCreated)
    }
}

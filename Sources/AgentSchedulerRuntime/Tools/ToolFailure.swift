/// A tool's failure inside its own code: thrown (typed) and turned into an error `ToolResult` at
/// the tool's edge.
struct ToolFailure: Error, Sendable {
    var message: String
    var refusal: ToolRefusal?

    init(_ message: String) {
        self.message = message
    }

    init(refusal: ToolRefusal) {
        self.message = refusal.message
        self.refusal = refusal
    }

    var result: ToolResult {
        refusal.map(ToolResult.refused) ?? .failure(message)
    }
}

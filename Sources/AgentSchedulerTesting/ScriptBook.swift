import Synchronization

/// The scripts of a fake model server and what it has received, safe to use from any task.
///
/// Each script key has its own steps, position, tool-call counter and record of requests; `nil` is the default
/// script. Every method holds the lock only briefly, so that concurrent requests never wait on one another.
final class ScriptBook: Sendable {
    /// A reply with the ids its tool calls were given.
    struct Reply: Sendable {
        var text: String?
        var toolCalls: [(id: String, call: FakeToolCall)]
        var usage: FakeUsage = .reported
    }

    /// What one request is to receive.
    enum Turn: Sendable {
        case reply(Reply)
        case fault(FakeModelStep)
    }

    private struct Script {
        var steps: [FakeModelStep] = []
        var position = 0
        /// Each conversation plays the steps from the first, by its number of assistant messages.
        var perConversation = false
        var toolCallsMade = 0
        var requests: [FakeModelRequest] = []
    }

    private let state = Mutex<[String?: Script]>([:])
    private let requestsSeen = Atomic<Int>(0)

    /// A number unique to each request the server receives, counting from 1.
    func nextNumber() -> Int {
        requestsSeen.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// Replaces the steps of the script `key` and starts it from the first step; its record and tool-call
    /// counter are kept.
    func setSteps(_ steps: [FakeModelStep], for key: String?) {
        state.withLock {
            $0[key, default: Script()].steps = steps
            $0[key, default: Script()].position = 0
            $0[key, default: Script()].perConversation = false
        }
    }

    /// Makes every conversation of `key` play `steps` from the first: a request gets the step at
    /// the index of its number of assistant messages, however requests of different conversations
    /// interleave.
    func setConversationSteps(_ steps: [FakeModelStep], for key: String?) {
        state.withLock {
            $0[key, default: Script()].steps = steps
            $0[key, default: Script()].position = 0
            $0[key, default: Script()].perConversation = true
        }
    }

    /// Adds steps to the end of the script `key`.
    func appendSteps(_ steps: [FakeModelStep], for key: String?) {
        state.withLock { $0[key, default: Script()].steps.append(contentsOf: steps) }
    }

    /// Records a request that does not reach the script.
    func record(_ request: FakeModelRequest) {
        state.withLock { $0[request.key, default: Script()].requests.append(request) }
    }

    /// Records `request`, consumes the next step of its script and gives any tool calls their ids.
    func takeTurn(for request: FakeModelRequest) -> Turn {
        state.withLock { scripts in
            // Moved out and back, not copied: a copy would duplicate the record of every request.
            var script = scripts.removeValue(forKey: request.key) ?? Script()
            let step: FakeModelStep
            if script.perConversation {
                let turn = request.json?["messages"]?.arrayValue?.count { $0["role"]?.stringValue == "assistant" } ?? 0
                step = turn < script.steps.count ? script.steps[turn] : .afterScript
            } else if script.position < script.steps.count {
                step = script.steps[script.position]
                script.position += 1
            } else {
                step = .afterScript
            }
            var recorded = request
            recorded.step = step
            script.requests.append(recorded)
            let turn: Turn
            if case .reply(let text, let calls, let usage) = step {
                var identified: [(id: String, call: FakeToolCall)] = []
                for call in calls {
                    script.toolCallsMade += 1
                    identified.append((id: "call_\(script.toolCallsMade)", call: call))
                }
                turn = .reply(Reply(text: text, toolCalls: identified, usage: usage))
            } else {
                turn = .fault(step)
            }
            scripts[request.key] = script
            return turn
        }
    }

    /// The requests received for `key`, oldest first.
    func requests(for key: String?) -> [FakeModelRequest] {
        state.withLock { $0[key]?.requests ?? [] }
    }

    /// The number of steps of `key` not yet consumed.
    func remainingSteps(for key: String?) -> Int {
        state.withLock { scripts in
            scripts[key].map { $0.steps.count - $0.position } ?? 0
        }
    }
}

import AgentSchedulerCore
import Foundation
import Testing

@testable import AgentSchedulerRuntime

@Suite("Chat Completions streams as different servers send them")
struct OpenAIStreamTests {
    static func stream(_ text: String) -> AsyncThrowingStream<Data, any Error> {
        AsyncThrowingStream { continuation in
            continuation.yield(Data(text.utf8))
            continuation.finish()
        }
    }

    @Test("OpenAI: tool call deltas by index, arguments in pieces, usage in a last chunk, then [DONE]")
    func openAIShape() async throws {
        let body = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"On it."}}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"read","arguments":""}}]}}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"path\\":"}}]}}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"a.txt\\"}"}}]}}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

            data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}

            data: [DONE]


            """
        let response = try await OpenAIClient.readStream(Self.stream(body), attempt: 1)
        #expect(
            response.message
                == .assistant(
                    "On it.", toolCalls: [ToolCall(id: "call_a", name: "read", arguments: #"{"path":"a.txt"}"#)]))
        #expect(response.usage == TokenUsage(input: 12, output: 7))
        #expect(response.finishReason == "tool_calls")
    }

    @Test("Ollama-style: a whole tool call in one delta, no index, arguments as an object, no [DONE]")
    func localServerShape() async throws {
        let body = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"","tool_calls":[{"id":"call_x","function":{"name":"search","arguments":{"pattern":"TODO","glob":"*.swift"}}}]}}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}


            """
        let response = try await OpenAIClient.readStream(Self.stream(body), attempt: 1)
        let call = try #require(response.message.toolCalls.first)
        #expect(call.id == "call_x" && call.name == "search")
        let arguments = try JSONDecoder().decode(JSONValue.self, from: Data(call.arguments.utf8))
        #expect(arguments["pattern"] == .string("TODO"))
        #expect(arguments["glob"] == .string("*.swift"))
        #expect(response.usage == TokenUsage(input: 3, output: 2))
    }

    @Test("a stream that ends without [DONE] or a finish reason is truncated")
    func truncated() async throws {
        let body = """
            data: {"choices":[{"index":0,"delta":{"content":"Half an ans"}}]}


            """
        await #expect(
            throws: ProviderFailure(.malformed("the stream ended before the answer was complete"), attempt: 3)
        ) {
            _ = try await OpenAIClient.readStream(Self.stream(body), attempt: 3)
        }
    }

    @Test("a non-JSON chunk is a malformed response")
    func notJSON() async throws {
        await #expect(throws: ProviderFailure.self) {
            _ = try await OpenAIClient.readStream(Self.stream("data: <html>\n\n"), attempt: 1)
        }
    }
}

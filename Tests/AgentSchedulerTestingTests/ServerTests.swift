import AgentSchedulerTesting
import Foundation
import Testing

/// Scripts, routing, recording and concurrency of the fake model server.
@Suite("Fake model server")
struct ServerTests {
    @Test(
        "Two hundred concurrent requests, each with its own script and 50 ms latency, all get their answers",
        .timeLimit(.minutes(3)))
    func concurrency() async throws {
        try await FakeModelServer.withServer(latency: .milliseconds(50)) { server in
            for index in 0..<200 {
                server.setScript([.text("answer \(index)")], for: "session-\(index)")
            }
            let answers = try await withThrowingTaskGroup(of: (Int, FakeJSON).self) { group in
                for index in 0..<200 {
                    let provider: TestClient.Provider = index.isMultiple(of: 2) ? .openAI : .anthropic
                    let base = server.baseURL(for: "session-\(index)")
                    group.addTask { (index, try await TestClient.postJSON(provider, provider.body(), to: base)) }
                }
                return try await group.reduce(into: [Int: FakeJSON]()) { $0[$1.0] = $1.1 }
            }
            #expect(answers.count == 200)
            for (index, answer) in answers {
                let text =
                    index.isMultiple(of: 2)
                    ? answer["choices"]?[0]?["message"]?["content"] : answer["content"]?[0]?["text"]
                #expect(text?.stringValue == "answer \(index)")
                #expect(server.attempts(for: "session-\(index)") == 1)
            }
        }
    }

    @Test("Requests without a prefix play the default script, and every script answers done once it runs out")
    func defaultScript() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.text("one")])
            server.appendScript([.text("two")])
            var texts: [FakeJSON?] = []
            for _ in 0..<3 {
                let answer = try await TestClient.postJSON(
                    .openAI, TestClient.Provider.openAI.body(), to: server.baseURL())
                texts.append(answer["choices"]?[0]?["message"]?["content"])
            }
            #expect(texts == ["one", "two", "done"])
            #expect(server.attempts() == 3)
            #expect(server.requests().map(\.step) == [.text("one"), .text("two"), FakeModelStep.afterScript])
        }
    }

    @Test("Every request is recorded with its key, path, headers and decoded body")
    func recording() async throws {
        try await FakeModelServer.withServer { server in
            let body: FakeJSON = [
                "model": "gpt-test",
                "messages": [
                    ["role": "system", "content": "You are terse."],
                    ["role": "user", "content": "Read a"],
                    [
                        "role": "assistant", "content": nil,
                        "tool_calls": [
                            ["id": "call_7", "type": "function", "function": ["name": "read_file", "arguments": "{}"]]
                        ],
                    ],
                    ["role": "tool", "tool_call_id": "call_7", "content": "contents of a"],
                ],
                "tools": [["type": "function", "function": ["name": "read_file", "parameters": ["type": "object"]]]],
            ]
            _ = try await TestClient.postJSON(.openAI, body, to: server.baseURL(for: "agent 7"))
            _ = try await TestClient.post(.openAI, body, to: server.baseURL(for: "agent 7"), path: "v1/embeddings")

            let recorded = server.requests(for: "agent 7")
            #expect(recorded.count == 2)
            let first = try #require(recorded.first)
            #expect(first.method == "POST")
            #expect(first.api == .openAIChatCompletions)
            #expect(first.header("authorization") == "Bearer sk-test")
            #expect(first.json?["messages"]?[0]?["content"] == "You are terse.")
            #expect(first.json?["messages"]?[3]?["content"] == "contents of a")
            #expect(first.json == body)
            #expect(first.body == body.encoded)
            #expect(recorded[1].api == nil)
            #expect(recorded[1].step == nil)
            #expect(server.attempts(for: "agent 7") == 2)
            #expect(server.attempts() == 0)
        }
    }

    @Test("An unknown path is a 404 in OpenAI's error shape")
    func unknownPath() async throws {
        try await FakeModelServer.withServer { server in
            let (data, response) = try await TestClient.post(
                .openAI, TestClient.Provider.openAI.body(), to: server.baseURL(), path: "v1/completions")
            #expect(response.statusCode == 404)
            #expect(FakeJSON(data: data)?["error"]?["type"] == "invalid_request_error")
        }
    }

    @Test("The server listens only on 127.0.0.1, on a port the system chose")
    func address() async throws {
        try await FakeModelServer.withServer { server in
            #expect(server.listeningPort != 0)
            #expect(server.baseURL().absoluteString == "http://127.0.0.1:\(server.listeningPort)")
            #expect(
                server.baseURL(for: "a b").absoluteString == "http://127.0.0.1:\(server.listeningPort)/sessions/a%20b")
        }
    }
}

extension ServerTests {
    @Test("Every answer closes its connection, so that read-to-end clients finish and no request is retried")
    func closesConnections() async throws {
        try await FakeModelServer.withServer { server in
            server.setScript([.text("first"), .truncatedStream])
            let body = TestClient.Provider.openAI.body().encodedText
            let request =
                "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            let answer = try await RawHTTPClient.exchange(request, port: server.listeningPort)
            #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(answer.contains("\r\nConnection: close\r\n"))
            #expect(answer.hasSuffix(#""total_tokens":5}}"#))
            let truncated = try await RawHTTPClient.exchange(request, port: server.listeningPort)
            #expect(truncated.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(!truncated.hasSuffix("}}"))
        }
    }
}

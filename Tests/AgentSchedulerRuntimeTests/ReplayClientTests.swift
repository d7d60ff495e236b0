import AgentSchedulerCore
import Foundation
import Testing

@testable import AgentSchedulerRuntime

@Suite("Replay transcripts")
struct ReplayClientTests {
    static func folder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString)")
        for (name, text) in files {
            let file = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return folder
    }

    static let transcript = """
        responses:
          - content: Reading the parser first.
            tool_calls:
              - name: read
                arguments: { path: Sources/Parser.swift, start_line: 1, end_line: 40 }
          - tool_calls:
              - { name: edit, arguments: { path: a.txt, old_string: "x", new_string: "y" } }
          - content: Fixed.
        """

    @Test(
        "the transcript is chosen by agent and issue (a follow-up's first), else agent, else default",
        arguments: [
            ("implementer", 12, false, "specific"), ("implementer", 13, false, "agent"),
            ("reviewer", 12, false, "default"), ("implementer", 12, true, "follow-up"),
            ("implementer", 13, true, "agent"),
        ])
    func choice(agent: String, issue: Int, followUp: Bool, expected: String) async throws {
        let folder = try Self.folder([
            "implementer/12.follow-up.yaml": "responses: [{content: follow-up}]",
            "implementer/12.yaml": "responses: [{content: specific}]",
            "implementer.yaml": "responses: [{content: agent}]",
            "default.yaml": "responses: [{content: default}]",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let response = try await ReplayClient(transcripts: folder).send(
            ModelRequest(model: "replay", messages: [.user("go")], agent: agent, issue: issue, isFollowUp: followUp),
            attempt: 1)
        #expect(response.message.content == expected)
    }

    @Test("each request answers the turn after the assistant turns already in the conversation")
    func turns() async throws {
        let folder = try Self.folder(["default.yaml": Self.transcript])
        defer { try? FileManager.default.removeItem(at: folder) }
        let client = ReplayClient(transcripts: folder)
        var messages: [ChatMessage] = [.system("s"), .user("go")]
        let first = try await client.send(ModelRequest(model: "r", messages: messages), attempt: 1)
        #expect(first.message.content == "Reading the parser first.")
        #expect(
            first.message.toolCalls == [
                ToolCall(
                    id: "replay_1_1", name: "read",
                    arguments: #"{"path":"Sources/Parser.swift","start_line":1,"end_line":40}"#)
            ])
        messages += [first.message, .tool("…", answering: "replay_1_1")]
        let second = try await client.send(ModelRequest(model: "r", messages: messages), attempt: 1)
        #expect(second.message.toolCalls.map(\.name) == ["edit"])
        messages += [second.message, .tool("…", answering: "replay_2_1")]
        let third = try await client.send(ModelRequest(model: "r", messages: messages), attempt: 1)
        #expect(third.message == .assistant("Fixed."))
        messages.append(third.message)
        let past = try await client.send(ModelRequest(model: "r", messages: messages), attempt: 1)
        #expect(past.message.content == "The recorded session ends here.")
    }

    @Test("a missing or malformed transcript is a clear bad request")
    func badTranscripts() async throws {
        let folder = try Self.folder(["broken.yaml": "responses: [{contnet: x}]"])
        defer { try? FileManager.default.removeItem(at: folder) }
        await #expect(throws: ProviderFailure.self) {
            _ = try await ReplayClient(transcripts: folder).send(ModelRequest(model: "r", messages: []), attempt: 1)
        }
        do {
            _ = try await ReplayClient(transcripts: folder).send(
                ModelRequest(model: "r", messages: [], agent: "broken"), attempt: 1)
            Issue.record("a malformed transcript was accepted")
        } catch let failure as ProviderFailure {
            #expect(failure.description.contains("unknown key 'contnet' in a response"))
            #expect(failure.description.contains("broken.yaml:1:"))
        }
    }
}

extension ReplayClientTests {
    @Test("the shipped default transcript parses, and every tool it names exists with valid arguments")
    func shippedTranscript() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let turns = try ReplayClient.turns(in: root.appendingPathComponent("examples/transcripts/default.yaml"))
        #expect(turns.count == 3)
        #expect(turns.last?.toolCalls.isEmpty == true)
        let toolbox = Toolbox(tools: .all, permission: .readOnly)
        for call in turns.flatMap(\.toolCalls) {
            #expect(await toolbox.refusal(for: call.name) == nil, "\(call.name)")
            #expect(try JSONDecoder().decode(JSONValue.self, from: Data(call.arguments.utf8)) != .null)
        }
    }
}

import AgentSchedulerCore
import Foundation

/// Answers from recorded transcripts, offline (DESIGN §2.3): the tools they name really run.
///
/// A transcript is YAML: `responses:` lists the assistant turns in order, each with `content:`
/// and/or `tool_calls: [{name, arguments}]`. The file is `TRANSCRIPTS/AGENT/ISSUE.yaml`, else
/// `TRANSCRIPTS/AGENT.yaml`, else `TRANSCRIPTS/default.yaml`; a follow-up session looks for
/// `TRANSCRIPTS/AGENT/ISSUE.follow-up.yaml` first. The turn answered is the number of
/// assistant turns already in the conversation, so a resumed session picks up where it stopped.
public struct ReplayClient: ModelClient {
    public var transcripts: URL

    public init(transcripts: URL) {
        self.transcripts = transcripts
    }

    public func send(_ request: ModelRequest, attempt: Int) async throws -> ModelResponse {
        let file = try transcriptFile(agent: request.agent, issue: request.issue, followUp: request.isFollowUp)
        let turns = try Self.turns(in: file)
        let index = request.messages.count { $0.role == .assistant }
        let prompt = request.messages.reduce(0) { $0 + $1.content.count }
        guard index < turns.count else {
            return ModelResponse(
                message: .assistant("The recorded session ends here."),
                usage: TokenUsage(input: prompt / 4, output: min(8, request.maxTokens)),
                finishReason: "stop")
        }
        var message = turns[index]
        message.toolCalls = message.toolCalls.enumerated().map { position, call in
            ToolCall(id: "replay_\(index + 1)_\(position + 1)", name: call.name, arguments: call.arguments)
        }
        return ModelResponse(
            message: message,
            usage: TokenUsage(input: prompt / 4, output: min(max(1, message.content.count / 4), request.maxTokens)),
            finishReason: message.toolCalls.isEmpty ? "stop" : "tool_calls")
    }

    func transcriptFile(agent: String?, issue: Int?, followUp: Bool = false) throws -> URL {
        var candidates: [URL] = []
        if let agent {
            if let issue, followUp {
                candidates.append(transcripts.appendingPathComponent("\(agent)/\(issue).follow-up.yaml"))
            }
            if let issue { candidates.append(transcripts.appendingPathComponent("\(agent)/\(issue).yaml")) }
            candidates.append(transcripts.appendingPathComponent("\(agent).yaml"))
        }
        candidates.append(transcripts.appendingPathComponent("default.yaml"))
        guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw ProviderFailure(
                .badRequest(
                    status: 404,
                    message: "no transcript: looked for \(candidates.map(\.path).joined(separator: ", "))"))
        }
        return file
    }

    /// The assistant turns of a transcript file.
    static func turns(in file: URL) throws -> [ChatMessage] {
        let source: SourceText
        let root: YAMLNode?
        do {
            source = try SourceText.read(path: file.path)
            var composer = YAMLComposer(path: file.path)
            root = try composer.compose(source.text)
        } catch {
            throw ProviderFailure(.badRequest(status: 422, message: "\(error)"))
        }
        func refuse(_ node: YAMLNode, _ message: String) -> ProviderFailure {
            ProviderFailure(.badRequest(status: 422, message: "\(node.location): error: \(message)"))
        }
        guard let root, case .mapping(let pairs) = root.content,
            let responses = pairs.first(where: { $0.key.scalar?.string == "responses" })?.value,
            case .sequence(let items) = responses.content
        else {
            throw ProviderFailure(
                .badRequest(status: 422, message: "\(file.path): a transcript needs 'responses:' (a list)"))
        }
        return try items.map { item in
            guard case .mapping(let fields) = item.content else { throw refuse(item, "a response is a mapping") }
            var message = ChatMessage.assistant("")
            for field in fields {
                switch field.key.scalar?.string {
                case "content": message.content = field.value.scalar?.string ?? ""
                case "tool_calls":
                    guard case .sequence(let calls) = field.value.content else {
                        throw refuse(field.value, "'tool_calls' is a list")
                    }
                    message.toolCalls = try calls.map { call in
                        guard case .mapping(let parts) = call.content,
                            let name = parts.first(where: { $0.key.scalar?.string == "name" })?.value.scalar?.string
                        else { throw refuse(call, "a tool call needs 'name'") }
                        let arguments = parts.first { $0.key.scalar?.string == "arguments" }?.value
                        let json = arguments.map(JSONValue.init) ?? .object([])
                        let text = json.stringValue ?? json.jsonText
                        return ToolCall(id: "", name: name, arguments: text)
                    }
                default: throw refuse(field.key, "unknown key '\(field.key.scalar?.string ?? "")' in a response")
                }
            }
            return message
        }
    }
}

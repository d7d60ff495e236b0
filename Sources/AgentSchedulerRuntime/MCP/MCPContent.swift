import Foundation
import MCP

/// A `tools/call` result as text for the model: text parts as they are, other content summarised
/// with its type and size.
enum MCPContent {
    static func text(of result: CallTool.Result) -> String {
        var parts = result.content.map(describe)
        if parts.isEmpty, let structured = result.structuredContent,
            let data = try? JSONEncoder().encode(structured)
        {
            parts.append(String(decoding: data, as: UTF8.self))
        }
        return parts.joined(separator: "\n")
    }

    static func describe(_ content: MCP.Tool.Content) -> String {
        switch content {
        case .text(let text, _, _):
            return text
        case .image(let data, let mimeType, _, _):
            return "[image: \(mimeType), \(size(base64: data)); not shown]"
        case .audio(let data, let mimeType, _, _):
            return "[audio: \(mimeType), \(size(base64: data)); not shown]"
        case .resource(let resource, _, _):
            let type = resource.mimeType.map { ", \($0)" } ?? ""
            if let text = resource.text { return "[resource \(resource.uri)\(type)]\n\(text)" }
            return "[resource \(resource.uri)\(type), \(size(base64: resource.blob ?? "")); not shown]"
        case .resourceLink(let uri, let name, _, _, let mimeType, _):
            return "[resource link: \(name) <\(uri)>\(mimeType.map { ", \($0)" } ?? "")]"
        }
    }

    /// The decoded size of base64 text.
    private static func size(base64 text: String) -> String {
        let padding = text.hasSuffix("==") ? 2 : text.hasSuffix("=") ? 1 : 0
        return ToolOutput.size(max(0, text.count / 4 * 3 - padding))
    }
}

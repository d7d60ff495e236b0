import Foundation

/// One server-sent event: its `event:` name (if any) and its `data:` lines joined by newlines.
public struct SSEEvent: Sendable, Hashable {
    public var event: String?
    public var data: String
}

/// Splits a `text/event-stream` body into events as bytes arrive, in pieces of any size.
public struct SSEParser: Sendable {
    private var buffer: [UInt8] = []
    private var event: String?
    private var data: [String] = []

    public init() {}

    /// The events completed by `chunk`.
    public mutating func feed(_ chunk: Data) -> [SSEEvent] {
        buffer.append(contentsOf: chunk)
        var events: [SSEEvent] = []
        var start = 0
        while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
            var line = buffer[start..<newline]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            start = newline + 1
            if line.isEmpty {
                if !data.isEmpty || event != nil {
                    events.append(SSEEvent(event: event, data: data.joined(separator: "\n")))
                }
                event = nil
                data = []
                continue
            }
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix(":") { continue }  // a comment
            let (field, value) = Self.split(text)
            switch field {
            case "event": event = value
            case "data": data.append(value)
            default: continue
            }
        }
        buffer.removeFirst(start)
        return events
    }

    /// Whether bytes of an unfinished event are still waiting.
    public var hasPartialEvent: Bool { !buffer.isEmpty || !data.isEmpty }

    private static func split(_ line: String) -> (String, String) {
        guard let colon = line.firstIndex(of: ":") else { return (line, "") }
        var value = line[line.index(after: colon)...]
        if value.first == " " { value = value.dropFirst() }
        return (String(line[..<colon]), String(value))
    }
}

import Foundation

/// Server-Sent Events as a client reads them (the WHATWG `text/event-stream` format): fed bytes
/// as they arrive, it hands back each complete event.
///
/// Comment lines (`: keep-alive`) and `retry:` are skipped; `id:` and `data:` are kept (several
/// `data:` lines join with newlines); an event ends at a blank line.
public struct ServerSentEvents: Sendable {
    /// One event of the stream.
    public struct Event: Sendable, Hashable {
        public var id: String?
        public var event: String?
        public var data: String
    }

    private var pending = Data()
    private var id: String?
    private var event: String?
    private var data: [String] = []
    /// Comment lines seen so far (keep-alives).
    public private(set) var comments = 0

    public init() {}

    /// Adds `bytes` and returns the events they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Event] {
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
            pending.removeSubrange(pending.startIndex...newline)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty {
                if !data.isEmpty { events.append(Event(id: id, event: event, data: data.joined(separator: "\n"))) }
                data = []
                event = nil
                continue
            }
            if line.hasPrefix(":") {
                comments += 1
                continue
            }
            let (field, value) = Self.split(line)
            switch field {
            case "id": id = value
            case "event": event = value
            case "data": data.append(value)
            default: break
            }
        }
        return events
    }

    private static func split(_ line: String) -> (String, String) {
        guard let colon = line.firstIndex(of: ":") else { return (line, "") }
        var value = line[line.index(after: colon)...]
        if value.hasPrefix(" ") { value = value.dropFirst() }
        return (String(line[..<colon]), String(value))
    }
}

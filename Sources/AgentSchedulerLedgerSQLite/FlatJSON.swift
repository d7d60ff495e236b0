import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation

/// JSON for the flat string maps of event data: keys sorted, written through `JSONValue` (no
/// encoder setup on the hot path, where every reservation records an event), read back with Foundation.
enum FlatJSON {
    static func encode(_ map: [String: String]) -> String {
        JSONValue.object(map.keys.sorted().map { (key: $0, value: .string(map[$0]!)) }).jsonText
    }

    static func decode(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}

import AgentSchedulerCore
import Foundation

extension Browser {
    /// One message of the browser's console log: `console.*` calls, uncaught script errors,
    /// failed loads and Content-Security-Policy violations.
    public struct ConsoleMessage: Sendable, Hashable, CustomStringConvertible {
        /// chromedriver's level: `SEVERE` (errors, CSP violations), `WARNING`, `INFO`, `DEBUG`.
        public var level: String
        /// The text, prefixed by chromedriver with where it came from (`URL LINE:COLUMN "text"`).
        public var message: String
        /// Where it came from: `console-api`, `javascript`, `network`, `security`, ….
        public var source: String?

        public var description: String { "\(level) \(source ?? "-"): \(message)" }
    }

    /// The console messages logged since the last call (chromedriver hands each out once), through
    /// its `POST /session/ID/se/log` extension.
    ///
    /// A page that ran cleanly logs no `SEVERE` message; a blocked inline script logs a `SEVERE`
    /// one about the Content Security Policy.
    public func consoleMessages() async throws -> [ConsoleMessage] {
        let entries = try await command(.POST, "/se/log", .object([("type", .string("browser"))]))
        guard case .array(let entries) = entries else {
            throw BrowserError.badResponse(command: "POST /se/log", status: 200, detail: "not an array")
        }
        return entries.map { entry in
            ConsoleMessage(
                level: entry["level"]?.stringValue ?? "", message: entry["message"]?.stringValue ?? "",
                source: entry["source"]?.stringValue)
        }
    }
}

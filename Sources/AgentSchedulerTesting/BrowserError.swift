import Foundation

/// Why a ``Browser`` command failed.
///
/// A WebDriver error (`{"value": {"error", "message"}}`) keeps its code, so a test can tell
/// `no such element` from a broken session: `catch BrowserError.webDriver(let code, _, _) where
/// code == "no such element"`. Every case reads as one line naming the command and what went wrong.
public enum BrowserError: Error, Sendable, CustomStringConvertible {
    /// chromedriver answered `command` with a WebDriver error: its `error` code (`no such element`,
    /// `no such alert`, `unexpected alert open`, `javascript error`, …) and `message`.
    case webDriver(code: String, message: String, command: String)
    /// chromedriver's answer to `command` was not the WebDriver JSON it should be.
    case badResponse(command: String, status: Int, detail: String)
    /// `what` was still not so after `timeout`; `lastError` is what the condition last threw.
    case timedOut(waiting: String, timeout: Duration, lastError: String?)
    /// chromedriver or Chromium did not start; `detail` holds what chromedriver logged.
    case didNotStart(detail: String)
    /// The browser was used after ``Browser/close()``.
    case closed
    /// chromedriver or Chromium is not installed where the tests look.
    case missing(String)
    /// `select(value:)` found no `<option>` with that value.
    case noSuchOption(value: String)

    /// The WebDriver error code, for a ``webDriver(code:message:command:)`` error.
    public var webDriverCode: String? {
        if case .webDriver(let code, _, _) = self { return code }
        return nil
    }

    public var description: String {
        switch self {
        case .webDriver(let code, let message, let command):
            // chromedriver's message repeats the code and appends the session's Chrome version.
            let firstLine = message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? message
            return "WebDriver \(command): \(code): \(firstLine)"
        case .badResponse(let command, let status, let detail):
            return "WebDriver \(command): unexpected answer (HTTP \(status)): \(detail)"
        case .timedOut(let what, let timeout, let lastError):
            return "timed out after \(timeout) waiting for \(what)" + (lastError.map { " (last error: \($0))" } ?? "")
        case .didNotStart(let detail):
            return "the browser did not start: \(detail)"
        case .closed:
            return "the browser was used after close()"
        case .missing(let what):
            return what
        case .noSuchOption(let value):
            return "no <option value=\"\(value)\"> in the <select>"
        }
    }
}

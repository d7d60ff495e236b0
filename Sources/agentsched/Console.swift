import AgentSchedulerCore
import Foundation
import Synchronization

/// Writes to standard output and standard error: the printing layer.
///
/// Everything printed is redacted by the process's redactor (`install(_:)`, done once by the
/// composition root). Text for people (`output`, `error`) also has its control characters made
/// visible (`TerminalText`), so hostile issue titles, model answers and tool output cannot drive the
/// terminal; machine formats (`exact`: JSON, YAML, CSV) stay byte for byte, and `write` carries the
/// live view, whose values were made visible where it built them.
enum Console {
    private static let redactor = Mutex(Redactor())

    /// Makes `redactor` the one every later line goes through.
    static func install(_ redactor: Redactor) {
        self.redactor.withLock { $0 = redactor }
    }

    /// The redactor installed now.
    static var installedRedactor: Redactor { redactor.withLock { $0 } }

    /// A line for people.
    static func output(_ text: String) {
        write(TerminalText.visible(text) + "\n")
    }

    /// Machine-readable output (JSON, YAML, CSV), exact but redacted.
    static func exact(_ text: String) {
        write(text + "\n")
    }

    /// Writes `text` as it is (redacted), without a line break.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(installedRedactor.redact(text).utf8))
    }

    /// A line for people on standard error.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((installedRedactor.redact(TerminalText.visible(text)) + "\n").utf8))
    }

    /// Whether standard output is a terminal, and how wide.
    static var terminalWidth: Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 100 }
        return Int(size.ws_col)
    }
}

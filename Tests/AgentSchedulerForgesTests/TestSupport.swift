import AgentSchedulerCore
import Foundation

@testable import AgentSchedulerForges

/// One expected diagnostic: its place, severity and full message (with the hint).
struct ExpectedDiagnostic: Sendable, Hashable, CustomStringConvertible {
    var line: Int
    var column: Int
    var severity: Diagnostic.Severity
    var message: String

    init(_ line: Int, _ column: Int, _ severity: Diagnostic.Severity, _ message: String) {
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    init(_ diagnostic: Diagnostic) {
        self.init(diagnostic.location.line, diagnostic.location.column, diagnostic.severity, diagnostic.fullMessage)
    }

    var description: String { "\(line):\(column): \(severity.rawValue): \(message)" }
}

/// Writes `contents` to a fresh file under the temporary directory, reads it as an issues file,
/// and removes it. Returns the path too, so tests can check that diagnostics name it.
func readIssuesFile(
    _ contents: String, name: String = "issues.yaml"
) throws -> (path: String, issues: IssueList?, diagnostics: [Diagnostic]) {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("agentsched-forges-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/" + name
    try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
    let (issues, diagnostics) = IssuesFile.read(path: path)
    return (path, issues, diagnostics)
}

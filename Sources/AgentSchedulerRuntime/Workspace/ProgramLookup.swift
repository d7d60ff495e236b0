import Foundation

/// Finds installed programs the way `execvp` would, without running them.
enum ProgramLookup {
    /// The absolute path of `program` in the first folder of `path` (a `PATH` value) that holds
    /// it as an executable file, or `nil` when none does.
    static func find(_ program: String, onPath path: String) -> String? {
        path.split(separator: ":").lazy.filter { !$0.isEmpty }.map { "\($0)/\(program)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

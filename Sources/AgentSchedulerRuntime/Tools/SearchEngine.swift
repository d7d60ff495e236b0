/// A program `search` runs over a list of files to find the lines a regular expression matches.
///
/// Both engines print `path NUL line:text` for each matching line of the files named on their
/// command line, and exit 0 (matches), 1 (none) or 2 (an error). They run as a child process
/// (`ChildProcess`), so a time budget or a cancellation kills them whatever the pattern does.
public struct SearchEngine: Sendable, Hashable {
    /// The program's name, looked up on `PATH`.
    public var executable: String
    /// What the model is told about the pattern syntax, in a refusal.
    var syntax: String
    /// Whether the engine names a binary file that matched on standard output (ripgrep) rather
    /// than skipping it silently (grep's `-I`).
    var reportsBinaryFiles: Bool
    var options: [String]
    var ignoreCaseOption: String

    /// ripgrep: a linear-time engine (finite automata, no backtracking), searching files in
    /// parallel. Its syntax has no backreferences or look-around.
    public static let ripgrep = SearchEngine(
        executable: "rg", syntax: "ripgrep's (Rust) regular expression syntax", reportsBinaryFiles: true,
        options: [
            "--no-config", "--no-ignore", "--hidden", "--no-follow", "--color", "never", "--no-heading",
            "--with-filename", "--line-number", "--null",
        ],
        ignoreCaseOption: "--ignore-case")

    /// GNU grep with extended regular expressions: a finite-automaton matcher, except for
    /// backreferences, which can backtrack — the time budget bounds those. The fallback when
    /// ripgrep is missing.
    public static let grep = SearchEngine(
        executable: "grep", syntax: "POSIX extended regular expression syntax (grep -E)", reportsBinaryFiles: false,
        options: ["-E", "--line-number", "--with-filename", "--null", "--binary-files=without-match", "--color=never"],
        ignoreCaseOption: "--ignore-case")

    /// The engines tried in order: the first one that can be started is used.
    public static let preferred: [SearchEngine] = [.ripgrep, .grep]

    /// The command line that searches `files` (relative to the working folder) for `pattern`.
    func arguments(pattern: String, ignoringCase: Bool, files: some Sequence<String>) -> [String] {
        options + (ignoringCase ? [ignoreCaseOption] : []) + ["-e", pattern, "--"] + files
    }
}

import Foundation

/// The system prompt of a session: the profile's prompt, then the repository's own instructions
/// for agents when it has them (`AGENTS.md`, `.github/copilot-instructions.md`).
///
/// The instructions are read from the base commit of the source repository (`instructions(in:at:)`),
/// never from a working tree an agent could have written: only regular files count (no symlinks,
/// no FIFOs), at most `maxInstructionBytes` each.
public enum SystemPrompt {
    public static let instructionFiles = ["AGENTS.md", ".github/copilot-instructions.md"]
    /// Repository instructions longer than this are cut, with a note.
    public static let maxInstructionCharacters = 20_000
    /// A larger instruction file is left out, with a note in the prompt.
    public static let maxInstructionBytes = 256 * 1024

    public static func make(profilePrompt: String, instructions: [(name: String, text: String)]) -> String {
        var parts = [profilePrompt.trimmingCharacters(in: .whitespacesAndNewlines)]
        for (name, text) in instructions {
            var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if body.count > maxInstructionCharacters {
                body = String(body.prefix(maxInstructionCharacters)) + "\n[… \(name) was cut here]"
            }
            parts.append("# Repository instructions (\(name))\n\n\(body)")
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    /// The instruction files of `repository` at `reference` (its `HEAD` when `nil`), read with git
    /// from the commit: files that are missing, not regular files, or too large are left out.
    public static func instructions(
        in repository: URL, at reference: String?
    ) async -> [(name: String, text: String)] {
        let git = Git(directory: repository.path)
        guard let commit = try? await SessionRepository.commit(reference ?? "HEAD", in: repository) else { return [] }
        var found: [(name: String, text: String)] = []
        for name in instructionFiles {
            // `MODE TYPE OBJECT SIZE\tPATH`; a symlink is mode 120000, a submodule a commit.
            guard let entry = try? await git.run(["ls-tree", "-l", commit, "--", name]).text,
                let fields = entry.split(separator: "\t").first?.split(separator: " ", omittingEmptySubsequences: true),
                fields.count == 4, fields[0] == "100644" || fields[0] == "100755", fields[1] == "blob"
            else { continue }
            guard let size = Int(fields[3]), size <= maxInstructionBytes else {
                found.append((name, "[\(name) is over \(maxInstructionBytes / 1024) KiB and was left out]"))
                continue
            }
            guard let blob = try? await git.run(["cat-file", "blob", String(fields[2])]) else { continue }
            found.append((name, String(decoding: blob.standardOutput, as: UTF8.self)))
        }
        return found
    }
}

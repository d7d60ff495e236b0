import Foundation

/// The system prompt of a session: the profile's prompt, then the repository's own instructions
/// for agents when it has them (`AGENTS.md`, `.github/copilot-instructions.md`).
public enum SystemPrompt {
    public static let instructionFiles = ["AGENTS.md", ".github/copilot-instructions.md"]
    /// Repository instructions longer than this are cut, with a note.
    public static let maxInstructionCharacters = 20_000

    public static func make(profilePrompt: String, repository: URL?) -> String {
        var parts = [profilePrompt.trimmingCharacters(in: .whitespacesAndNewlines)]
        for name in instructionFiles {
            guard let repository,
                let text = try? String(contentsOf: repository.appendingPathComponent(name), encoding: .utf8)
            else { continue }
            var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if body.count > maxInstructionCharacters {
                body = String(body.prefix(maxInstructionCharacters)) + "\n[… \(name) was cut here]"
            }
            parts.append("# Repository instructions (\(name))\n\n\(body)")
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }
}

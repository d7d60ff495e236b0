import Testing

@testable import AgentSchedulerCore

@Suite("Did-you-mean suggestions")
struct SuggestionTests {
    static let keys = ["name", "description", "model", "tools", "permissions", "limits"]

    @Test(
        "suggests the closest candidate when about a third or less of it differs",
        arguments: [
            ("modle", "model"), ("mdoel", "model"), ("MODEL", "model"), ("tols", "tools"),
            ("permision", "permissions"), ("descripton", "description"), ("limts", "limits"), ("nmae", "name"),
            ("xyz", nil), ("colour", nil), ("", nil), ("permissionsXYZW", nil),
        ] as [(String, String?)])
    func closest(word: String, suggestion: String?) {
        #expect(Suggestion.closest(to: word, among: Self.keys) == suggestion)
    }

    @Test("the first of equally close candidates wins; no candidates, no suggestion")
    func ties() {
        #expect(Suggestion.closest(to: "bsh", among: ["bash", "Bash"]) == "bash")
        #expect(Suggestion.closest(to: "bsh", among: ["Bash", "bash"]) == "Bash")
        #expect(Suggestion.closest(to: "read", among: [String]()) == nil)
    }

    @Test("the hint is phrased as a question")
    func hint() {
        #expect(Suggestion.hint(for: "sonet", among: ["sonnet", "haiku"]) == "did you mean 'sonnet'?")
        #expect(Suggestion.hint(for: "llama", among: ["sonnet", "haiku"]) == nil)
    }

    @Test(
        "edit distance counts a transposition as one edit",
        arguments: [
            ("", "", 0), ("a", "", 1), ("", "abc", 3), ("abc", "abc", 0), ("abc", "acb", 1), ("kitten", "sitting", 3),
            ("model", "modle", 1), ("ab", "ba", 1), ("abcd", "badc", 2),
        ])
    func editDistance(a: String, b: String, distance: Int) {
        #expect(Suggestion.editDistance(Array(a), Array(b)) == distance)
        #expect(Suggestion.editDistance(Array(b), Array(a)) == distance)
    }
}

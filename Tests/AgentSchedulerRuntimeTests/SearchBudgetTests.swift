import AgentSchedulerCore
import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// `search` cannot hang: catastrophic patterns are linear under ripgrep, and stopped by the time
/// budget or by cancellation under the grep fallback. The backtracking pattern below would run
/// for hours unchecked; the time bounds are loose so that a loaded machine does not fail them.
struct SearchBudgetTests {
    /// A worktree holding one long line of `a`s ending in `b`.
    static func longLine(_ count: Int) throws -> ToolSandbox {
        let sandbox = try ToolSandbox()
        try sandbox.write("long.txt", String(repeating: "a", count: count) + "b\n")
        try sandbox.write("short.txt", "ab\n")
        return sandbox
    }

    static func search(
        _ pattern: String, engines: [SearchEngine], in sandbox: ToolSandbox, limits: ToolLimits = ToolLimits()
    ) async throws -> ToolResult {
        let arguments = try JSONValue(parsing: toolArguments(["pattern": pattern]))
        return await SearchTool(engines: engines).run(arguments, in: sandbox.context(limits: limits))
    }

    @Test func aCatastrophicPatternOverALongLineIsLinearUnderRipgrep() async throws {
        let sandbox = try Self.longLine(200_000)
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await Self.search(
            "(a*)*c", engines: [.ripgrep], in: sandbox, limits: ToolLimits(searchTimeout: .seconds(60)))
        #expect(clock.now - start < .seconds(60))
        // Finished by itself, not stopped by the budget.
        #expect(result.output == "No matches for /(a*)*c/: 2 files searched in the worktree.")
        let found = try await Self.search("(a*)*b", engines: [.ripgrep], in: sandbox)
        #expect(found.output.hasPrefix("long.txt:1: aaaa"), "\(found.output)")
        #expect(found.output.hasSuffix("\nshort.txt:1: ab"))
    }

    @Test func aBacktrackingPatternIsStoppedByTheTimeBudget() async throws {
        let sandbox = try Self.longLine(3000)
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await Self.search(
            "(a*)*\\1\\1\\1b$", engines: [.grep], in: sandbox, limits: ToolLimits(searchTimeout: .milliseconds(700)))
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(30), "took \(elapsed)")
        #expect(result.isError)
        #expect(result.output.contains("the search was stopped after its time budget"), "\(result.output)")
    }

    @Test func cancellationStopsARunawaySearch() async throws {
        let sandbox = try Self.longLine(3000)
        let clock = ContinuousClock()
        let start = clock.now
        let search = Task {
            try await Self.search(
                "(a*)*\\1\\1\\1b$", engines: [.grep], in: sandbox, limits: ToolLimits(searchTimeout: .seconds(600)))
        }
        try await Task.sleep(for: .milliseconds(300))
        search.cancel()
        let result = try await search.value
        #expect(clock.now - start < .seconds(30))
        #expect(result.output == "the search was cancelled")
    }

    @Test func backreferencesAreRefusedByRipgrepWithItsReason() async throws {
        let sandbox = try Self.longLine(10)
        let result = try await Self.search("(a)\\1", engines: [.ripgrep], in: sandbox)
        #expect(result.isError)
        #expect(result.output.hasPrefix("'(a)\\1' is not a valid regular expression in ripgrep's"), "\(result.output)")
    }

    /// A missing engine is passed over for the next; with none, the call says so.
    @Test func aMissingEngineFallsBackAndNoEngineIsAClearFailure() async throws {
        let sandbox = try Self.longLine(10)
        let missing = SearchEngine(
            executable: "agentsched-no-such-search-engine", syntax: "none", reportsBinaryFiles: false, options: [],
            ignoreCaseOption: "-i")
        let fallback = try await Self.search("^a+b$", engines: [missing, .grep], in: sandbox)
        #expect(fallback.output == "long.txt:1: aaaaaaaaaab\nshort.txt:1: ab")
        let none = try await Self.search("ab", engines: [missing], in: sandbox)
        #expect(none.output == "search cannot run: none of agentsched-no-such-search-engine is installed")
    }

    /// The engines agree on the result format.
    @Test(arguments: [SearchEngine.ripgrep, .grep])
    func bothEnginesGiveTheSameResults(engine: SearchEngine) async throws {
        let sandbox = try ToolSandbox()
        try sandbox.write("b.txt", "one\ntwo: x\n")
        try sandbox.write("a/c.txt", "x\n\ntwo\n")
        try sandbox.write("-dash.txt", "two\n")
        let result = try await Self.search("tw.", engines: [engine], in: sandbox)
        #expect(result.output == "-dash.txt:1: two\na/c.txt:3: two\nb.txt:2: two: x")
    }
}

import Foundation
import Testing

@testable import AgentScheduler

@Suite("The demo's follow-up transcript: a reviewer's comment answered with a new commit")
struct DemoFollowUpTranscriptTests {
    static let comment = "@agentsched please also handle an empty input"

    @Test("the #102 follow-up, replayed on the first fix's commit, adds a commit whose mean tests pass")
    func followUpOnTheFix() async throws {
        let demo = try await DemoSupport.build()
        defer { try? FileManager.default.removeItem(at: demo.root) }
        let first = try await DemoSupport.runSession(demo, agent: "implementer", issue: 102, session: "1")
        let fix = try #require(first.output.commit)
        guard case .completed(let firstSummary) = first.output.outcome else {
            Issue.record("the first session ended \(first.output.outcome)")
            return
        }

        // The follow-up answers from its own transcript: until the replay client looks it up for a
        // follow-up itself, it stands in for implementer/102.yaml in a folder of its own.
        let answers = DemoSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: answers) }
        try FileManager.default.createDirectory(
            at: answers.appendingPathComponent("transcripts/implementer"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: demo.transcripts.appendingPathComponent("implementer/102.follow-up.yaml"),
            to: answers.appendingPathComponent("transcripts/implementer/102.yaml"))
        let issue = try #require(demo.issues.issues.first { $0.number == 102 })
        let run = try await DemoSupport.runSession(
            demo, agent: "implementer", issue: 102, session: "2", baseRef: fix, answers: answers,
            body: issue.body + "\n\nPrevious session's summary:\n" + firstSummary + "\n\nFeedback:\n" + Self.comment)
        guard case .completed(let summary) = run.output.outcome else {
            Issue.record("the follow-up ended \(run.output.outcome)")
            return
        }
        #expect(summary.contains("mean: no numbers given"))
        #expect(run.refusals == [])
        #expect(run.toolResults.filter { $0.hasPrefix("edit") } == ["edit ok", "edit ok"], "\(run.toolResults)")

        let commit = try #require(run.output.commit)
        #expect(try await DemoSupport.git(["rev-parse", "\(commit)^"], in: demo.repository) == fix + "\n")
        #expect(
            try await DemoSupport.git(["diff", "--name-only", fix, commit], in: demo.repository)
                == "lib/numbers.sh\ntests/mean.sh\n")
        let before = try await DemoSupport.checkout(fix, of: demo.repository)
        let after = try await DemoSupport.checkout(commit, of: demo.repository)
        defer {
            try? FileManager.default.removeItem(at: before)
            try? FileManager.default.removeItem(at: after)
        }
        // The new tests fail on the first fix (mean of nothing was 0) and pass on the follow-up.
        try FileManager.default.removeItem(at: before.appendingPathComponent("tests/mean.sh"))
        try FileManager.default.copyItem(
            at: after.appendingPathComponent("tests/mean.sh"), to: before.appendingPathComponent("tests/mean.sh"))
        let old = try await DemoSupport.tests(["mean"], in: before)
        #expect(old.status == 1)
        #expect(old.output.contains("FAIL mean of no numbers prints nothing: expected '', got '0'"))
        let new = try await DemoSupport.tests(["mean", "clamp"], in: after)
        #expect(new.status == 0, "\(new.output)")
        #expect(new.output.contains("PASS mean of no numbers says why"))
    }
}

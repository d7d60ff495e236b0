import Foundation
import Testing

@Suite("agentsched sessions, end to end")
struct SessionsCommandTests {
    @Test("sessions list shows assigned and denied sessions; --state filters; JSON has every field")
    func list() async throws {
        let workspace = try TemporaryWorkspace()
        _ = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues", "1", "--title", "Fix the failing test", "--agent",
            "implementer", "--as", "alice")
        _ = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues", "2", "--title", "Fix the failing test", "--agent",
            "implementer", "--as", "bob")
        let table = try await workspace.run("sessions", "list")
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(
            lines[0].hasPrefix("ID  STATE   ORG   REPOSITORY   ISSUE  AGENT        MODEL              PREMIUM  AGE"))
        #expect(lines[1].hasPrefix(" 1  queued  acme  acme/webapp     #1  implementer  claude-sonnet-4.5        0"))
        #expect(lines[2].hasPrefix(" 2  denied  acme  acme/webapp     #2  implementer  claude-sonnet-4.5        0"))
        let denied = try await workspace.run("sessions", "list", "--state", "denied", "--format", "json")
        let sessions = try #require(
            try JSONSerialization.jsonObject(with: Data(denied.stdout.utf8)) as? [[String: Any]])
        #expect(sessions.count == 1)
        #expect(sessions[0]["id"] as? Int == 2)
        #expect(sessions[0]["assigner"] as? String == "bob")
        #expect(
            sessions[0]["reason"] as? String
                == "bob's role in acme/webapp is read; agent implementer (write) needs write or above")
        #expect(sessions[0]["premium_requests"] as? Int == 0)
    }

    @Test("sessions show and logs print one session; an unknown id exits 1")
    func showAndLogs() async throws {
        let workspace = try TemporaryWorkspace()
        _ = try await workspace.run(
            "assign", "--repo", "acme/webapp", "--issues", "7", "--title", "Fix the failing test", "--agent",
            "reviewer", "--as", "bob")
        let show = try await workspace.run("sessions", "show", "1")
        #expect(show.status == 0)
        #expect(show.stdout.contains("state        queued\n"))
        #expect(show.stdout.contains("issue        acme/webapp#7 Fix the failing test\n"))
        #expect(show.stdout.contains("agent        reviewer on claude-sonnet-4.5\n"))
        let logs = try await workspace.run("sessions", "logs", "1")
        #expect(logs.status == 0)
        #expect(logs.stdout.contains("  session.created  agent=reviewer issue=7 state=queued\n"))
        for arguments in [["sessions", "show", "9"], ["sessions", "logs", "9"]] {
            let missing = try await AgentschedProcess.run(arguments, in: workspace.url)
            #expect(missing.status == 1)
            #expect(missing.stderr == "error: no session 9\n")
        }
    }

    @Test("a workspace that has run nothing lists no sessions and creates no state; a bad state exits 64")
    func emptyAndBadState() async throws {
        let workspace = try TemporaryWorkspace()
        let empty = try await workspace.run("sessions", "list")
        #expect(empty.status == 0)
        #expect(empty.stdout == "ID  STATE  ORG  REPOSITORY  ISSUE  AGENT  MODEL  PREMIUM  AGE\n")
        #expect(!FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent(".agentsched").path))
        let bad = try await workspace.run("sessions", "list", "--state", "qeued")
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("'qeued' is not a session state; did you mean 'queued'?"))
    }
}

import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import Testing

@testable import AgentScheduler

@Suite("CSV, table and Markdown text")
struct ReportTextTests {
    @Test(
        "a CSV field is quoted when it holds a comma, a quote, CR or LF, with its quotes doubled",
        arguments: [
            ("alice", "alice"), ("", ""), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("\"", "\"\"\"\""), ("two\nlines", "\"two\nlines\""), ("cr\rhere", "\"cr\rhere\""),
            ("crlf\r\nhere", "\"crlf\r\nhere\""), ("ünïcødé 日本 🚀", "ünïcødé 日本 🚀"), ("O'Brien", "O'Brien"),
            (" padded ", " padded "), ("tab\there", "tab\there"),
        ])
    func csvField(value: String, expected: String) {
        #expect(CSV.field(value) == expected)
    }

    @Test("CSV records end in CRLF, even the last")
    func csvRecords() {
        #expect(CSV.text([["a", "b"], ["1", "x,y"]]) == "a,b\r\n1,\"x,y\"\r\n")
        #expect(CSV.text([]) == "")
    }

    @Test("awkward names survive CSV, table, Markdown and JSON from the ledger and back")
    func awkwardNames() async throws {
        let fixture = try await LedgerFixture()
        let users = ["O'Brien, \"Bob\"", "multi\nline", "pipe|user", "ünïcødé 日本 🚀", "cr\rhere"]
        for (index, user) in users.enumerated() {
            try await fixture.spend(
                ReportFixtures.acme, session: nil, user: user, agent: "agent, \"the\" one", repo: "acme/x",
                model: "claude-haiku-4.5", at: "2026-11-0\(index + 1)T10:00:00Z")
        }
        let report = try await UsageReport.load(
            UsageRequest(range: ReportFixtures.november, dimensions: [.user, .agent]), from: fixture.ledger,
            policies: [ReportFixtures.acme], now: ReportFixtures.now)
        let agent = #""agent, ""the"" one""#
        #expect(
            report.csv()
                == [
                    "user,agent,sessions,model_requests,premium_requests,input_tokens,cached_tokens,cache_write_tokens,output_tokens,ai_credits",
                    #""O'Brien, ""Bob""",\#(agent),0,1,0.33,0,0,0,0,0"#,
                    "\"cr\rhere\",\(agent),0,1,0.33,0,0,0,0,0",
                    "\"multi\nline\",\(agent),0,1,0.33,0,0,0,0,0",
                    "pipe|user,\(agent),0,1,0.33,0,0,0,0,0",
                    "ünïcødé 日本 🚀,\(agent),0,1,0.33,0,0,0,0,0",
                ].map { $0 + "\r\n" }.joined())
        #expect(
            report.table() == """
                USER             AGENT             SESSIONS  MODEL REQUESTS  PREMIUM REQUESTS
                O'Brien, "Bob"   agent, "the" one         0               1              0.33
                cr\\rhere         agent, "the" one         0               1              0.33
                multi\\nline      agent, "the" one         0               1              0.33
                pipe|user        agent, "the" one         0               1              0.33
                ünïcødé 日本 🚀  agent, "the" one         0               1              0.33
                TOTAL                                     0               5              1.65
                """)
        #expect(
            report.markdown().split(separator: "\n").dropFirst(2).prefix(4) == [
                "| O'Brien, \"Bob\" | agent, \"the\" one | 0 | 1 | 0.33 |",
                "| cr here | agent, \"the\" one | 0 | 1 | 0.33 |",
                "| multi line | agent, \"the\" one | 0 | 1 | 0.33 |",
                "| pipe\\|user | agent, \"the\" one | 0 | 1 | 0.33 |",
            ])
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any])
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["user"] as? String }) == Set(users))
    }

    @Test("table columns are padded to the widest cell, numbers to the right, with no trailing spaces")
    func table() {
        var table = TextTable(headers: ["NAME", "N", "NOTE"], alignments: [.left, .right, .left])
        table.append(["a", "1000", ""])
        table.append(["longer name", "2", "x"])
        table.append(["tab\there", "3", "bell\u{7}"])
        #expect(
            table.render() == """
                NAME            N  NOTE
                a            1000
                longer name     2  x
                tab\\there       3  bell\\u{7}
                """)
    }

    @Test("Markdown cells escape pipes and fold line breaks; right-aligned columns say so")
    func markdown() {
        var table = MarkdownTable(headers: ["who", "n"], alignments: [.left, .right])
        table.append(["a|b\r\nc", "1"])
        #expect(table.render() == "| who | n |\n| --- | ---: |\n| a\\|b  c | 1 |")
    }
}

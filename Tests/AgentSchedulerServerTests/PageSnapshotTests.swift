import AgentSchedulerServer
import Foundation
import Testing

/// Writes every page, the script and the stylesheet to `$AGENTSCHED_PAGE_SNAPSHOTS`, for a person
/// or a browser to look at; does nothing without it.
@Suite("Page snapshots")
struct PageSnapshotTests {
    @Test("the pages are written out when asked")
    func snapshots() throws {
        guard let folder = ProcessInfo.processInfo.environment["AGENTSCHED_PAGE_SNAPSHOTS"], !folder.isEmpty else {
            return
        }
        let root = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("assets"), withIntermediateDirectories: true)
        let text = "<img src=x onerror=alert(1)> \u{1B}[31mred"
        for page in PageFixtures.Page.allCases {
            try page.render(text).write(
                to: root.appendingPathComponent("\(page.rawValue).html"), atomically: true, encoding: .utf8)
        }
        try AgentsPageAssets.script.write(
            to: root.appendingPathComponent("assets/app.js"), atomically: true, encoding: .utf8)
        try AgentsPageAssets.stylesheet.write(
            to: root.appendingPathComponent("assets/app.css"), atomically: true, encoding: .utf8)
    }
}

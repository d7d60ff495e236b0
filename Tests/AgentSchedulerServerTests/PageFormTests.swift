import AgentSchedulerCore
import AgentSchedulerServer
import Foundation
import Testing

/// The new task, login and error pages' forms, and the assets.
@Suite("The forms and assets")
struct PageFormTests {
    @Test("the new task form has its fields and two submit actions")
    func newTaskForm() throws {
        let markup = AgentsPages.newTask(
            NewTaskForm(user: "alice"), options: PageFixtures.options(text: "Helper"), user: "alice"
        ).markup
        let parsed = try PageMarkup(markup)
        let form = try #require(parsed.opening("form").first)
        #expect(form.value("id") == "new-task")
        #expect(form.value("method") == "post")
        #expect(form.value("action") == "/assign")
        let selects = parsed.opening("select").compactMap { $0.value("name") }
        #expect(selects == ["repository", "agent", "model"])
        let inputs = Set(parsed.opening("input").compactMap { $0.value("name") })
        #expect(inputs == ["issues", "label", "title", "as"])
        #expect(parsed.opening("textarea").map { $0.value("name") } == ["body"])
        let buttons = parsed.opening("button").filter { $0.value("name") == "action" }.compactMap { $0.value("value") }
        #expect(buttons == ["estimate", "assign"])
        let options = parsed.opening("option").map { $0.value("value") ?? "?" }
        #expect(options == ["acme/web", "acme/Helper", "fixer", "route", "", "gpt-5", "Helper"])
        #expect(markup.contains("Route by labels"))
        #expect(!markup.contains(#"id="estimate""#))
    }

    @Test("the form comes back with what was submitted and the dry run's text")
    func refilled() throws {
        let form = NewTaskForm(
            repository: "acme/web", issues: "12,13", label: "bug", title: "T", body: "line 1\r\nline 2", agent: "fixer",
            model: "gpt-5", user: "bob")
        let markup = AgentsPages.newTask(
            form, options: PageFixtures.options(text: "x"), estimate: "ISSUE  AGENT\n#12    fixer  would queue",
            messages: [.error("no such label")]
        ).markup
        let parsed = try PageMarkup(markup)
        let selected = parsed.opening("option").filter { tag in tag.attributes.contains { $0.name == "selected" } }
        #expect(selected.map { $0.value("value") } == ["acme/web", "fixer", "gpt-5"])
        #expect(parsed.opening("input").first { $0.value("name") == "issues" }?.value("value") == "12,13")
        #expect(parsed.opening("input").first { $0.value("name") == "as" }?.value("value") == "bob")
        #expect(markup.contains(">line 1\nline 2</textarea>"))
        #expect(markup.contains(#"<section id="estimate""#))
        #expect(markup.contains("#12    fixer  would queue"))
        #expect(markup.contains(#"<p class="error" role="alert">no such label</p>"#))
    }

    @Test("a submitted value that is not a choice stays selected", arguments: ["other/repo", "gpt-9"])
    func unknownChoice(value: String) throws {
        let form = NewTaskForm(repository: value, model: value)
        let parsed = try PageMarkup(AgentsPages.newTask(form, options: PageFixtures.options(text: "x")).markup)
        #expect(
            parsed.opening("option").contains {
                $0.value("value") == value && $0.attributes.contains { $0.name == "selected" }
            })
    }

    @Test("login asks for the token in a password field", arguments: [nil, "wrong token"] as [String?])
    func login(error: String?) throws {
        let markup = AgentsPages.login(error: error).markup
        let parsed = try PageMarkup(markup)
        let form = try #require(parsed.opening("form").first)
        #expect(form.value("method") == "post" && form.value("action") == "/login")
        let token = try #require(parsed.opening("input").first { $0.value("name") == "token" })
        #expect(token.value("type") == "password")
        #expect(markup.contains(#"<p class="error" role="alert">"#) == (error != nil))
    }

    @Test(
        "an error page has the status and the message", arguments: [(404, "no session 9"), (500, "the ledger is gone")])
    func errorPage(status: Int, message: String) {
        let markup = AgentsPages.error(status: status, message: message).markup
        #expect(markup.contains("<h1>\(status) "))
        #expect(markup.contains(message))
    }

    @Test("the script builds with the DOM, never innerHTML, and reads the pages' hooks")
    func script() {
        let script = AgentsPageAssets.script
        for forbidden in [
            "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "http://",
            "https://",
        ] {
            #expect(!script.contains(forbidden), "\(forbidden)")
        }
        for hook in [
            "/api/v1/events", "/api/v1/sessions/", "/events?after=", "data-last-event-id", "data-states", "data-call",
            "session.state", "tool.result", "textContent", "time.age",
        ] {
            #expect(script.contains(hook), "\(hook)")
        }
        #expect(!AgentsPageAssets.stylesheet.contains("url("))
        #expect(!AgentsPageAssets.stylesheet.contains("@import"))
    }

    @Test(
        "the script parses as JavaScript",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/node"), "needs node to parse it"))
    func scriptParses() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "agentsched-app-\(UUID().uuidString).js")
        try AgentsPageAssets.script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let node = Process()
        node.executableURL = URL(fileURLWithPath: "/usr/bin/node")
        node.arguments = ["--check", file.path]
        try node.run()
        node.waitUntilExit()
        #expect(node.terminationStatus == 0)
    }

    @Test("the choices come from the workspace: its repositories, every agent, each organisation's allowed models")
    func optionsFromWorkspace() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let workspace = WorkspaceLoader(root: root).load()
        let options = NewTaskOptions(workspace: workspace)
        #expect(options.repositories.contains("acme/webapp"))
        #expect(options.agents.map(\.handle) == workspace.team.profiles.map(\.handle).sorted())
        let globex = try #require(options.models.first { $0.org == "globex" })
        #expect(globex.models.contains("gpt-4.1"))
        #expect(!globex.models.contains { $0.hasPrefix("claude-opus") })
        let acme = try #require(options.models.first { $0.org == "acme" })
        #expect(acme.models.count > globex.models.count)
        let markup = AgentsPages.newTask(NewTaskForm(user: "alice"), options: options).markup
        #expect(markup.contains(#"<optgroup label="globex">"#))
    }
}

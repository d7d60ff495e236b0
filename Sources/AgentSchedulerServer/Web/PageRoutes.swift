import AgentScheduler
import AgentSchedulerCore
import AgentSchedulerLedger
import Foundation
import HTTPTypes
import Hummingbird

/// The Agents page: server-rendered HTML that reads without JavaScript, its forms posting to the
/// same actions as the API (``ServerActions``), and its script and stylesheet.
///
/// A form that succeeds redirects (303) to the page that shows the result, with a fixed notice
/// named in the query (`?done=steered`), never text from the request; one that fails renders the
/// page again with the reason.
struct PageRoutes: Sendable {
    let resources: ServerResources

    func register(on router: Router<BasicRequestContext>) {
        let actions = ServerActions(resources: resources)
        router.get(RouterPath(AgentsPageAssets.scriptPath)) { _, _ in
            Self.asset(AgentsPageAssets.script, type: "text/javascript; charset=utf-8")
        }
        router.get(RouterPath(AgentsPageAssets.stylesheetPath)) { _, _ in
            Self.asset(AgentsPageAssets.stylesheet, type: "text/css; charset=utf-8")
        }
        for path in [AgentsPageAssets.iconPath, "/favicon.ico"] {
            router.get(RouterPath(path)) { _, _ in Self.asset(AgentsPageAssets.icon, type: "image/svg+xml") }
        }
        router.get("/") { request, _ in
            try await page {
                let sessions = try await SessionSummary.load(from: resources.ledger)
                return AgentsPages.board(
                    sessions, now: resources.clock.now(), user: try? await defaultUser(),
                    messages: Done.messages(request))
            }
        }
        router.get("/sessions/:id") { request, context in
            try await page { try await sessionPage(try APIRoutes.id(context), messages: Done.messages(request)) }
        }
        router.post("/sessions/:id/steer") { request, context in
            let id = try APIRoutes.id(context)
            let form = try await Self.form(MessageForm.self, request, context)
            return try await act(on: id) {
                _ = try await actions.steer(id, MessageBody(message: form.message ?? "", as: form.as))
                return "/sessions/\(id)?done=\(Done.steered.rawValue)"
            }
        }
        router.post("/sessions/:id/cancel") { request, context in
            let id = try APIRoutes.id(context)
            let form = try await Self.form(ActorForm.self, request, context)
            return try await act(on: id) {
                let done: Done =
                    switch try await actions.cancel(id, ActorBody(as: form.as)) {
                    case .cancelled: .cancelled
                    case .requested: .cancelRequested
                    case .alreadyFinal: .alreadyFinal
                    }
                return "/sessions/\(id)?done=\(done.rawValue)"
            }
        }
        router.post("/sessions/:id/follow-up") { request, context in
            let id = try APIRoutes.id(context)
            let form = try await Self.form(MessageForm.self, request, context)
            return try await act(on: id) {
                let created = try await actions.followUp(id, MessageBody(message: form.message ?? "", as: form.as))
                return "/sessions/\(created.id)?done=\(Done.followedUp.rawValue)"
            }
        }
        router.get("/new") { _, _ in
            try await page {
                let workspace = await resources.workspaces.workspace()
                return AgentsPages.newTask(
                    NewTaskForm(user: (try? await defaultUser()) ?? ""), options: NewTaskOptions(workspace: workspace))
            }
        }
        router.post("/assign") { request, context in
            let form = try await Self.form(TaskForm.self, request, context)
            return try await page { try await assign(form, actions: actions) }
        }
        router.get("/usage") { request, _ in
            try await page { try await usagePage(request) }
        }
    }

    // MARK: Pages

    private func sessionPage(_ id: SessionID, messages: [PageMessage]) async throws -> HTML {
        guard let record = try await resources.ledger.session(id) else { throw APIError.notFound("no session \(id)") }
        let summary = try await APIRoutes(resources: resources).summary(of: record)
        let events = try await resources.ledger.events(session: id, after: 0)
        return AgentsPages.session(
            summary, events: events, diff: SessionPatch.text(of: record, state: resources.state),
            now: resources.clock.now(), user: try? await defaultUser(), messages: messages)
    }

    private func assign(_ form: TaskForm, actions: ServerActions) async throws -> HTML {
        let workspace = await resources.workspaces.workspace()
        let filled = form.filled
        let options = NewTaskOptions(workspace: workspace)
        let user = try? await defaultUser()
        do {
            let answer = try await actions.assign(try form.request())
            var text = AssignmentResult.text(answer.results)
            if let estimate = answer.estimate { text += "\n" + estimate.text }
            let queued = answer.results.filter { $0.status == .queued && $0.session != nil }.count
            let messages: [PageMessage] =
                form.isDryRun
                ? [.notice("Estimate only: nothing was queued.")]
                : [.notice(queued == 1 ? "1 session queued." : "\(queued) sessions queued.")]
            return AgentsPages.newTask(filled, options: options, estimate: text, user: user, messages: messages)
        } catch let error as APIError {
            return AgentsPages.newTask(filled, options: options, user: user, messages: [.error(error.message)])
        }
    }

    private func usagePage(_ request: Request) async throws -> HTML {
        let workspace = await resources.workspaces.workspace()
        let query = request.uri.queryParameters
        let now = resources.clock.now()
        let usage: UsageRequest
        do {
            usage = try UsageRequest.parse(
                org: query.get("org"), period: query.get("period"),
                since: query.get("since"), until: query.get("until"), by: "org,day", now: now)
        } catch let error as ReportInputError {
            throw APIError.badRequest(error.description)
        }
        let report = try await UsageReport.load(usage, from: resources.ledger, policies: workspace.policies, now: now)
        let budget = try await BudgetReport.load(policies: workspace.policies, from: resources.ledger, now: now)
        let units = Dictionary(workspace.policies.map { ($0.org, $0.billing) }, uniquingKeysWith: { first, _ in first })
        return AgentsPages.usage(
            report, spend: DailySpend.from(report, units: units), budgets: budget.lines, now: now,
            user: try? await defaultUser())
    }

    // MARK: Plumbing

    private func defaultUser() async throws -> String {
        try resources.actingUser(nil, workspace: await resources.workspaces.workspace())
    }

    /// Renders `body`, or the error page for an ``APIError`` it throws.
    private func page(_ body: () async throws -> HTML) async throws -> Response {
        do {
            return Self.html(try await body())
        } catch let error as APIError {
            return Self.html(
                AgentsPages.error(status: Int(error.status.code), message: error.message), status: error.status)
        }
    }

    /// Runs a session's form action: a redirect to where it leads, or the session page again
    /// with the reason it was refused.
    private func act(on id: SessionID, _ action: () async throws -> String) async throws -> Response {
        do {
            return Response(status: .seeOther, headers: [.location: try await action()])
        } catch let error as APIError {
            guard error.status != .notFound else {
                return Self.html(AgentsPages.error(status: 404, message: error.message), status: .notFound)
            }
            return Self.html(try await sessionPage(id, messages: [.error(error.message)]), status: error.status)
        }
    }

    static func html(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html.description)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func form<Form: Decodable>(
        _ type: Form.Type, _ request: Request, _ context: BasicRequestContext
    ) async throws -> Form {
        do {
            return try await URLEncodedFormDecoder().decode(Form.self, from: request, context: context)
        } catch {
            throw APIError.badRequest("the form could not be read")
        }
    }
}

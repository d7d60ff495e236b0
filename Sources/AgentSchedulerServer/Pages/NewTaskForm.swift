/// What the new task form holds: empty at first, the submitted values when it is shown again
/// (after a dry run, or with errors).
///
/// Field names are the form's: `repository`, `issues` (`12,13`), `label`, `title`, `body`,
/// `agent` (a handle, or `route`), `model` (`""`: the agent's own), `as`.
public struct NewTaskForm: Sendable, Hashable {
    public var repository: String
    public var issues: String
    public var label: String
    public var title: String
    public var body: String
    /// An agent's handle, or `NewTaskForm.route`.
    public var agent: String
    /// A catalog model, or `""` for the agent's own.
    public var model: String
    /// The user the task is assigned as; the workspace's user by default.
    public var user: String

    /// The `agent` value that routes each issue by its labels.
    public static let route = "route"

    public init(
        repository: String = "", issues: String = "", label: String = "", title: String = "", body: String = "",
        agent: String = NewTaskForm.route, model: String = "", user: String = ""
    ) {
        self.repository = repository
        self.issues = issues
        self.label = label
        self.title = title
        self.body = body
        self.agent = agent
        self.model = model
        self.user = user
    }
}

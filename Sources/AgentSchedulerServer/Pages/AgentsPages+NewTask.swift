extension AgentsPages {
    /// The new task page (`/new`): `<form id="new-task" method="post" action="/assign">`.
    ///
    /// Fields: `repository` (`<select>` of `options.repositories`), `issues`, `label`, `title`,
    /// `body`, `agent` (`<select>`: each agent, then `route`, "Route by labels"), `model`
    /// (`<select>`: `""`, the agent's own, then an `<optgroup>` per organisation of the models it
    /// allows), `as`; two submit buttons `name="action"`, `value="estimate"` (a dry run) and
    /// `value="assign"`. `form` fills the fields in (a value that is not among the choices is
    /// kept as an extra option, so nothing typed is lost). `estimate`, the text of a dry run
    /// (`AssignmentResult.text` and `DryRunEstimate.text`, or an assignment's result), is shown
    /// in `<section id="estimate">` as `<pre>`; `messages` above the form (errors, notices).
    public static func newTask(
        _ form: NewTaskForm, options: NewTaskOptions, estimate: String? = nil, user: String? = nil,
        messages: [PageMessage] = []
    ) -> HTML {
        let repositoryChoices = options.repositories.map { ($0, $0) }
        let agentChoices =
            options.agents.map { agent in
                (agent.handle, agent.name == agent.handle ? agent.handle : "\(agent.handle) (\(agent.name))")
            } + [(NewTaskForm.route, "Route by labels")]
        var modelOptions: [HTML] = [option(value: "", label: "the agent's own model", selected: form.model.isEmpty)]
        var knownModels: Set<String> = [""]
        for group in options.models {
            knownModels.formUnion(group.models)
            modelOptions.append(
                .element(
                    "optgroup", ["label": group.org],
                    group.models.map { option(value: $0, label: $0, selected: $0 == form.model) }))
        }
        if !knownModels.contains(form.model) {
            modelOptions.append(option(value: form.model, label: form.model, selected: true))
        }
        let fields: [HTML] = [
            field(
                "Repository", id: "task-repository",
                select(name: "repository", id: "task-repository", choices: repositoryChoices, selected: form.repository)
            ),
            .element(
                "fieldset", ["class": "issues"],
                [
                    .element("legend", [:], .text("Issues")),
                    field(
                        "Issue numbers", id: "task-issues",
                        .element(
                            "input",
                            [
                                "type": "text", "id": "task-issues", "name": "issues", "value": form.issues,
                                "placeholder": "12,13", "inputmode": "numeric",
                            ])),
                    field(
                        "or every open issue with label", id: "task-label",
                        .element("input", ["type": "text", "id": "task-label", "name": "label", "value": form.label])),
                    field(
                        "or a new issue titled", id: "task-title",
                        .element("input", ["type": "text", "id": "task-title", "name": "title", "value": form.title])),
                    field(
                        "its text", id: "task-body",
                        .element("textarea", ["id": "task-body", "name": "body", "rows": "6"], .text(form.body))),
                ]),
            field(
                "Agent", id: "task-agent",
                select(name: "agent", id: "task-agent", choices: agentChoices, selected: form.agent)),
            field("Model", id: "task-model", .element("select", ["id": "task-model", "name": "model"], modelOptions)),
            field(
                "As", id: "task-as",
                .element(
                    "input",
                    ["type": "text", "id": "task-as", "name": "as", "value": form.user, "autocomplete": "username"])),
            .element(
                "p", ["class": "actions"],
                .element(
                    "button", ["type": "submit", "name": "action", "value": "estimate"], .text("Estimate (dry run)")),
                .text(" "),
                .element(
                    "button", ["type": "submit", "name": "action", "value": "assign", "class": "primary"],
                    .text("Assign"))),
        ]
        var main: [HTML] = [
            heading("New task"),
            .element("form", ["id": "new-task", "method": "post", "action": "/assign"], fields),
        ]
        if let estimate, !estimate.isEmpty {
            main.append(
                .element(
                    "section", ["id": "estimate", "aria-label": "Estimate"],
                    .element("h2", [:], .text("Estimate")), .element("pre", ["class": "estimate"], .text(estimate))))
        }
        return layout(
            title: "New task", page: "new-task", section: .newTask, user: user, messages: messages, main: main)
    }

    /// `<p class="field"><label for=ID>LABEL</label> CONTROL</p>`.
    static func field(_ label: String, id: String, _ control: HTML) -> HTML {
        .element("p", ["class": "field"], .element("label", ["for": id], .text(label)), control)
    }

    /// A `<select>` of `(value, label)` choices with `selected` chosen; a `selected` value that is
    /// not among them is added, so a submitted value is shown as it was.
    static func select(name: StaticString, id: String, choices: [(String, String)], selected: String) -> HTML {
        var options = choices.map { option(value: $0.0, label: $0.1, selected: $0.0 == selected) }
        if !selected.isEmpty, !choices.contains(where: { $0.0 == selected }) {
            options.append(option(value: selected, label: selected, selected: true))
        }
        return .element("select", ["id": id, "name": name.description], options)
    }

    /// `<option value="VALUE" [selected]>LABEL</option>`.
    static func option(value: String, label: String, selected: Bool) -> HTML {
        .element("option", ["value": value, "selected": selected ? "" : nil], .line(label))
    }
}

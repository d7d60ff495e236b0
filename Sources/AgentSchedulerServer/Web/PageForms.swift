import Foundation

/// `message` and `as` of the steer and follow-up forms.
struct MessageForm: Decodable {
    var message: String?
    var `as`: String?
}

/// `as` of the cancel form.
struct ActorForm: Decodable {
    var `as`: String?
}

/// The new task form's fields, as ``NewTaskForm`` names them, and its button.
struct TaskForm: Decodable {
    var repository: String?
    var issues: String?
    var label: String?
    var title: String?
    var body: String?
    var agent: String?
    var model: String?
    var `as`: String?
    /// `estimate` (a dry run) or `assign`.
    var action: String?

    var isDryRun: Bool { action != "assign" }

    /// The form as it was filled in, to show it again.
    var filled: NewTaskForm {
        NewTaskForm(
            repository: repository ?? "", issues: issues ?? "", label: label ?? "", title: title ?? "",
            body: body ?? "", agent: agent ?? NewTaskForm.route, model: model ?? "", user: self.as ?? "")
    }

    /// The API's request for this form: empty fields are absent, issues `12, 13` are numbers.
    func request() throws -> AssignBody {
        func present(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        var numbers: [Int]?
        if let issues = present(issues) {
            numbers = try issues.split(whereSeparator: { $0 == "," || $0 == " " }).map { part throws(APIError) in
                guard let number = Int(part), number > 0 else {
                    throw APIError.badRequest("issues takes positive issue numbers separated by commas, not '\(part)'")
                }
                return number
            }
        }
        guard let repository = present(repository) else { throw APIError.badRequest("choose a repository") }
        return AssignBody(
            repository: repository, issues: numbers, label: present(label), title: present(title),
            body: present(self.body),
            agent: present(agent) ?? NewTaskForm.route, model: present(model), as: present(self.as),
            dryRun: isDryRun)
    }
}

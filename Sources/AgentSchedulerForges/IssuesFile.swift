import AgentSchedulerCore
import Foundation

/// Reads the file given to `assign --issues-file` (DESIGN §2.5), in either of its two forms:
///
/// - YAML: a mapping with an optional `repository: OWNER/NAME` and `issues:`, a list of mappings
///   `{number, title, body, labels}` where `labels` is a list or a comma-separated string;
/// - JSON: an array of GitHub REST issue objects, as `GET /repos/OWNER/NAME/issues` returns it. Their
///   other fields are ignored, and entries with a `pull_request` key (GitHub lists pull requests as
///   issues too) are skipped with a warning.
///
/// JSON is YAML, so one composer reads both with positions; the root — a mapping or a sequence —
/// tells the forms apart. Every problem is reported at its place, not only the first.
public enum IssuesFile {
    /// The most an issues file may hold: 64 MiB and 5,000,000 nodes, room for an export of tens of
    /// thousands of GitHub issues (configuration files get 1 MiB).
    public static let limits = YAMLLimits(maxBytes: 64 << 20, maxNodes: 5_000_000)

    /// The keys an issue of the YAML form may have.
    static let issueKeys = ["number", "title", "body", "labels"]

    /// The two shapes of the file.
    enum Form {
        /// `repository:` and `issues:`; unknown keys are warnings.
        case yaml
        /// GitHub's REST array; unknown keys are GitHub's own fields and are ignored.
        case json
    }

    /// The issues in the file at `path`, with every problem found.
    ///
    /// Issues files have limits of their own, larger than configuration's (`maxBytes`, 64 MiB, and
    /// `limits`), and their own message for a file over the size.
    ///
    /// The list is `nil` when any diagnostic is an error; warnings alone (unknown keys, skipped pull
    /// requests) leave it whole.
    public static func read(
        path: String, limits: YAMLLimits = IssuesFile.limits
    ) -> (issues: IssueList?, diagnostics: [Diagnostic]) {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > limits.maxBytes
        {
            let megabytes = { (bytes: Int) in "\((bytes + (1 << 20) - 1) >> 20) MiB" }
            return (
                nil,
                [
                    .error(
                        .tooLarge,
                        "the issues file is \(megabytes(size)), more than the \(megabytes(limits.maxBytes)) an issues file may hold",
                        hint: "split the issues over several files and assign each", at: SourceLocation(path: path))
                ]
            )
        }
        let decoder = DocumentDecoder(path: path)
        let empty = (
            message: "the issues file is empty",
            hint: "list issues under 'issues:', or give a JSON array of GitHub issues"
        )
        guard let root = decoder.readRoot(limits: limits, whenEmpty: empty) else { return (nil, decoder.diagnostics) }
        var list: IssueList?
        switch root.content {
        case .mapping:
            list = readMapping(root, decoder: decoder)
        case .sequence(let items):
            list = IssueList(issues: readIssues(items, form: .json, decoder: decoder))
        case .scalar:
            decoder.error(
                .typeMismatch,
                "the issues file must be a mapping with 'issues:' or a JSON array of issues, not \(root.kindDescription)",
                at: root)
        }
        return (decoder.hasErrors ? nil : list, decoder.diagnostics)
    }

    /// The YAML form: `repository:` and `issues:`.
    private static func readMapping(_ root: YAMLNode, decoder: DocumentDecoder) -> IssueList? {
        guard var keys = decoder.mapping(root, key: "issues file", known: ["repository", "issues"]) else {
            return nil
        }
        var list = IssueList(issues: [])
        if let node = keys.take("repository"), let name = decoder.nonEmptyString(node, key: "repository") {
            if isRepositoryName(name) {
                list.repository = name
            } else {
                decoder.error(
                    .invalidValue, "'repository' is '\(name)'; it must be OWNER/NAME",
                    hint: "for example 'repository: acme/webapp'", at: node)
            }
        }
        if let node = keys.take("issues") {
            if case .sequence(let items) = node.content {
                list.issues = readIssues(items, form: .yaml, decoder: decoder)
            } else {
                decoder.typeMismatch(node, expected: "a list", key: "issues")
            }
        } else {
            keys.missing("issues", hint: "list them like 'issues: [{number: 12, title: \"Fix the parser\"}]'")
        }
        keys.reportUnknownKeys(in: "the issues file")
        return list
    }

    /// The issues of a list, in order, each number once; duplicates are errors naming the first.
    private static func readIssues(_ items: [YAMLNode], form: Form, decoder: DocumentDecoder) -> [Issue] {
        var issues: [Issue] = []
        var firstPlaces: [Int: SourceLocation] = [:]
        for item in items {
            guard let (issue, place) = readIssue(item, form: form, decoder: decoder) else { continue }
            if let first = firstPlaces[issue.number] {
                let firstPlace =
                    first.line == place.line ? "line \(first.line), column \(first.column)" : "line \(first.line)"
                decoder.report(
                    .error(
                        .duplicate, "issue #\(issue.number) is listed twice; first at \(firstPlace)",
                        hint: "list each issue once", at: place))
                continue
            }
            firstPlaces[issue.number] = place
            issues.append(issue)
        }
        return issues
    }

    /// One issue and the place of its number, or `nil` when it is skipped or broken (reported).
    private static func readIssue(
        _ item: YAMLNode, form: Form, decoder: DocumentDecoder
    ) -> (Issue, SourceLocation)? {
        guard case .mapping = item.content else {
            decoder.error(.typeMismatch, "each issue must be a mapping, not \(item.kindDescription)", at: item)
            return nil
        }
        guard var keys = decoder.mapping(item, key: "issue", known: issueKeys) else { return nil }
        if form == .json, keys.take("pull_request") != nil {
            let number = keys.take("number")?.scalar.flatMap { $0.isPlain ? Int($0.string) : nil }
            decoder.warning(
                .invalidValue, "skipped \(number.map { "#\($0)" } ?? "an entry"): it is a pull request, not an issue",
                hint: "GitHub's issues endpoint lists pull requests too", at: item)
            return nil
        }
        let numberNode = keys.take("number")
        if numberNode == nil {
            keys.missing("number", hint: "give the issue's number, e.g. 'number: 12'")
        }
        let number = numberNode.flatMap { decoder.integer($0, key: "number", in: 1...Int.max) }
        let title = keys.take("title").flatMap { text($0, key: "title", decoder: decoder) }
        let body = keys.take("body").flatMap { text($0, key: "body", decoder: decoder) }
        let labels = keys.take("labels").flatMap { labelNames($0, decoder: decoder) }
        if form == .yaml { keys.reportUnknownKeys(in: "an issue") }
        guard let number, let numberNode else { return nil }
        let issue = Issue(number: number, title: title ?? "", body: body ?? "", labels: labels ?? [])
        return (issue, numberNode.location)
    }

    /// A string; null (GitHub's `"body": null`) reads as empty.
    private static func text(_ node: YAMLNode, key: String, decoder: DocumentDecoder) -> String? {
        node.isNull ? "" : decoder.string(node, key: key)
    }

    /// Label names from a list of strings, a list of GitHub label objects (`{"name": …}`), or a
    /// comma-separated string; null reads as no labels.
    private static func labelNames(_ node: YAMLNode, decoder: DocumentDecoder) -> [String]? {
        if node.isNull { return [] }
        guard case .sequence(let items) = node.content else {
            return decoder.stringList(node, key: "labels", commaSeparated: true)?.map(\.value)
        }
        var names: [String] = []
        var complete = true
        for item in items {
            var name: String?
            if case .mapping = item.content, var keys = decoder.mapping(item, key: "label", known: ["name"]) {
                if let nameNode = keys.take("name") {
                    name = decoder.nonEmptyString(nameNode, key: "name")
                } else {
                    keys.missing("name", hint: "a label object needs its 'name'")
                }
            } else if let scalar = item.scalar, scalar.isString {
                name = scalar.string
            } else {
                decoder.error(
                    .typeMismatch, "each label must be a string or a mapping with 'name', not \(item.kindDescription)",
                    at: item)
            }
            if let name { names.append(name) } else { complete = false }
        }
        return complete ? names : nil
    }

    /// `OWNER/NAME`: two non-empty parts of letters, digits, `-`, `_` and `.`.
    static func isRepositoryName(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2
            && parts.allSatisfy { part in
                !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
            }
    }
}

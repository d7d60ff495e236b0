import Foundation

extension FakeGitHubStore {
    static let htmlBase = "https://github.example"

    static func user(_ login: String) -> FakeJSON {
        ["login": .string(login), "id": .number(Double(abs(login.lowercased().hashValue % 1_000_000))), "type": "User"]
    }

    static func time(_ date: Date) -> FakeJSON {
        .string(date.formatted(.iso8601))
    }

    static func json(_ repository: Repository) -> FakeJSON {
        let owner = String(repository.fullName.prefix(while: { $0 != "/" }))
        return [
            "id": .number(Double(abs(repository.fullName.hashValue % 1_000_000))),
            "name": .string(String(repository.fullName.dropFirst(owner.count + 1))),
            "full_name": .string(repository.fullName), "owner": user(owner), "private": true,
            "html_url": .string("\(htmlBase)/\(repository.fullName)"),
            "default_branch": .string(repository.defaultBranch), "clone_url": .string(repository.cloneURL),
        ]
    }

    static func labels(_ names: [String]) -> FakeJSON {
        .array(names.map { ["name": .string($0), "color": "ededed"] })
    }

    static func json(_ issue: Issue, in repository: Repository) -> FakeJSON {
        [
            "id": .number(Double(issue.number * 10 + 1)), "number": .number(Double(issue.number)),
            "title": .string(issue.title), "body": issue.body.map(FakeJSON.string) ?? .null,
            "state": .string(issue.state), "labels": labels(issue.labels),
            "assignees": .array(issue.assignees.map(user)), "assignee": issue.assignees.first.map(user) ?? .null,
            "user": user(issue.author),
            "html_url": .string("\(htmlBase)/\(repository.fullName)/issues/\(issue.number)"),
            "created_at": time(issue.createdAt),
        ]
    }

    /// A pull request as the issues endpoints show it: with a `pull_request` key.
    static func issueJSON(_ pull: FakeGitHubPullRequest, in repository: Repository) -> FakeJSON {
        let url = "\(htmlBase)/\(repository.fullName)/pull/\(pull.number)"
        return [
            "id": .number(Double(pull.number * 10 + 2)), "number": .number(Double(pull.number)),
            "title": .string(pull.title), "body": .string(pull.body), "state": .string(pull.state),
            "labels": labels(pull.labels), "assignees": .array(pull.assignees.map(user)),
            "assignee": pull.assignees.first.map(user) ?? .null, "user": user(pull.author),
            "html_url": .string(url), "draft": .bool(pull.draft), "created_at": time(pull.createdAt),
            "pull_request": ["html_url": .string(url), "merged_at": nil],
        ]
    }

    static func json(_ pull: FakeGitHubPullRequest, in repository: Repository) -> FakeJSON {
        let owner = String(repository.fullName.prefix(while: { $0 != "/" }))
        func branch(_ ref: String) -> FakeJSON {
            [
                "ref": .string(ref), "label": .string("\(owner):\(ref)"),
                "sha": "0000000000000000000000000000000000000000",
            ]
        }
        return [
            "id": .number(Double(pull.number * 10 + 2)), "number": .number(Double(pull.number)),
            "title": .string(pull.title), "body": .string(pull.body), "state": .string(pull.state),
            "draft": .bool(pull.draft), "merged_at": nil,
            "html_url": .string("\(htmlBase)/\(repository.fullName)/pull/\(pull.number)"),
            "head": branch(pull.head), "base": branch(pull.base), "user": user(pull.author),
            "requested_reviewers": .array(pull.requestedReviewers.map(user)),
            "assignees": .array(pull.assignees.map(user)), "labels": labels(pull.labels),
            "created_at": time(pull.createdAt),
        ]
    }

    static func json(_ comment: FakeGitHubComment, in repository: Repository) -> FakeJSON {
        var members: [String: FakeJSON] = [
            "id": .number(Double(comment.id)), "user": user(comment.author), "body": .string(comment.body),
        ]
        switch comment.kind {
        case .issueComment:
            members["created_at"] = time(comment.createdAt)
            members["updated_at"] = time(comment.createdAt)
            members["html_url"] = .string(
                "\(htmlBase)/\(repository.fullName)/issues/\(comment.number)#issuecomment-\(comment.id)")
        case .review(let state):
            members["state"] = .string(state)
            members["submitted_at"] = state == "PENDING" ? nil : time(comment.createdAt)
            members["html_url"] = .string(
                "\(htmlBase)/\(repository.fullName)/pull/\(comment.number)#pullrequestreview-\(comment.id)")
        case .reviewComment(let review, let path, let line):
            members["pull_request_review_id"] = review.map { .number(Double($0)) } ?? .null
            members["path"] = .string(path)
            members["line"] = line.map { .number(Double($0)) } ?? .null
            members["original_line"] = line.map { .number(Double($0)) } ?? .null
            members["created_at"] = time(comment.createdAt)
            members["updated_at"] = time(comment.createdAt)
            members["html_url"] = .string(
                "\(htmlBase)/\(repository.fullName)/pull/\(comment.number)#discussion_r\(comment.id)")
        }
        return .object(members)
    }
}

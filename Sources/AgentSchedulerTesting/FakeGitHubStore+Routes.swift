import Foundation

extension FakeGitHubStore {
    /// Answers `call` as GitHub would, in GitHub's order: User-Agent, credentials, API version,
    /// injected faults, rate limit, then the endpoint. Records it in the log.
    ///
    /// `linkBase` is the server's URL with its prefix, for `Link` headers.
    mutating func answer(_ call: FakeGitHubCall, now: Date, linkBase: String) -> FakeGitHubAnswer {
        let token = Self.token(in: call.headers["authorization"])
        let login = token.flatMap { tokens[$0] }
        let answer = decide(call, login: login, now: now, linkBase: linkBase)
        log.append(
            FakeGitHubRequest(
                method: call.method, target: call.target, status: answer.status,
                conditional: call.headers["if-none-match"] != nil, authorized: login != nil))
        return answer
    }

    private mutating func decide(
        _ call: FakeGitHubCall, login: String?, now: Date, linkBase: String
    ) -> FakeGitHubAnswer {
        guard call.headers["user-agent"]?.isEmpty == false else {
            return .failure(
                403,
                "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required)."
            )
        }
        guard let login else { return .failure(401, "Bad credentials") }
        guard let version = call.headers["x-github-api-version"] else {
            return .failure(400, "This fake requires the X-GitHub-Api-Version header (2022-11-28)")
        }
        guard version == "2022-11-28" else {
            return .failure(400, "Invalid API version provided: \(version). Supported versions: 2022-11-28")
        }
        if let fault = takeFault(for: call.path) {
            return Self.answer(for: fault, now: now, limit: rateLimit)
        }
        var budget = budgets[login] ?? Budget(windowStart: now)
        if now.timeIntervalSince(budget.windowStart) >= rateLimitWindow {
            budget = Budget(windowStart: now)
        }
        let reset = Int((budget.windowStart.timeIntervalSince1970 + rateLimitWindow).rounded(.up))
        let exhausted = budget.used >= rateLimit
        let limited = FakeGitHubAnswer.failure(403, "API rate limit exceeded for user \(login).")
        var answer: FakeGitHubAnswer
        // Over the budget only a conditional GET is looked at: its 304 costs nothing, as on GitHub.
        if exhausted && !(call.method == "GET" && call.headers["if-none-match"] != nil) {
            answer = limited
        } else {
            answer = route(call, login: login, now: now, linkBase: linkBase)
            if let etag = answer.headers["etag"], let asked = call.headers["if-none-match"],
                asked.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag })
            {
                // A 304 carries the validators, not the page's Link: a client must remember the
                // pages after an unchanged one itself.
                answer.kind = .notModified
                answer.headers["link"] = nil
            }
            if answer.status != 304 {
                if exhausted {
                    answer = limited
                } else {
                    budget.used += 1
                }
            }
        }
        budgets[login] = budget
        answer.headers["x-ratelimit-limit"] = String(rateLimit)
        answer.headers["x-ratelimit-remaining"] = String(max(0, rateLimit - budget.used))
        answer.headers["x-ratelimit-used"] = String(budget.used)
        answer.headers["x-ratelimit-reset"] = String(reset)
        answer.headers["x-ratelimit-resource"] = "core"
        return answer
    }

    private static func answer(for fault: FakeGitHubFault, now: Date, limit: Int) -> FakeGitHubAnswer {
        switch fault {
        case .primaryRateLimit(let resetAfter, let status):
            var answer = FakeGitHubAnswer.failure(status, "API rate limit exceeded.")
            answer.headers = [
                "x-ratelimit-limit": String(limit), "x-ratelimit-remaining": "0", "x-ratelimit-used": String(limit),
                "x-ratelimit-reset": String(Int(now.timeIntervalSince1970) + resetAfter),
                "x-ratelimit-resource": "core",
            ]
            return answer
        case .secondaryRateLimit(let retryAfter, let status):
            var answer = FakeGitHubAnswer.failure(
                status, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.")
            answer.headers = ["retry-after": String(retryAfter)]
            return answer
        case .serverError(let status):
            return .failure(status, "Server Error")
        case .hang:
            return FakeGitHubAnswer(kind: .hang)
        case .dropConnection:
            return FakeGitHubAnswer(kind: .drop)
        }
    }

    /// The endpoints.
    private mutating func route(
        _ call: FakeGitHubCall, login: String, now: Date, linkBase: String
    ) -> FakeGitHubAnswer {
        let parts = call.segments
        switch (call.method, parts.count) {
        case ("GET", 1) where parts == ["user"]:
            return FakeGitHubAnswer(kind: .json(200, Self.user(login)))
        default: break
        }
        guard parts.count >= 3, parts[0] == "repos" else { return .notFound }
        let name = "\(parts[1])/\(parts[2])"
        guard let repository = repository(name) else { return .notFound }
        let rest = Array(parts.dropFirst(3))
        if call.method == "POST" {
            guard Self.acceptsBody(call) else { return .failure(415, "Unsupported 'Content-Type' header value") }
        }
        switch (call.method, rest.count) {
        case ("GET", 0):
            return FakeGitHubAnswer(kind: .json(200, Self.json(repository)))
        case ("GET", 1) where rest[0] == "issues":
            return listIssues(repository, call, linkBase: linkBase)
        case ("GET", 2) where rest[0] == "issues":
            guard let number = Int(rest[1]) else { return .notFound }
            if let issue = repository.issues[number] {
                return FakeGitHubAnswer(kind: .json(200, Self.json(issue, in: repository)))
            }
            if let pull = repository.pulls[number] {
                return FakeGitHubAnswer(kind: .json(200, Self.issueJSON(pull, in: repository)))
            }
            return .notFound
        case ("GET", 3) where rest[0] == "collaborators" && rest[2] == "permission":
            return permission(of: rest[1], in: repository)
        case ("GET", 1) where rest[0] == "pulls":
            return listPulls(repository, call, linkBase: linkBase)
        case ("POST", 1) where rest[0] == "pulls":
            return createPull(in: name, call, login: login, now: now)
        case ("GET", 2) where rest[0] == "pulls":
            guard let number = Int(rest[1]), let pull = repository.pulls[number] else { return .notFound }
            return FakeGitHubAnswer(kind: .json(200, Self.json(pull, in: repository)))
        case ("POST", 3) where rest[0] == "pulls" && rest[2] == "requested_reviewers":
            return requestReviewers(in: name, number: Int(rest[1]), call)
        case ("POST", 3) where rest[0] == "issues" && rest[2] == "assignees":
            return addAssignees(in: name, number: Int(rest[1]), call)
        case ("GET", 3) where rest[0] == "issues" && rest[2] == "comments":
            guard let number = Int(rest[1]), repository.issues[number] != nil || repository.pulls[number] != nil else {
                return .notFound
            }
            let comments = repository.comments.filter { $0.number == number && $0.kind == .issueComment }
            return Self.page(comments.map { Self.json($0, in: repository) }, call, linkBase: linkBase)
        case ("POST", 3) where rest[0] == "issues" && rest[2] == "comments":
            return addComment(in: name, number: Int(rest[1]), call, login: login, now: now)
        case ("GET", 3) where rest[0] == "pulls" && (rest[2] == "reviews" || rest[2] == "comments"):
            guard let number = Int(rest[1]), repository.pulls[number] != nil else { return .notFound }
            let wantsReviews = rest[2] == "reviews"
            let comments = repository.comments.filter { comment in
                guard comment.number == number else { return false }
                switch comment.kind {
                case .review(let state): return wantsReviews && (state != "PENDING" || comment.author == login)
                case .reviewComment: return !wantsReviews
                case .issueComment: return false
                }
            }
            return Self.page(comments.map { Self.json($0, in: repository) }, call, linkBase: linkBase)
        default:
            return .notFound
        }
    }

    private func listIssues(_ repository: Repository, _ call: FakeGitHubCall, linkBase: String) -> FakeGitHubAnswer {
        let state = call.query["state"] ?? "open"
        guard ["open", "closed", "all"].contains(state) else {
            return .failure(
                422, "Validation Failed", errors: [["resource": "Issue", "field": "state", "code": "invalid"]])
        }
        let labels = (call.query["labels"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }.filter { !$0.isEmpty }
        let assignee = call.query["assignee"]
        func matches(state itemState: String, labels itemLabels: [String], assignees: [String]) -> Bool {
            guard state == "all" || itemState == state else { return false }
            let lowered = Set(itemLabels.map { $0.lowercased() })
            guard labels.allSatisfy(lowered.contains) else { return false }
            switch assignee {
            case nil: return true
            case "none": return assignees.isEmpty
            case "*": return !assignees.isEmpty
            case let login?: return assignees.contains { $0.caseInsensitiveCompare(login) == .orderedSame }
            }
        }
        var entries: [(Int, FakeJSON)] = []
        for issue in repository.issues.values
        where matches(state: issue.state, labels: issue.labels, assignees: issue.assignees) {
            entries.append((issue.number, Self.json(issue, in: repository)))
        }
        for pull in repository.pulls.values
        where matches(state: pull.state, labels: pull.labels, assignees: pull.assignees) {
            entries.append((pull.number, Self.issueJSON(pull, in: repository)))
        }
        entries.sort { $0.0 > $1.0 }
        return Self.page(entries.map(\.1), call, linkBase: linkBase)
    }

    private func listPulls(_ repository: Repository, _ call: FakeGitHubCall, linkBase: String) -> FakeGitHubAnswer {
        let state = call.query["state"] ?? "open"
        guard ["open", "closed", "all"].contains(state) else {
            return .failure(
                422, "Validation Failed", errors: [["resource": "PullRequest", "field": "state", "code": "invalid"]])
        }
        let owner = repository.fullName.prefix(while: { $0 != "/" })
        let pulls = repository.pulls.values.filter { pull in
            guard state == "all" || pull.state == state else { return false }
            guard let head = call.query["head"] else { return true }
            return head == "\(owner):\(pull.head)"
        }.sorted { $0.number > $1.number }
        return Self.page(pulls.map { Self.json($0, in: repository) }, call, linkBase: linkBase)
    }

    private func permission(of user: String, in repository: Repository) -> FakeGitHubAnswer {
        guard let login = users[user.lowercased()] else { return .notFound }
        guard let collaborator = repository.collaborators[user.lowercased()] else {
            return .failure(404, "\(login) is not a user")
        }
        return FakeGitHubAnswer(
            kind: .json(
                200,
                [
                    "permission": .string(collaborator.permission), "role_name": .string(collaborator.roleName),
                    "user": Self.user(login),
                ]))
    }

    private mutating func createPull(
        in name: String, _ call: FakeGitHubCall, login: String, now: Date
    ) -> FakeGitHubAnswer {
        guard let json = FakeJSON(data: call.body) else { return .failure(400, "Problems parsing JSON") }
        guard case .object = json else { return .failure(400, "Body should be a JSON object") }
        for field in ["title", "head", "base"] where json[field]?.stringValue?.isEmpty ?? true {
            return .failure(422, "Invalid request.\n\n\"\(field)\" wasn't supplied.")
        }
        let title = json["title"]!.stringValue!
        var head = json["head"]!.stringValue!
        let base = json["base"]!.stringValue!
        let draft = json["draft"]?.boolValue ?? false
        let body = json["body"]?.stringValue ?? ""
        return withRepository(name) { repository -> FakeGitHubAnswer in
            let owner = String(repository.fullName.prefix(while: { $0 != "/" }))
            if head.hasPrefix("\(owner):") { head.removeFirst(owner.count + 1) }
            var invalid: [FakeJSON] = []
            if !repository.branches.contains(base) {
                invalid.append(["resource": "PullRequest", "field": "base", "code": "invalid"])
            }
            if !repository.acceptsAnyHead && !repository.branches.contains(head) {
                invalid.append(["resource": "PullRequest", "field": "head", "code": "invalid"])
            }
            if !invalid.isEmpty { return .failure(422, "Validation Failed", errors: invalid) }
            if repository.pulls.values.contains(where: { $0.head == head && $0.state == "open" }) {
                return .failure(
                    422, "Validation Failed",
                    errors: [
                        [
                            "resource": "PullRequest", "code": "custom",
                            "message": .string("A pull request already exists for \(owner):\(head)."),
                        ]
                    ])
            }
            repository.lastNumber += 1
            let pull = FakeGitHubPullRequest(
                number: repository.lastNumber, title: title, body: body, head: head, base: base, draft: draft,
                author: login, state: "open", requestedReviewers: [], assignees: [], labels: [], createdAt: now)
            repository.pulls[pull.number] = pull
            return FakeGitHubAnswer(kind: .json(201, Self.json(pull, in: repository)))
        } ?? .notFound
    }

    private mutating func requestReviewers(in name: String, number: Int?, _ call: FakeGitHubCall) -> FakeGitHubAnswer {
        guard let json = FakeJSON(data: call.body), case .object = json else {
            return .failure(400, "Problems parsing JSON")
        }
        guard let reviewers = json["reviewers"]?.arrayValue?.compactMap(\.stringValue) else {
            return .failure(422, "Invalid request.\n\n\"reviewers\" wasn't supplied.")
        }
        return withRepository(name) { repository -> FakeGitHubAnswer in
            guard let number, var pull = repository.pulls[number] else { return .notFound }
            if reviewers.contains(where: { $0.caseInsensitiveCompare(pull.author) == .orderedSame }) {
                return .failure(422, "Review cannot be requested from pull request author.")
            }
            if reviewers.contains(where: { repository.collaborators[$0.lowercased()] == nil }) {
                return .failure(
                    422,
                    "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the \(repository.fullName) repository."
                )
            }
            for reviewer in reviewers where !pull.requestedReviewers.contains(reviewer) {
                pull.requestedReviewers.append(reviewer)
            }
            repository.pulls[number] = pull
            return FakeGitHubAnswer(kind: .json(201, Self.json(pull, in: repository)))
        } ?? .notFound
    }

    private mutating func addAssignees(in name: String, number: Int?, _ call: FakeGitHubCall) -> FakeGitHubAnswer {
        guard let json = FakeJSON(data: call.body), case .object = json else {
            return .failure(400, "Problems parsing JSON")
        }
        let assignees = json["assignees"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return withRepository(name) { repository -> FakeGitHubAnswer in
            guard let number else { return .notFound }
            // GitHub silently leaves out users who may not be assigned.
            let allowed = assignees.filter { repository.collaborators[$0.lowercased()] != nil }
            if var pull = repository.pulls[number] {
                for login in allowed where !pull.assignees.contains(login) { pull.assignees.append(login) }
                repository.pulls[number] = pull
                return FakeGitHubAnswer(kind: .json(201, Self.issueJSON(pull, in: repository)))
            }
            guard var issue = repository.issues[number] else { return .notFound }
            for login in allowed where !issue.assignees.contains(login) { issue.assignees.append(login) }
            repository.issues[number] = issue
            return FakeGitHubAnswer(kind: .json(201, Self.json(issue, in: repository)))
        } ?? .notFound
    }

    private mutating func addComment(
        in name: String, number: Int?, _ call: FakeGitHubCall, login: String, now: Date
    ) -> FakeGitHubAnswer {
        guard let json = FakeJSON(data: call.body), case .object = json else {
            return .failure(400, "Problems parsing JSON")
        }
        guard let body = json["body"]?.stringValue, !body.isEmpty else {
            return .failure(422, "Invalid request.\n\n\"body\" wasn't supplied.")
        }
        let id = nextID()
        return withRepository(name) { repository -> FakeGitHubAnswer in
            guard let number, repository.issues[number] != nil || repository.pulls[number] != nil else {
                return .notFound
            }
            let comment = FakeGitHubComment(
                kind: .issueComment, id: id, number: number, author: login, body: body, createdAt: now)
            repository.comments.append(comment)
            return FakeGitHubAnswer(kind: .json(201, Self.json(comment, in: repository)))
        } ?? .notFound
    }

    /// One page of `items` as `per_page` and `page` ask, with `Link` to the others and an `ETag`.
    static func page(_ items: [FakeJSON], _ call: FakeGitHubCall, linkBase: String) -> FakeGitHubAnswer {
        let perPage = min(100, max(1, Int(call.query["per_page"] ?? "") ?? 30))
        let page = max(1, Int(call.query["page"] ?? "") ?? 1)
        let last = max(1, (items.count + perPage - 1) / perPage)
        let start = min(items.count, (page - 1) * perPage)
        let body = FakeJSON.array(Array(items[start..<min(items.count, start + perPage)]))
        var answer = FakeGitHubAnswer(kind: .json(200, body))
        answer.headers["etag"] = etag(of: body)
        func link(_ number: Int, _ relation: String) -> String {
            var query = call.query
            query["page"] = String(number)
            let text = query.sorted { $0.key < $1.key }.map { "\($0.key)=\(percentEncoded($0.value))" }.joined(
                separator: "&")
            return "<\(linkBase)\(call.path)?\(text)>; rel=\"\(relation)\""
        }
        var links: [String] = []
        if page > 1 { links += [link(page - 1, "prev")] }
        if page < last { links += [link(page + 1, "next"), link(last, "last")] }
        if page > 1 { links += [link(1, "first")] }
        if !links.isEmpty { answer.headers["link"] = links.joined(separator: ", ") }
        return answer
    }

    /// A weak ETag over the body's bytes (FNV-1a), as GitHub's are weak.
    static func etag(of body: FakeJSON) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body.encoded {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return "W/\"\(String(hash, radix: 16))\""
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(
                charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }

    /// The token of `Authorization: Bearer …` or `Authorization: token …`.
    static func token(in header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, ["bearer", "token"].contains(parts[0].lowercased()) else { return nil }
        return String(parts[1])
    }

    /// Whether a POST's `Content-Type` is one GitHub reads as JSON (or absent, which it accepts).
    static func acceptsBody(_ call: FakeGitHubCall) -> Bool {
        guard let type = call.headers["content-type"]?.lowercased() else { return true }
        return type.hasPrefix("application/json") || type.hasPrefix("application/vnd.github")
    }
}

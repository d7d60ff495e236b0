extension AgentProfileDocument {
    /// Keys of §2.1 that agentsched interprets.
    static let knownKeys = [
        "name", "description", "prompt", "model", "tools", "disallowed-tools", "mcp-servers", "limits", "permissions",
        "routing", "extends", "execute",
    ]
    /// Claude Code's spellings of keys agentsched interprets.
    static let claudeSpellings = ["disallowedTools": "disallowed-tools", "mcpServers": "mcp-servers"]
    /// Keys that Copilot, VS Code and Claude Code define: accepted and kept, not interpreted.
    static let acceptedKeys: Set<String> = [
        "target", "metadata", "color", "argument-hint", "handoffs", "infer", "user-invocable", "user-invokable",
        "disable-model-invocation", "permissionMode", "skills", "hooks", "memory", "background", "isolation",
        "effort", "disabled",
    ]
    static let limitKeys = [
        "max-turns", "max-tool-calls", "max-runtime", "max-premium-requests", "max-output-tokens", "max-ai-credits",
    ]
    /// The longest prompt GitHub accepts for a custom agent.
    static let maxPromptLength = 30_000

    /// Reads one profile file into a document, reporting problems to `decoder`.
    ///
    /// Returns `nil` only when nothing usable could be read (unreadable file, broken YAML).
    static func read(
        path: String,
        handle: String,
        format: Format,
        limits: YAMLLimits,
        decoder: DocumentDecoder
    ) -> AgentProfileDocument? {
        let source: SourceText
        do {
            source = try SourceText.read(path: path, limits: limits)
        } catch {
            decoder.report(error)
            return nil
        }
        return parse(source, handle: handle, format: format, limits: limits, decoder: decoder)
    }

    static func parse(
        _ source: SourceText,
        handle: String,
        format: Format,
        limits: YAMLLimits,
        decoder: DocumentDecoder
    ) -> AgentProfileDocument? {
        var document = AgentProfileDocument(handle: handle, path: source.path, format: format)
        if source.text.allSatisfy(\.isWhitespace) {
            decoder.report(
                .error(
                    .emptyFile, "profile file is empty", hint: "a profile needs at least a 'description'",
                    at: document.root))
            return nil
        }
        let yaml: String
        var lineOffset = 0
        var body: Located<String>?
        switch format {
        case .yaml:
            yaml = source.text
        case .markdown:
            switch FrontMatter.split(source.text) {
            case .success(let split):
                yaml = split.yaml
                lineOffset = 1
                let trimmed = split.body.trimmingSpaces
                if !trimmed.isEmpty {
                    body = Located(trimmed, at: SourceLocation(path: source.path, line: split.bodyLine))
                }
            case .failure(let failure):
                decoder.report(
                    .error(
                        .frontMatter, failure.message,
                        hint: "a Markdown profile starts with `---`, then YAML keys, then `---`, then the prompt",
                        at: SourceLocation(path: source.path, line: failure.line)))
                return nil
            }
        }
        var composer = YAMLComposer(path: source.path, lineOffset: lineOffset, limits: limits)
        let root: YAMLNode?
        do {
            root = try composer.compose(yaml)
        } catch {
            decoder.report(error)
            return nil
        }
        guard let root else {
            decoder.report(
                .error(
                    .missingKey, "profile has no keys", hint: "a profile needs at least a 'description'",
                    at: document.root))
            return nil
        }
        document.root = root.location
        document.prompt = body
        guard
            var keys = decoder.mapping(
                root, key: "profile", known: knownKeys + claudeSpellings.keys.sorted() + ["maxTurns"],
                accepted: acceptedKeys)
        else { return nil }
        document.decodeKeys(&keys, decoder: decoder)
        keys.reportUnknownKeys(in: "agent profile")
        return document
    }

    private mutating func decodeKeys(_ keys: inout MappingReader, decoder: DocumentDecoder) {
        if let node = keys.take("name"), let text = decoder.nonEmptyString(node, key: "name") {
            name = Located(text.trimmingSpaces, at: node.location)
        }
        if let node = keys.take("description") {
            descriptionWritten = true
            if let text = decoder.nonEmptyString(node, key: "description") {
                description = Located(text.trimmingSpaces, at: node.location)
            }
        }
        if let node = keys.take("prompt") {
            if format == .markdown {
                decoder.warning(
                    .unknownKey, "'prompt' is ignored in a Markdown profile",
                    hint: "write the prompt as the Markdown body below the front matter", at: node)
            } else if let text = decoder.string(node, key: "prompt") {
                prompt = Located(text, at: node.location)
            }
        }
        if let prompt, prompt.value.count > Self.maxPromptLength {
            // A warning (an error under --strict, DESIGN §2.1): the profile still loads.
            decoder.report(
                .warning(
                    .invalidValue,
                    "prompt has \(prompt.value.count) characters, more than the \(Self.maxPromptLength) GitHub accepts for a custom agent",
                    hint: "move reference material into the repository and point the agent at it",
                    at: prompt.location))
        }
        if let node = keys.take("model") {
            models = readModels(node, decoder: decoder)
        }
        if let node = keys.take("tools") {
            tools = Self.readTools(node, key: "tools", references: &toolReferences, decoder: decoder)
        }
        if let (key, node) = keys.take(anyOf: ["disallowed-tools", "disallowedTools"]) {
            disallowedTools = Self.readTools(node, key: key, references: &disallowedToolReferences, decoder: decoder)
        }
        if let (key, node) = keys.take(anyOf: ["mcp-servers", "mcpServers"]) {
            mcpServers = readMCPServers(node, key: key, decoder: decoder)
        }
        if let node = keys.take("limits") {
            readLimits(node, decoder: decoder)
        }
        if let node = keys.take("maxTurns") {
            limits.maxTurns = decoder.integer(node, key: "maxTurns", in: 1...Int.max) ?? limits.maxTurns
        }
        if let node = keys.take("permissions") {
            permission = decoder.choice(node, key: "permissions", as: AgentPermission.self)
        }
        if let node = keys.take("execute"), var execute = decoder.mapping(node, key: "execute", known: ["network"]) {
            if let network = execute.take("network") {
                executeNetwork = decoder.choice(network, key: "network", as: NetworkAccess.self)
            }
            execute.reportUnknownKeys(in: "execute")
        }
        if let node = keys.take("routing"),
            var routing = decoder.mapping(node, key: "routing", known: ["labels", "priority"])
        {
            if let labels = routing.take("labels") {
                routingLabels = decoder.stringList(labels, key: "labels", commaSeparated: true)?.map(\.value)
            }
            if let priority = routing.take("priority") {
                routingPriority = decoder.integer(priority, key: "priority", in: Int.min...Int.max)
            }
            routing.reportUnknownKeys(in: "routing")
        }
        if let node = keys.take("extends") {
            extends = decoder.stringList(node, key: "extends", commaSeparated: true) ?? []
        }
        attributes = keys.acceptedEntries.map { (key: $0.key.value, value: JSONValue($0.value)) }
    }

    private func readModels(_ node: YAMLNode, decoder: DocumentDecoder) -> [Located<String>]? {
        let names: [Located<String>]?
        if case .sequence = node.content {
            names = decoder.stringList(node, key: "model")
        } else {
            names = decoder.nonEmptyText(node, key: "model").map { [Located($0.trimmingSpaces, at: node.location)] }
        }
        if let names, names.isEmpty {
            decoder.error(.invalidValue, "'model' is an empty list", hint: "name a model or remove the key", at: node)
            return nil
        }
        return names
    }

    private static func readTools(
        _ node: YAMLNode, key: String, references: inout [(key: String, reference: Located<MCPToolReference>)],
        decoder: DocumentDecoder
    ) -> ToolSet? {
        if node.isNull { return ToolSet.none }
        guard let names = decoder.stringList(node, key: key, commaSeparated: true) else { return nil }
        var set = ToolSet()
        for name in names {
            switch ToolNameResolver.resolve(name.value) {
            case .all: set = set.union(.all)
            case .builtin(let tool): set.builtins.insert(tool)
            case .mcp(let reference):
                set.mcp.insert(reference)
                references.append((key, Located(reference, at: name.location)))
            case .unknown:
                decoder.report(
                    .warning(
                        .unknownTool, "unknown tool '\(name.value)' in '\(key)'",
                        hint: Suggestion.hint(for: name.value, among: ToolNameResolver.knownSpellings)
                            ?? "use read, search, edit, execute, agent, todo or web",
                        at: name.location))
            }
        }
        return set
    }

    private mutating func readLimits(_ node: YAMLNode, decoder: DocumentDecoder) {
        guard var keys = decoder.mapping(node, key: "limits", known: Self.limitKeys) else { return }
        if let value = keys.take("max-turns") {
            limits.maxTurns = decoder.integer(value, key: "max-turns", in: 1...Int.max)
        }
        if let value = keys.take("max-tool-calls") {
            limits.maxToolCalls = decoder.integer(value, key: "max-tool-calls", in: 1...Int.max)
        }
        if let value = keys.take("max-runtime") {
            limits.maxRuntime = decoder.duration(value, key: "max-runtime").map(HumanDuration.init)
        }
        if let value = keys.take("max-premium-requests") {
            limits.maxPremiumRequests = decoder.amount(value, key: "max-premium-requests")
        }
        if let value = keys.take("max-ai-credits") {
            limits.maxAICredits = decoder.credits(value, key: "max-ai-credits")
        }
        if let value = keys.take("max-output-tokens") {
            limits.maxOutputTokens = decoder.integer(value, key: "max-output-tokens", in: 1...10_000_000)
        }
        keys.reportUnknownKeys(in: "limits")
    }
}

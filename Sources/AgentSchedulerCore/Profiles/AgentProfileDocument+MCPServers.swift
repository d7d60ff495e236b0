extension AgentProfileDocument {
    /// Keys of one server under `mcp-servers` that agentsched interprets: Copilot's and Claude
    /// Code's shapes, and our own `read-only-tools` and `timeout`.
    static let mcpServerKeys = [
        "type", "command", "args", "env", "url", "headers", "tools", "read-only-tools", "readOnlyTools", "timeout",
    ]
    /// Keys of a server that Copilot, VS Code or Claude Code define and agentsched ignores, without a warning.
    static let mcpForeignKeys: Set<String> = [
        "cwd", "enabled", "disabled", "timeoutMs", "alwaysAllow", "autoApprove", "description", "oauth",
    ]
    /// The values of `type`: `local` and `stdio` spawn a command, `http` and `sse` speak streamable HTTP.
    static let mcpServerTypes = ["local", "stdio", "http", "sse"]

    /// Reads the mapping under `mcp-servers` (or `mcpServers`) into declarations sorted by name,
    /// remembering where each template was written so unset variables can be reported there.
    ///
    /// A server with a problem is reported and left out; the others are kept.
    mutating func readMCPServers(_ node: YAMLNode, key: String, decoder: DocumentDecoder) -> [MCPServerDeclaration]? {
        if node.isNull { return [] }
        guard case .mapping = node.content else {
            decoder.typeMismatch(node, expected: "a mapping of server names", key: key)
            return nil
        }
        guard let servers = decoder.mapping(node, key: key, known: [])?.entries else { return nil }
        var declarations: [MCPServerDeclaration] = []
        for (name, value) in servers {
            guard Self.checkServerName(name, decoder: decoder) else { continue }
            let recorded = mcpTemplates.count
            if let declaration = readMCPServer(name: name, value, key: key, decoder: decoder) {
                declarations.append(declaration)
            } else {
                // A server that is left out has no variables to check.
                mcpTemplates.removeSubrange(recorded...)
            }
        }
        return declarations.sorted { $0.name < $1.name }
    }

    /// Whether `name` can name a server: the model sees its tools as `name__tool`.
    private static func checkServerName(_ name: Located<String>, decoder: DocumentDecoder) -> Bool {
        let allowed = name.value.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
        }
        if name.value.isEmpty || !allowed {
            decoder.report(
                .error(
                    .invalidValue, "MCP server name '\(name.value)' may hold only letters, digits, '-' and '_'",
                    hint: "the model sees its tools as 'server__tool'; rename the server", at: name.location))
            return false
        }
        if name.value.contains("__") {
            decoder.report(
                .error(
                    .invalidValue,
                    "MCP server name '\(name.value)' contains '__', which separates server and tool in 'server__tool'",
                    hint: "use a single '_' or '-'", at: name.location))
            return false
        }
        return true
    }

    private mutating func readMCPServer(
        name: Located<String>, _ node: YAMLNode, key: String, decoder: DocumentDecoder
    ) -> MCPServerDeclaration? {
        guard
            var keys = decoder.mapping(
                node, key: "\(key).\(name.value)", known: Self.mcpServerKeys, accepted: Self.mcpForeignKeys)
        else { return nil }
        var ok = true
        var type: (word: String, node: YAMLNode)?
        if let value = keys.take("type") {
            if let word = decoder.text(value, key: "type"), Self.mcpServerTypes.contains(word) {
                type = (word, value)
            } else {
                if let word = value.scalar?.string, value.scalar?.isString == true {
                    decoder.error(
                        .invalidValue,
                        "'type' is '\(word)'; it must be one of \(Self.mcpServerTypes.joined(separator: ", "))",
                        hint: Suggestion.hint(for: word, among: Self.mcpServerTypes), at: value)
                }
                ok = false
            }
        }
        let commandNode = keys.take("command")
        let command = commandNode.flatMap { decoder.nonEmptyString($0, key: "command") }
        let urlNode = keys.take("url")
        var url: EnvironmentTemplate?
        if let urlNode { url = readURL(urlNode, server: name.value, decoder: decoder) }
        if (commandNode != nil && command == nil) || (urlNode != nil && url == nil) { ok = false }
        var arguments: [String] = []
        if let value = keys.take("args") {
            if let read = readArguments(value, decoder: decoder) { arguments = read } else { ok = false }
        }
        var environment: [String: EnvironmentTemplate] = [:]
        if let value = keys.take("env") {
            if let read = readTemplates(value, key: "env", server: name.value, decoder: decoder) {
                environment = read
            } else {
                ok = false
            }
        }
        var headers: [String: EnvironmentTemplate] = [:]
        if let value = keys.take("headers") {
            if let read = readTemplates(value, key: "headers", server: name.value, decoder: decoder) {
                headers = read
            } else {
                ok = false
            }
        }
        var tools: [String]?
        if let value = keys.take("tools") {
            if let names = decoder.stringList(value, key: "tools", commaSeparated: true) {
                tools = names.contains { $0.value == "*" } ? nil : names.map(\.value)
            } else {
                ok = false
            }
        }
        var readOnlyTools: [String] = []
        if let (spelling, value) = keys.take(anyOf: ["read-only-tools", "readOnlyTools"]) {
            if let names = decoder.stringList(value, key: spelling, commaSeparated: true) {
                readOnlyTools = names.map(\.value)
            } else {
                ok = false
            }
        }
        var timeout: HumanDuration?
        if let value = keys.take("timeout") {
            timeout = decoder.duration(value, key: "timeout").map(HumanDuration.init)
            if timeout == nil { ok = false }
        }
        keys.reportUnknownKeys(in: "MCP server '\(name.value)'")
        guard ok else { return nil }

        let transport: MCPTransportDeclaration
        switch (command, url) {
        case (let command?, nil):
            if let type, ["http", "sse"].contains(type.word) {
                decoder.error(
                    .invalidValue, "MCP server '\(name.value)' has type '\(type.word)' but no 'url'",
                    hint: "give the server's URL, or write 'type: stdio' for a local command", at: type.node)
                return nil
            }
            transport = .stdio(command: command, arguments: arguments, environment: environment)
        case (nil, let url?):
            if let type, ["local", "stdio"].contains(type.word) {
                decoder.error(
                    .invalidValue, "MCP server '\(name.value)' has type '\(type.word)' but no 'command'",
                    hint: "give the command to start, or write 'type: http' for a server at a URL", at: type.node)
                return nil
            }
            transport = .http(url: url, headers: headers)
        case (.some, .some):
            decoder.error(
                .invalidValue, "MCP server '\(name.value)' has both 'command' and 'url'",
                hint: "a server is either a local command or a URL; remove one", at: urlNode ?? node)
            return nil
        case (nil, nil):
            decoder.report(
                .error(
                    .missingKey, "MCP server '\(name.value)' has neither 'command' nor 'url'",
                    hint: "give 'command' (and 'args') for a local server, or 'url' for an HTTP one",
                    at: name.location))
            return nil
        }
        return MCPServerDeclaration(
            name: name.value, transport: transport, tools: tools, readOnlyTools: readOnlyTools, timeout: timeout,
            location: name.location)
    }

    /// `url`: a template whose written scheme, when it does not start with a reference, is http or https.
    private mutating func readURL(_ node: YAMLNode, server: String, decoder: DocumentDecoder) -> EnvironmentTemplate? {
        guard let text = decoder.nonEmptyString(node, key: "url") else { return nil }
        let template = EnvironmentTemplate(text.trimmingSpaces)
        if case .variable = template.parts.first {
            // `${BASE_URL}/mcp`: the scheme is only known once the variable is filled.
        } else {
            let lowered = template.text.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
                decoder.error(
                    .invalidValue, "'url' of MCP server '\(server)' must start with http:// or https://",
                    hint: "agentsched speaks streamable HTTP to servers at a URL; run others with 'command'", at: node)
                return nil
            }
        }
        mcpTemplates.append((server, "url", Located(template, at: node.location)))
        return template
    }

    /// `args`: a list of scalars; numbers and booleans are taken as written (`--port`, `8080`).
    private func readArguments(_ node: YAMLNode, decoder: DocumentDecoder) -> [String]? {
        guard case .sequence(let items) = node.content else {
            decoder.typeMismatch(node, expected: "a list of strings", key: "args")
            return nil
        }
        var arguments: [String] = []
        for item in items {
            guard let text = decoder.string(item, key: "args") else { return nil }
            arguments.append(text)
        }
        return arguments
    }

    /// `env` or `headers`: a mapping of names to template values.
    private mutating func readTemplates(
        _ node: YAMLNode, key: String, server: String, decoder: DocumentDecoder
    ) -> [String: EnvironmentTemplate]? {
        if node.isNull { return [:] }
        guard case .mapping = node.content, let entries = decoder.mapping(node, key: key, known: [])?.entries else {
            decoder.typeMismatch(node, expected: "a mapping of names to values", key: key)
            return nil
        }
        var templates: [String: EnvironmentTemplate] = [:]
        var ok = true
        for (name, value) in entries {
            guard let text = decoder.string(value, key: "\(key).\(name.value)") else {
                ok = false
                continue
            }
            let template = EnvironmentTemplate(text)
            templates[name.value] = template
            mcpTemplates.append((server, "\(key).\(name.value)", Located(template, at: value.location)))
        }
        return ok ? templates : nil
    }
}

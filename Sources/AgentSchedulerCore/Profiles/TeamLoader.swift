import Foundation

/// Loads profile files into a `Team`: parses each, merges `extends`, resolves model names against
/// the catalog, and checks what spans files (duplicate handles and names, cycles, missing parents).
struct TeamLoader {
    /// A profile file found on disk.
    struct File {
        var path: String
        var handle: String
        var format: AgentProfileDocument.Format
    }

    /// `nil` when the catalog itself could not be loaded; model names are then not checked.
    var catalog: ModelCatalog?
    var limits: YAMLLimits
    /// agentsched's environment, against which the templates of MCP servers are checked; only
    /// names are looked up, values are never reported.
    var environment: [String: String] = ProcessInfo.processInfo.environment

    /// Servers that Copilot provides to every custom agent without a declaration: `github/*` and
    /// `playwright/*` (and Claude Code's `mcp__github__…`, configured outside the profile) are not
    /// reported as undeclared.
    static let implicitMCPServers: Set<String> = ["github", "playwright"]

    func load(_ files: [File]) -> (team: Team, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var documents: [String: AgentProfileDocument] = [:]
        var order: [String] = []
        for file in files {
            let decoder = DocumentDecoder(path: file.path)
            let document = AgentProfileDocument.read(
                path: file.path, handle: file.handle, format: file.format, limits: limits, decoder: decoder)
            diagnostics += decoder.diagnostics
            guard let document else { continue }
            diagnostics += unsetVariables(document)
            if let first = documents[file.handle] {
                diagnostics.append(duplicateHandle(document, first: first))
                diagnostics.append(duplicateHandle(first, first: document))
                continue
            }
            documents[file.handle] = document
            order.append(file.handle)
        }
        var resolver = Resolver(documents: documents)
        var profiles: [AgentProfile] = []
        for handle in order {
            guard let merged = resolver.merged(handle) else { continue }
            if let profile = makeProfile(merged, diagnostics: &diagnostics) {
                profiles.append(profile)
            }
        }
        diagnostics += resolver.diagnostics
        diagnostics += checkNames(profiles, documents: documents)
        return (Team(profiles: profiles), diagnostics)
    }

    private func duplicateHandle(_ document: AgentProfileDocument, first: AgentProfileDocument) -> Diagnostic {
        .error(
            .duplicate, "agent handle '\(document.handle)' is defined twice: here and in \(first.path)",
            hint: "rename one of the files; the handle is the file name without its extension",
            at: SourceLocation(path: document.path))
    }

    /// The effective profile of a merged document, or `nil` (reported) when it lacks what a profile needs.
    private func makeProfile(_ document: AgentProfileDocument, diagnostics: inout [Diagnostic]) -> AgentProfile? {
        var models: [String] = []
        if let catalog {
            for name in document.models ?? [Located("inherit", at: document.root)] {
                if let resolution = catalog.resolve(name.value) {
                    // A retired name runs on its replacement: the profile lists the model that runs.
                    if !models.contains(resolution.model.name) { models.append(resolution.model.name) }
                    // Profiles that inherit the name through `extends` report it once, at its place.
                    if let warning = resolution.retirementWarning(for: name), !diagnostics.contains(warning) {
                        diagnostics.append(warning)
                    }
                } else {
                    diagnostics.append(
                        .error(
                            .unknownModel, "model '\(name.value)' is not in the model catalog",
                            hint: Suggestion.hint(for: name.value, among: catalog.allNames)
                                ?? "add it to policies/models.yaml or use one of its names or aliases",
                            at: name.location))
                }
            }
        } else {
            models = (document.models ?? []).map(\.value)
        }
        guard let description = document.description else {
            // A description that was written but refused has its own diagnostic already.
            if document.descriptionWritten { return nil }
            diagnostics.append(
                .error(
                    .missingKey, "missing required key 'description'",
                    hint: "say in one line what the agent is for; routing and people read it",
                    at: document.root))
            return nil
        }
        for diagnostic in undeclaredServers(document) where !diagnostics.contains(diagnostic) {
            diagnostics.append(diagnostic)
        }
        let tools = (document.tools ?? .all).subtracting(document.disallowedTools ?? .none)
        let routing: AgentRouting? =
            document.routingLabels == nil && document.routingPriority == nil
            ? nil : AgentRouting(labels: document.routingLabels ?? [], priority: document.routingPriority ?? 0)
        return AgentProfile(
            handle: document.handle,
            name: document.name?.value ?? document.handle,
            description: description.value,
            prompt: document.prompt?.value ?? "",
            models: models,
            tools: tools,
            mcpServers: document.mcpServers ?? [],
            limits: document.limits,
            permission: document.permission ?? .write,
            executeNetwork: document.executeNetwork ?? .deny,
            routing: routing,
            extends: document.extends.map(\.value),
            source: document.path,
            attributes: document.attributes.isEmpty ? nil : .object(document.attributes))
    }

    /// A located error for each variable a server's template needs that the environment lacks.
    ///
    /// The message names the variable, never a value.
    private func unsetVariables(_ document: AgentProfileDocument) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (server, key, template) in document.mcpTemplates {
            do {
                _ = try template.value.resolve(environment)
            } catch {
                diagnostics.append(
                    .error(
                        .unsetVariable, "'\(key)' of MCP server '\(server)': \(error) in agentsched's environment",
                        hint: "set it before starting agentsched, or write ${NAME:-default}",
                        at: template.location))
            }
        }
        return diagnostics
    }

    /// A warning for each MCP tool in `tools` or `disallowed-tools` whose server the merged
    /// profile does not declare.
    private func undeclaredServers(_ document: AgentProfileDocument) -> [Diagnostic] {
        let declared = (document.mcpServers ?? []).map(\.name)
        var diagnostics: [Diagnostic] = []
        for (key, reference) in document.toolReferences + document.disallowedToolReferences {
            let server = reference.value.server
            guard !declared.contains(server), !Self.implicitMCPServers.contains(server) else { continue }
            let hint =
                declared.isEmpty
                ? "declare it under 'mcp-servers'"
                : Suggestion.hint(for: server, among: declared)
                    ?? "the profile declares \(declared.joined(separator: ", "))"
            diagnostics.append(
                .warning(
                    .unknownTool,
                    "'\(key)' names '\(reference.value)' of MCP server '\(server)', which the profile does not declare",
                    hint: hint, at: reference.location))
        }
        return diagnostics
    }

    /// A display name may not be another profile's handle or name: commands accept either.
    private func checkNames(_ profiles: [AgentProfile], documents: [String: AgentProfileDocument]) -> [Diagnostic] {
        var owners: [String: [AgentProfile]] = [:]
        for profile in profiles {
            owners[profile.handle, default: []].append(profile)
            if profile.name != profile.handle { owners[profile.name, default: []].append(profile) }
        }
        var diagnostics: [Diagnostic] = []
        for profile in profiles where profile.name != profile.handle {
            for other in owners[profile.name] ?? [] where other.handle != profile.handle {
                let location = documents[profile.handle]?.name?.location ?? SourceLocation(path: profile.source)
                diagnostics.append(
                    .error(
                        .duplicate,
                        "agent name '\(profile.name)' also names the profile in \(other.source)",
                        hint: "give each agent a name no other profile uses as its name or file name",
                        at: location))
            }
        }
        return diagnostics
    }
}

extension TeamLoader {
    /// Merges `extends` chains, parents first, remembering each result and reporting cycles once.
    struct Resolver {
        var documents: [String: AgentProfileDocument]
        private(set) var diagnostics: [Diagnostic] = []
        private var merged: [String: AgentProfileDocument] = [:]
        private var failed: Set<String> = []

        init(documents: [String: AgentProfileDocument]) {
            self.documents = documents
        }

        /// The document with every parent merged in, or `nil` when its chain is broken.
        mutating func merged(_ handle: String) -> AgentProfileDocument? {
            var stack: [String] = []
            return merged(handle, stack: &stack)
        }

        private mutating func merged(_ handle: String, stack: inout [String]) -> AgentProfileDocument? {
            if let done = merged[handle] { return done }
            if failed.contains(handle) { return nil }
            guard let document = documents[handle] else { return nil }
            stack.append(handle)
            defer { stack.removeLast() }
            var result = AgentProfileDocument(handle: handle, path: document.path, format: document.format)
            var broken = false
            for parent in document.extends {
                guard let parentHandle = handleOfProfile(named: parent.value) else {
                    diagnostics.append(
                        .error(
                            .unknownAgent, "'extends' names '\(parent.value)', which is not a profile of the team",
                            hint: Suggestion.hint(for: parent.value, among: documents.keys.sorted()),
                            at: parent.location))
                    broken = true
                    continue
                }
                if let index = stack.firstIndex(of: parentHandle) {
                    let cycle = (Array(stack[index...]) + [parentHandle]).joined(separator: " → ")
                    diagnostics.append(
                        .error(
                            .cycle, "'extends' forms a cycle: \(cycle)", hint: "remove one of the links",
                            at: parent.location))
                    broken = true
                    continue
                }
                guard let parentDocument = merged(parentHandle, stack: &stack) else {
                    broken = true
                    continue
                }
                result.inherit(from: parentDocument)
            }
            if broken {
                failed.insert(handle)
                return nil
            }
            result.inherit(from: document)
            result.name = document.name
            result.root = document.root
            result.extends = document.extends
            merged[handle] = result
            return result
        }

        private func handleOfProfile(named name: String) -> String? {
            if documents[name] != nil { return name }
            return documents.values.first { $0.name?.value == name }?.handle
        }
    }
}

extension AgentProfileDocument {
    /// Takes every field `other` sets; maps (`limits`, `routing`, attributes) merge key by key, and
    /// MCP servers merge by name.
    mutating func inherit(from other: AgentProfileDocument) {
        description = other.description ?? description
        descriptionWritten = descriptionWritten || other.descriptionWritten
        prompt = other.prompt ?? prompt
        models = other.models ?? models
        tools = other.tools ?? tools
        disallowedTools = other.disallowedTools ?? disallowedTools
        if let servers = other.mcpServers {
            // By name: a child's server replaces the parent's of that name, the others stay.
            let replaced = Set(servers.map(\.name))
            mcpServers = ((mcpServers ?? []).filter { !replaced.contains($0.name) } + servers).sorted {
                $0.name < $1.name
            }
        }
        if other.tools != nil { toolReferences = other.toolReferences }
        if other.disallowedTools != nil { disallowedToolReferences = other.disallowedToolReferences }
        limits = limits.overridden(by: other.limits)
        permission = other.permission ?? permission
        executeNetwork = other.executeNetwork ?? executeNetwork
        routingLabels = other.routingLabels ?? routingLabels
        routingPriority = other.routingPriority ?? routingPriority
        for entry in other.attributes {
            attributes.removeAll { $0.key == entry.key }
            attributes.append(entry)
        }
    }
}

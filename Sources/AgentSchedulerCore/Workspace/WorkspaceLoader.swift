import Foundation
import Logging

/// Finds and loads every file of a workspace, then checks what spans files.
///
/// Loading never stops at the first problem: each file is read on its own, and every problem in
/// every file ends up in `Workspace.diagnostics`.
public struct WorkspaceLoader: Sendable {
    /// Folders profiles are read from, in this order; the later ones are GitHub Copilot's and Claude Code's.
    public static let agentFolders = ["agents", ".github/agents", ".claude/agents"]
    public static let policiesFolder = "policies"
    public static let catalogFile = "policies/models.yaml"
    public static let configurationFile = "agentsched.yaml"

    public var root: String
    public var limits: YAMLLimits
    /// More files to check as part of the workspace (`validate PATH …`), by their kind.
    public var extraFiles: [String]
    /// agentsched's environment: an MCP server's `${NAME}` that it lacks (with no `:-default`)
    /// is an error at its place. Only names are looked up; values are never reported.
    public var environment: [String: String]

    public init(
        root: String = ".", limits: YAMLLimits = .default, extraFiles: [String] = [],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.root = root
        self.limits = limits
        self.extraFiles = extraFiles
        self.environment = environment
    }

    /// `relative` as diagnostics show it: below `root`, or as is when `root` is the current folder.
    public func displayPath(_ relative: String) -> String {
        if root == "." || root.isEmpty { return relative }
        return root.hasSuffix("/") ? root + relative : root + "/" + relative
    }

    public func load() -> Workspace {
        let logger = Logger(label: "agentsched.workspace")
        let started = ContinuousClock.now
        var diagnostics: [Diagnostic] = []
        let files = discover()
        logger.debug(
            "found workspace files",
            metadata: [
                "root": "\(root)", "profiles": "\(files.profiles.count)", "policies": "\(files.policies.count)",
                "catalog": "\(files.catalog ?? "none")",
            ])

        var catalog: ModelCatalog?
        if let catalogPath = files.catalog {
            let decoder = DocumentDecoder(path: catalogPath)
            catalog = ModelCatalog.read(path: catalogPath, limits: limits, decoder: decoder)
            diagnostics += decoder.diagnostics
        } else {
            diagnostics.append(
                .error(
                    .unreadableFile, "no model catalog: \(displayPath(Self.catalogFile)) is missing",
                    hint: "list the models agents may use there",
                    at: SourceLocation(path: displayPath(Self.catalogFile))))
        }

        var configuration = WorkspaceConfiguration()
        if let configurationPath = files.configuration {
            let decoder = DocumentDecoder(path: configurationPath)
            configuration =
                WorkspaceConfiguration.read(path: configurationPath, limits: limits, decoder: decoder) ?? configuration
            diagnostics += decoder.diagnostics
        }

        if files.profiles.isEmpty {
            diagnostics.append(
                .error(
                    .missingKey,
                    "no agent profiles found in \(Self.agentFolders.map { $0 + "/" }.joined(separator: ", "))",
                    hint: "add a profile such as agents/implementer.agent.md",
                    at: SourceLocation(path: displayPath(Self.agentFolders[0]))))
        }
        let (team, teamDiagnostics) = TeamLoader(catalog: catalog, limits: limits, environment: environment).load(
            files.profiles)
        diagnostics += teamDiagnostics

        var documents: [PolicyDocument] = []
        for path in files.policies {
            let decoder = DocumentDecoder(path: path)
            if let document = PolicyDocument.read(path: path, limits: limits, decoder: decoder) {
                documents.append(document)
            }
            diagnostics += decoder.diagnostics
        }
        var checker = PolicyChecker(catalog: catalog, team: team)
        let policies = checker.check(documents)
        diagnostics += checker.diagnostics

        logger.debug(
            "loaded workspace",
            metadata: [
                "agents": "\(team.profiles.count)", "organisations": "\(policies.count)",
                "diagnostics": "\(diagnostics.count)", "duration": "\(ContinuousClock.now - started)",
            ])
        return Workspace(
            root: root, team: team, policies: policies, catalog: catalog, configuration: configuration,
            diagnostics: diagnostics)
    }

    /// The files of each kind, in a stable order, each once.
    struct Files {
        var profiles: [TeamLoader.File] = []
        var policies: [String] = []
        var catalog: String?
        var configuration: String?
    }

    /// Reads only `agentsched.yaml` (an empty configuration when there is none), with its
    /// diagnostics: what commands that never load agents need, such as where the ledger is.
    public func loadConfiguration() -> (configuration: WorkspaceConfiguration, diagnostics: [Diagnostic]) {
        let path = (root as NSString).appendingPathComponent(Self.configurationFile)
        guard FileManager.default.fileExists(atPath: path) else { return (WorkspaceConfiguration(), []) }
        let decoder = DocumentDecoder(path: path)
        let configuration = WorkspaceConfiguration.read(path: path, limits: limits, decoder: decoder)
        return (configuration ?? WorkspaceConfiguration(), decoder.diagnostics)
    }

    func discover() -> Files {
        var files = Files()
        var seen = Set<String>()
        func firstTime(_ path: String) -> Bool {
            seen.insert(URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path).inserted
        }
        for folder in Self.agentFolders {
            for name in Self.entries(of: displayPath(folder)) {
                guard let (handle, format) = AgentProfileDocument.handle(forFileName: name) else { continue }
                let path = displayPath(folder + "/" + name)
                if firstTime(path) {
                    files.profiles.append(TeamLoader.File(path: path, handle: handle, format: format))
                }
            }
        }
        for name in Self.entries(of: displayPath(Self.policiesFolder))
        where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = displayPath(Self.policiesFolder + "/" + name)
            if Self.isCatalogName(name) {
                if files.catalog == nil, firstTime(path) { files.catalog = path }
            } else if !name.hasPrefix("."), firstTime(path) {
                files.policies.append(path)
            }
        }
        let configuration = displayPath(Self.configurationFile)
        if FileManager.default.fileExists(atPath: configuration), firstTime(configuration) {
            files.configuration = configuration
        }
        for path in extraFiles.flatMap(Self.expand) where firstTime(path) {
            let name = (path as NSString).lastPathComponent
            let parent = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            if name == Self.configurationFile {
                files.configuration = files.configuration ?? path
            } else if Self.isCatalogName(name) {
                files.catalog = files.catalog ?? path
            } else if let (handle, format) = AgentProfileDocument.handle(forFileName: name),
                format == .markdown || parent == "agents" || !Self.looksLikePolicy(path)
            {
                files.profiles.append(TeamLoader.File(path: path, handle: handle, format: format))
            } else {
                files.policies.append(path)
            }
        }
        return files
    }

    static func isCatalogName(_ name: String) -> Bool { name == "models.yaml" || name == "models.yml" }

    /// A YAML file with a top-level `org:` key is a policy.
    static func looksLikePolicy(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 64 * 1024), as: UTF8.self)
        return head.split(separator: "\n").contains { $0.hasPrefix("org:") }
    }

    /// The names in a folder, sorted; none when it does not exist.
    static func entries(of folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    /// A file as itself; a folder as the YAML and Markdown files below it.
    static func expand(_ path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            return [path]
        }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let enumerator = FileManager.default.enumerator(atPath: base)
        var found: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            guard
                !relative.split(separator: "/").contains(where: {
                    $0.hasPrefix(".") && $0 != ".github" && $0 != ".claude"
                })
            else { continue }
            if [".yaml", ".yml", ".md"].contains(where: name.hasSuffix), name.lowercased() != "readme.md" {
                found.append(base + "/" + relative)
            }
        }
        return found.sorted()
    }
}

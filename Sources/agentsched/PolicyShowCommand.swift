import AgentSchedulerCore
import ArgumentParser

/// `agentsched policy show [ORG] [--format text|json]`.
struct PolicyShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one organisation's policy, or all of them.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The organisation; all when omitted.")
    var org: String?

    @Option(help: "Output format.")
    var format: TextOrJSON = .text

    func run() async throws {
        let workspace = try options.loadValidWorkspace()
        let policies = try workspace.policies(selectedBy: org)
        switch format {
        case .json:
            Console.exact(try StructuredOutput.json(org == nil ? AnyPolicies.many(policies) : .one(policies[0])))
        case .text:
            Console.output(policies.map { $0.text(catalog: workspace.catalog) }.joined(separator: "\n\n"))
        }
    }

    /// One policy as an object, or all of them as an array.
    enum AnyPolicies: Encodable {
        case one(OrganizationPolicy)
        case many([OrganizationPolicy])

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .one(let policy): try policy.encode(to: encoder)
            case .many(let policies): try policies.encode(to: encoder)
            }
        }
    }
}

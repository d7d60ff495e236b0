import Foundation
import WorkspaceFixtures

/// `make-workspace DIR [PROFILES] [POLICIES]`: writes a generated workspace for timing `agentsched validate`.
@main
struct MakeWorkspace {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let folder = arguments.first else {
            FileHandle.standardError.write(Data("usage: make-workspace DIR [PROFILES] [POLICIES]\n".utf8))
            exit(64)
        }
        let profiles = arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000
        let policies = arguments.dropFirst(2).first.flatMap { Int($0) } ?? 100
        try GeneratedWorkspace(profiles: profiles, policies: policies).write(to: URL(fileURLWithPath: folder))
        print("wrote \(profiles) profiles and \(policies) policies to \(folder)")
    }
}

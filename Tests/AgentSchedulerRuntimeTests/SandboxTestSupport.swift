import Foundation
import Testing

@testable import AgentSchedulerRuntime

/// The containments the tests run under: bubblewrap, which `.ci/run` installs (a machine without
/// it fails these tests with the probe's reason), and unconfined.
enum TestContainment {
    /// A working bubblewrap sandbox with loopback only.
    static func sandboxed(network: SandboxNetwork = .loopback) async throws -> Containment {
        switch await Bubblewrap.probe() {
        case .success(let bubblewrap): return .sandbox(bubblewrap, network: network, hidden: [])
        case .failure(let reason):
            Issue.record("these tests need bubblewrap (apt-get install bubblewrap): \(reason)")
            throw reason
        }
    }

    /// Each containment a session repository may have; `sandboxed` needs bubblewrap.
    enum Kind: String, CaseIterable, Sendable {
        case sandboxed, unconfined

        func containment() async throws -> Containment {
            switch self {
            case .sandboxed: try await TestContainment.sandboxed()
            case .unconfined: .none
            }
        }
    }
}

import AgentSchedulerCore
import Benchmark
import Foundation
import WorkspaceFixtures

/// Loading and checking a workspace of 1,000 profiles and 100 policies: what `validate` does.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(20),
        maxIterations: 20
    )

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("agentsched-bench-\(UUID().uuidString)")

    Benchmark(
        "validate 1000 profiles + 100 policies",
        configuration: .init(
            setup: { try! GeneratedWorkspace(profiles: 1_000, policies: 100).write(to: folder) },
            teardown: { try? FileManager.default.removeItem(at: folder) }
        )
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            let workspace = WorkspaceLoader(root: folder.path).load()
            precondition(workspace.errors.isEmpty, "\(workspace.errors.prefix(3))")
            blackHole(workspace)
        }
    }
}

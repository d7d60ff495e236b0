// swift-tools-version: 6.1
import PackageDescription

// Benchmarks for agentsched, kept out of the main package so that its build and tests do not
// compile the benchmark harness. Run from this folder: `swift package benchmark`.
let package = Package(
    name: "agentsched-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "agentsched", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
    ],
    targets: [
        .target(
            name: "WorkspaceFixtures",
            dependencies: [.product(name: "AgentSchedulerCore", package: "agentsched")]
        ),
        .executableTarget(
            name: "make-workspace",
            dependencies: ["WorkspaceFixtures"]
        ),
        .executableTarget(
            name: "ledger-bench",
            dependencies: [
                .product(name: "AgentSchedulerCore", package: "agentsched"),
                .product(name: "AgentSchedulerLedger", package: "agentsched"),
                .product(name: "AgentSchedulerLedgerSQLite", package: "agentsched"),
                .product(name: "AgentSchedulerLedgerPostgres", package: "agentsched"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .executableTarget(
            name: "runtime-bench",
            dependencies: [
                .product(name: "AgentSchedulerRuntime", package: "agentsched"),
                .product(name: "AgentSchedulerTesting", package: "agentsched"),
            ]
        ),
        .executableTarget(
            name: "sandbox-bench",
            dependencies: [
                .product(name: "AgentSchedulerCore", package: "agentsched"),
                .product(name: "AgentSchedulerRuntime", package: "agentsched"),
            ]
        ),
        .executableTarget(
            name: "mcp-bench",
            dependencies: [
                .product(name: "AgentSchedulerCore", package: "agentsched"),
                .product(name: "AgentSchedulerRuntime", package: "agentsched"),
                .product(name: "AgentSchedulerTesting", package: "agentsched"),
            ]
        ),
        .executableTarget(
            name: "search-bench",
            dependencies: [
                .product(name: "AgentSchedulerCore", package: "agentsched"),
                .product(name: "AgentSchedulerRuntime", package: "agentsched"),
            ]
        ),
        .executableTarget(
            name: "scheduler-bench",
            dependencies: [.product(name: "AgentSchedulerTesting", package: "agentsched")]
        ),
        .executableTarget(
            name: "forge-bench",
            dependencies: [
                .product(name: "AgentSchedulerForges", package: "agentsched"),
                .product(name: "AgentSchedulerTesting", package: "agentsched"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "serve-bench",
            dependencies: [
                .product(name: "AgentSchedulerCore", package: "agentsched"),
                .product(name: "AgentSchedulerLedger", package: "agentsched"),
                .product(name: "AgentSchedulerLedgerSQLite", package: "agentsched"),
                .product(name: "AgentSchedulerTesting", package: "agentsched"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "WorkspaceLoading",
            dependencies: [
                "WorkspaceFixtures",
                .product(name: "AgentSchedulerCore", package: "agentsched"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/WorkspaceLoading",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

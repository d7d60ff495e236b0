// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "agentsched",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "agentsched", targets: ["agentsched"]),
        .library(name: "AgentSchedulerCore", targets: ["AgentSchedulerCore"]),
        .library(name: "AgentSchedulerLedger", targets: ["AgentSchedulerLedger"]),
        .library(name: "AgentSchedulerLedgerSQLite", targets: ["AgentSchedulerLedgerSQLite"]),
        .library(name: "AgentSchedulerLedgerPostgres", targets: ["AgentSchedulerLedgerPostgres"]),
        .library(name: "AgentSchedulerRuntime", targets: ["AgentSchedulerRuntime"]),
        .library(name: "AgentSchedulerTesting", targets: ["AgentSchedulerTesting"]),
        .library(name: "AgentSchedulerForges", targets: ["AgentSchedulerForges"]),
        .library(name: "AgentScheduler", targets: ["AgentScheduler"]),
        .library(name: "AgentSchedulerServer", targets: ["AgentSchedulerServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/swhitty/FlyingFox.git", exact: "0.27.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", exact: "0.12.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
    ],
    targets: [
        .target(
            name: "AgentSchedulerCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The ledger's contract: role protocols, models, the budget engine, the fair-share queue.
        .target(
            name: "AgentSchedulerLedger",
            dependencies: [
                "AgentSchedulerCore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The zero-setup engine: one SQLite file in the state folder (GRDB).
        .target(
            name: "AgentSchedulerLedgerSQLite",
            dependencies: [
                "AgentSchedulerCore",
                "AgentSchedulerLedger",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The engine for workers on several machines: a PostgreSQL database (postgres-nio).
        .target(
            name: "AgentSchedulerLedgerPostgres",
            dependencies: [
                "AgentSchedulerCore",
                "AgentSchedulerLedger",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "AgentSchedulerRuntime",
            dependencies: [
                "AgentSchedulerCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "MCP", package: "swift-sdk"),
            ]
        ),
        // Issue sources and pull-request targets: local issue files today, GitHub REST later.
        .target(
            name: "AgentSchedulerForges",
            dependencies: [
                "AgentSchedulerCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // Test support: a fake OpenAI- and Anthropic-compatible model server on 127.0.0.1.
        .target(
            name: "AgentSchedulerTesting",
            dependencies: [
                "AgentSchedulerCore", .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "AgentScheduler",
            dependencies: [
                "AgentSchedulerCore",
                "AgentSchedulerLedger",
                "AgentSchedulerLedgerSQLite",
                "AgentSchedulerLedgerPostgres",
                "AgentSchedulerForges",
                "AgentSchedulerRuntime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "MCP", package: "swift-sdk"),
            ]
        ),
        // `agentsched serve`: the HTTP API, the Agents page and GitHub webhooks (Hummingbird 2).
        .target(
            name: "AgentSchedulerServer",
            dependencies: [
                "AgentSchedulerCore",
                "AgentSchedulerLedger",
                "AgentSchedulerForges",
                "AgentScheduler",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "agentsched",
            dependencies: [
                "AgentSchedulerServer",
                "AgentSchedulerCore",
                "AgentSchedulerLedger",
                "AgentSchedulerForges",
                "AgentScheduler",
                "AgentSchedulerRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "AgentSchedulerCoreTests", dependencies: ["AgentSchedulerCore"]),
        .testTarget(
            name: "AgentSchedulerLedgerTests",
            dependencies: [
                "AgentSchedulerLedger", "AgentSchedulerLedgerSQLite", "AgentSchedulerLedgerPostgres",
                "AgentSchedulerTesting", "agentsched-ledger-worker",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "AgentSchedulerLedgerPostgresTests",
            dependencies: [
                "AgentSchedulerLedgerPostgres", "AgentSchedulerLedgerSQLite", "AgentSchedulerLedger",
                "AgentSchedulerCore",
                "AgentSchedulerTesting", .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "AgentSchedulerTests",
            dependencies: [
                "AgentScheduler", "AgentSchedulerLedgerSQLite", "AgentSchedulerRuntime", "AgentSchedulerTesting",
            ]),
        .testTarget(
            name: "AgentSchedulerRuntimeTests",
            dependencies: ["AgentSchedulerRuntime", "AgentSchedulerTesting"]
        ),
        .testTarget(
            name: "AgentSchedulerServerTests",
            dependencies: [
                "AgentSchedulerServer", "AgentScheduler", "AgentSchedulerLedgerSQLite", "AgentSchedulerTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "AgentSchedulerTestingTests", dependencies: ["AgentSchedulerTesting"]),
        .testTarget(
            name: "AgentSchedulerForgesTests",
            dependencies: [
                "AgentSchedulerForges", "AgentSchedulerTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // A worker process for the ledger's cross-process tests: reserves and commits against one
        // ledger file, or holds reservations until it is killed.
        .executableTarget(
            name: "agentsched-ledger-worker",
            dependencies: ["AgentSchedulerLedger", "AgentSchedulerLedgerSQLite", "AgentSchedulerLedgerPostgres"],
            path: "Tests/LedgerWorker"
        ),
        .testTarget(
            name: "agentschedTests",
            dependencies: [
                "agentsched", "AgentSchedulerCore", "AgentSchedulerLedger", "AgentSchedulerLedgerSQLite",
                "AgentSchedulerLedgerPostgres", "AgentSchedulerTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)

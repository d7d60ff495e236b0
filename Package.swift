// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "agentsched",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "agentsched", targets: ["agentsched"]),
        .library(name: "AgentSchedulerCore", targets: ["AgentSchedulerCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
    ],
    targets: [
        .target(
            name: "AgentSchedulerCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "agentsched",
            dependencies: [
                "AgentSchedulerCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "AgentSchedulerCoreTests", dependencies: ["AgentSchedulerCore"]),
        .testTarget(name: "agentschedTests", dependencies: ["agentsched"]),
    ],
    swiftLanguageModes: [.v6]
)

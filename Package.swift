// swift-tools-version:6.0
import PackageDescription

// Swift 6 language mode (strict concurrency) for every target, plus explicit `any` for existentials.
let settings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "SupplyChainBroker",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "broker", targets: ["broker"]),
        .library(name: "Sonata", targets: ["Sonata"]),
        .library(name: "Ledger", targets: ["Ledger"]),
        .library(name: "ScenarioModel", targets: ["ScenarioModel"]),
        .library(name: "Simulation", targets: ["Simulation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Floor 0: JSON values and their RFC 8785 canonical bytes (what ledger hashes are taken over).
        .target(name: "CanonicalJSON", swiftSettings: settings),
        // Floor 1: MEF Sonata wire messages + MEF 79.1 validation; the bilateral ledger and its auditor.
        .target(name: "Sonata", dependencies: ["CanonicalJSON"], swiftSettings: settings),
        .target(
            name: "Ledger",
            dependencies: [
                "CanonicalJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // The entry insert binds its columns straight from the entry's bytes (SQLiteLedgerStore.flush).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: settings
        ),
        // Floor 2: the vocabulary the roles share.
        .target(
            name: "SupplyChain",
            dependencies: ["Sonata", "Ledger", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: settings
        ),
        // Floor 3: the ETSI PDL roles, pure state machines.
        .target(name: "SBUS", dependencies: ["SupplyChain", "Sonata", "Ledger"], swiftSettings: settings),
        .target(name: "SCO", dependencies: ["SupplyChain", "Sonata", "Ledger"], swiftSettings: settings),
        .target(name: "BBUS", dependencies: ["SupplyChain", "Sonata", "Ledger"], swiftSettings: settings),
        // Floor 4: one provider = S-BUS + SCO/SOF + B-BUS composed.
        .target(name: "Provider", dependencies: ["SBUS", "SCO", "BBUS"], swiftSettings: settings),
        // Floor 5: what a scenario means, shared by both drivers: the scenario files (embedded), the plan compiled
        // from one, the retail buyers' ordering decisions, expectations and the run's result.
        .target(
            name: "ScenarioModel",
            dependencies: [
                "Provider", "SBUS", "SCO", "BBUS", "SupplyChain", "Sonata", "Ledger", "CanonicalJSON",
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Scenarios")],
            swiftSettings: settings
        ),
        // Floor 6: the deterministic discrete-event driver.
        .target(
            name: "Simulation",
            dependencies: ["ScenarioModel", "Provider"],
            swiftSettings: settings
        ),
        // Floor 6: the live driver — one provider per process over HTTP (MEF Sonata), SQLite ledgers, real clock.
        .target(
            name: "Node",
            dependencies: [
                "ScenarioModel",
                "Provider",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: settings
        ),
        // Floor 7: the command line, argument parsing only.
        .executableTarget(
            name: "broker",
            dependencies: [
                "ScenarioModel",
                "Simulation",
                "SupplyChain",
                "Node",
                "Ledger",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        .testTarget(name: "CanonicalJSONTests", dependencies: ["CanonicalJSON"], swiftSettings: settings),
        .testTarget(
            name: "SonataTests",
            dependencies: ["Sonata"],
            resources: [.copy("Fixtures")],
            swiftSettings: settings
        ),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger"], swiftSettings: settings),
        // Shared fixtures of the role and router tests: small providers, requests and effect filters.
        .target(
            name: "RoleTestSupport",
            dependencies: ["Provider", "SBUS", "SCO", "BBUS", "SupplyChain", "Sonata", "Ledger", "CanonicalJSON"],
            path: "Tests/RoleTestSupport",
            swiftSettings: settings
        ),
        .testTarget(
            name: "ProviderTests",
            dependencies: ["Provider", "RoleTestSupport", "SupplyChain", "Sonata", "Ledger", "CanonicalJSON"],
            swiftSettings: settings
        ),
        // One test target per role, driving its state machine directly (and through the router where a flow
        // crosses roles).
        .testTarget(
            name: "SBUSTests",
            dependencies: ["SBUS", "Provider", "RoleTestSupport", "SupplyChain", "Sonata", "Ledger", "CanonicalJSON"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "SCOTests",
            dependencies: ["SCO", "Provider", "RoleTestSupport", "SupplyChain", "Sonata", "Ledger", "CanonicalJSON"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "BBUSTests",
            dependencies: ["BBUS", "Provider", "RoleTestSupport", "SupplyChain", "Sonata", "Ledger", "CanonicalJSON"],
            swiftSettings: settings
        ),
        .testTarget(name: "ScenarioModelTests", dependencies: ["ScenarioModel"], swiftSettings: settings),
        .testTarget(
            name: "SimulationTests",
            dependencies: [
                "Simulation", "ScenarioModel", "Sonata", "SupplyChain", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: settings),
        .testTarget(
            name: "NodeTests",
            dependencies: [
                "Node",
                // The cluster tests run each scenario on both drivers and compare the results.
                "Simulation",
                "ScenarioModel",
                "SBUS",
                "CanonicalJSON",
                "Ledger",
                "SupplyChain",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: settings
        ),
        .testTarget(name: "BrokerTests", dependencies: ["broker", "Ledger"], swiftSettings: settings),
        // Fuzz targets over every reader of outside input (bounded: FUZZ_ITERATIONS, default 1,500 each).
        .testTarget(
            name: "FuzzTests",
            dependencies: ["CanonicalJSON", "Sonata", "Ledger", "SupplyChain", "ScenarioModel", "Node"],
            swiftSettings: settings
        ),
    ]
)

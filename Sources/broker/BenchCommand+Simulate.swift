import ArgumentParser
import Foundation
import ScenarioModel
import Simulation

extension BenchCommand {
    /// `broker bench simulate`: simulator throughput on a generated ecosystem beside the crypto bound.
    struct SimulateBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract:
                "Simulator throughput on a generated ecosystem, beside the Ed25519 bound measured in the same run.",
            discussion: """
                Generates a random wholesale ecosystem (providers, routes of 3 to 8 hops per product offering, a
                competing seller on a third of them), sends the retail POQs through it on the simulator with real,
                co-signed in-memory ledgers, and prints retail POQs/s, agreed ledger entries/s beside the one-core
                crypto bound 1/(2·t_sign + 2·t_verify), and peak memory. Build in release first. On a terminal,
                the run's progress shows on standard error a few times a second (--quiet: none).

                Example:
                  swift build -c release && .build/release/broker bench simulate --providers 1000 --requests 10000

                Exit codes: 0 ok, 2 bad input.
                """
        )

        @Option(help: "Providers in the ecosystem.") var providers = 1_000
        @Option(help: "Retail POQs sent into it.") var requests = 10_000
        @Option(help: "Routes (one product offering each).") var chains = 2_000
        @Option(help: "Seed of the generated ecosystem.") var seed: UInt64 = 1
        @Flag(help: "Print the figures as JSON.") var json = false
        @Flag(help: "Show no progress on standard error.") var quiet = false

        func validate() throws {
            guard providers >= 8 else {
                throw ValidationError("--providers must be at least 8 (routes have up to 8 hops)")
            }
            guard requests > 0, chains > 0 else { throw ValidationError("--requests and --chains must be positive") }
        }

        func run() throws {
            let progress = ProgressDisplay(quiet: quiet)
            let result = try SimulationBenchmark.run(
                EcosystemGenerator.Shape(providers: providers, requests: requests, chains: chains), seed: seed,
                progress: progress.update)
            progress.finish()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                print(result.report)
            }
        }
    }
}

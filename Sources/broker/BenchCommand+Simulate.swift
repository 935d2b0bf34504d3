import ArgumentParser
import Foundation
import ScenarioModel
import Simulation
import SupplyChain

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

                --sizes runs the same market at several numbers of requests, smallest first, in one process, \
                and prints entries/s, peak memory and the most events open at once (messages in flight, timers) \
                of each (the peak is reset between sizes): whether the cost grows linearly with the history. With \
                --spacing 1s requests arrive one a second, so a run of 8,000 outlasts the 10-minute windows many \
                times over and what is open stays bounded while the history grows. The ledgers keep heads and Merkle frontiers only (--ledgers \
                entries: every entry in memory, as before issue 19).

                Examples:
                  swift build -c release && .build/release/broker bench simulate --providers 1000 --requests 10000
                  .build/release/broker bench simulate --providers 30 --chains 60 --sizes 500,2000,8000 --spacing 1s

                Exit codes: 0 ok, 2 bad input.
                """
        )

        @Option(help: "Providers in the ecosystem.") var providers = 1_000
        @Option(help: "Retail POQs sent into it.") var requests = 10_000
        @Option(help: "Routes (one product offering each).") var chains = 2_000
        @Option(help: "Seed of the generated ecosystem.") var seed: UInt64 = 1
        @Option(help: "Run the market at each of these numbers of requests (comma-separated) instead of --requests.")
        var sizes: String?
        @Option(help: "Share of the retail requests that are inquiries (quotes kept for orders), 0 to 1.")
        var inquiryShare = 0.0
        @Option(help: "Virtual time between two retail requests (10ms, 1s, …); each has a 10-minute window.")
        var spacing = "10ms"
        @Option(help: "What the ledgers keep in memory: heads (head and Merkle frontier) or entries (every entry).")
        var ledgers: LedgerRetention = .heads
        @Flag(help: "Print the figures as JSON.") var json = false
        @Flag(help: "Show no progress on standard error.") var quiet = false

        func validate() throws {
            guard providers >= 8 else {
                throw ValidationError("--providers must be at least 8 (routes have up to 8 hops)")
            }
            guard requests > 0, chains > 0 else { throw ValidationError("--requests and --chains must be positive") }
            guard (0...1).contains(inquiryShare) else { throw ValidationError("--inquiry-share: a share from 0 to 1") }
            guard let span = TimeSpan(parsing: spacing), span > .zero else {
                throw ValidationError("--spacing: a positive duration (10ms, 1s, 5m)")
            }
            _ = try parsedSizes()
        }

        /// The sizes of `--sizes`, or `nil` without it.
        func parsedSizes() throws -> [Int]? {
            guard let sizes else { return nil }
            let parsed = sizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parsed.isEmpty, parsed.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw ValidationError("--sizes: positive numbers of requests, comma-separated: 500,2000,8000")
            }
            return parsed.compactMap { $0 }
        }

        func run() throws {
            let progress = ProgressDisplay(quiet: quiet)
            let shape = EcosystemGenerator.Shape(
                providers: providers, requests: requests, chains: chains, inquiryShare: inquiryShare,
                spacing: TimeSpan(parsing: spacing) ?? TimeSpan(milliseconds: 10))
            if let sizes = try parsedSizes() {
                let results = try SimulationBenchmark.scaling(
                    shape, sizes: sizes, seed: seed, ledgers: ledgers, progress: progress.update)
                progress.finish()
                try BenchCommand.printFigures(results, json: json, report: SimulationBenchmark.scalingReport(results))
                return
            }
            let result = try SimulationBenchmark.run(
                shape, seed: seed, ledgers: ledgers, progress: progress.update)
            progress.finish()
            try BenchCommand.printFigures(result, json: json, report: result.report)
        }
    }
}

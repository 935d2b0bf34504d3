import ArgumentParser
import Foundation
import ScenarioModel
import Simulation

extension BenchCommand {
    /// `broker bench reports`: daily performance reports across a generated ecosystem beside the crypto bound.
    struct ReportsBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reports",
            abstract:
                "Daily performance reports along every chain of a generated ecosystem, beside the Ed25519 bound "
                + "measured in the same run.",
            discussion: """
                Generates the wholesale ecosystem of `bench simulate` (routes of 3 to 8 hops, a competing seller on \
                a third of them), with an SLA and a measured baseline on every catalog offering. Each retail service \
                is an inquiry whose quote is ordered with a daily reporting schedule and a term of at least a year. \
                Once the services are active, every day each provider's SOF measures its own element (sof.measured), \
                each seller delivers its scheduled report to its buyer (report.delivered, on their ledger), and each \
                buyer aggregates it into its own report, up to the retail buyer. Every entry is signed, \
                countersigned and both signatures verified, and written to one SQLite file per party, so memory \
                does not hold the ledgers.

                Prints services, hops, reports delivered, ledger entries, wall time, entries/s and reports/s, each \
                beside the bound 1/(2·t_sign + 2·t_verify) per core measured in the same run, and peak memory. \
                Build in release first: a year of 1,000 services (2.4 million entries) took 16 minutes on a busy \
                2-core machine.

                Examples:
                  swift build -c release --product broker
                  .build/release/broker bench reports --services 1000 --days 365
                  .build/release/broker bench reports --services 50 --days 30 --audit

                Exit codes: 0 ok, 1 the run failed, 2 bad input.
                """
        )

        @Option(help: "Providers in the ecosystem (at least 8: routes have up to 8 hops).") var providers = 1_000
        @Option(help: "Retail services ordered (as many routes are generated; each service takes one at random).")
        var services = 1_000
        @Option(help: "Days of daily reports on every service.") var days = 365
        @Option(help: "Seed of the generated ecosystem.") var seed: UInt64 = 1
        @Option(help: "Directory for the SQLite ledger files, kept (default: a new temporary one, removed).")
        var out: String?
        @Flag(help: "Audit both copies of every ledger after the run (timed apart from it).") var audit = false
        @Flag(help: "Print the figures as JSON.") var json = false

        func validate() throws {
            guard providers >= 8 else {
                throw ValidationError("--providers must be at least 8 (routes have up to 8 hops)")
            }
            guard services > 0 else { throw ValidationError("--services must be positive") }
            guard (1...3_650).contains(days) else { throw ValidationError("--days must be from 1 to 3650") }
        }

        func run() throws {
            let directory =
                out.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                    "broker-bench-reports-\(UUID().uuidString)")
            defer { if out == nil { try? FileManager.default.removeItem(at: directory) } }
            let result = try ReportsBenchmark.run(
                EcosystemGenerator.Shape(
                    providers: providers, requests: services, chains: services, reportingDays: days),
                seed: seed, directory: directory, audit: audit)
            try BenchCommand.printFigures(result, json: json, report: result.report)
        }
    }
}

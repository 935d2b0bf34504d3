import ArgumentParser
import Foundation
import Ledger

/// `broker bench`: speed figures measured beside their physical bounds.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed beside the bound the hardware allows.",
        subcommands: [LedgerBench.self, SimulateBench.self, ReportsBench.self, ClusterBench.self]
    )

    struct LedgerBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledger",
            abstract: "Ed25519 sign/verify, agreed appends to SQLite (synchronous=FULL) and audit speed, in one run.",
            discussion: """
                Prints raw Ed25519 sign/s and verify/s (one core); agreed entries/s (signed, countersigned, both \
                verified, written to two SQLite copies with synchronous=FULL, one transaction per 1,000 entries) \
                beside the one-core bound 1/(2·t_sign + 2·t_verify); the same entries agreed in batches of 256 \
                (one transaction per batch per copy, as a live lane does), on one ledger and on one ledger per core \
                at once, beside the all-core bound cores/(2·t_sign + 2·t_verify); and audit entries/s on all cores \
                (the file read and checked at once) beside cores/(2·t_verify). Build in release first.

                Example:
                  swift build -c release && .build/release/broker bench ledger --entries 20000

                Exit codes: 0 ok, 2 bad input.
                """
        )

        @Option(help: "Agreed entries to append and audit.") var entries = 20_000
        @Option(help: "Directory for the temporary SQLite files.") var directory = FileManager.default
            .temporaryDirectory.path
        @Flag(help: "Print the figures as JSON.") var json = false
        @Flag(help: "Keep the two SQLite copies (with a co-signed checkpoint) in --directory.") var keepFiles = false

        func run() throws {
            guard entries > 0 else { fail("--entries must be positive") }
            let result: LedgerBenchmark.Result
            do {
                result = try LedgerBenchmark.run(entries: entries, directory: directory, keepFiles: keepFiles)
            } catch {
                fail("\(error)")
            }
            try BenchCommand.printFigures(result, json: json, report: result.report, terminator: "")
        }
    }
}

extension BenchCommand {
    /// Prints a benchmark's figures: as sorted, indented JSON with `--json`, else its report text.
    static func printFigures(
        _ figures: some Encodable, json: Bool, report: @autoclosure () -> String, terminator: String = "\n"
    ) throws {
        guard json else { return print(report(), terminator: terminator) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        print(String(decoding: try encoder.encode(figures), as: UTF8.self))
    }
}

import ArgumentParser
import Foundation
import Ledger
import ScenarioModel
import Simulation

/// `broker simulate`: runs a scenario on the deterministic simulator and checks its expectations.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a multi-hop supply-chain scenario on the deterministic simulator.",
        discussion: """
            Every provider of the scenario runs the real protocol core (S-BUS, SCO with its SOF, B-BUS) on one \
            virtual clock; every request, answer, SOF answer and loop-prevention list is recorded on signed, \
            co-signed bilateral ledgers. The same scenario and seed give the same ledger head hashes.

            SCENARIO is a YAML file (see README, "Scenario format") or the name of an embedded scenario \
            (--list shows them). Without SCENARIO the embedded demo 'five-hop-chain' runs.

            Prints, for each retail request, the answer, price, confidence and the path each item took down the \
            chain; for an ordered service, its order, changes and terms, each trouble ticket's life and repair \
            outage, its performance reports and, when contracts bill it, the invoices; then every ledger with its \
            head hash, each provider's SLA reputation (x.y:n), the audit of both copies, and the expectations.

            Examples:
              broker simulate
              broker simulate diamond --json
              broker simulate fault-multi-hop         # a fibre cut four hops down: tickets, outages, closures
              broker simulate performance-reports     # daily reports along four hops, an outage day
              broker simulate Scenarios/loop.yaml --seed 7 --out out/ledgers
              broker audit out/ledgers
              broker simulate diamond --witness --out out/w   # a witness cosigns every checkpoint
              broker audit out/w --witness-key "$(cat out/w/witness.vkey)"
              broker simulate order-delivery --report run.html

            --report FILE writes one self-contained HTML page (inline CSS and SVG, nothing fetched): the topology, \
            each demand's message sequence (requests, answers, silences, the path chosen, prices), each service's \
            timeline, and every ledger with its entries, their verification state and the audit.

            On a terminal, a long run shows its progress on standard error (events, virtual time, answers, rate), \
            a few times a second; --quiet, or standard error not a terminal, keeps it silent.

            --witness runs a neutral witness in the process (LEDGER.md, "The witness"): every checkpoint is \
            submitted with its consistency proof and stored in both copies with the witness's cosignature; the \
            end-of-run audit verifies it. The witness's verifier key is printed on standard error and, with \
            --out, written to witness.vkey there.

            A long run's memory: --ledgers heads keeps each ledger's head and Merkle frontier instead of every \
            entry, so memory grows with what is open (requests in flight, valid quotes, services), not with the \
            history. Add --out DIR to keep the entries on disk: they are written a batch at a time and the \
            end-of-run audit reads them back from the files, one ledger at a time. Without --out nothing is left \
            to audit after the run (both parties verified every entry as they agreed it), and the summary says so.

              broker generate --preset benchmark --providers 30 --chains 60 --requests 8000 -o big.yaml
              broker simulate big.yaml --ledgers heads --quiet

            --runs N runs the scenario on N seeds (--seed S, S+1, …; default the scenario's), several at a time \
            (one per core), and prints statistics instead of one run: per demand and over all, how many answers \
            came READY with green confidence within the window, price quantiles (p10/p50/p90, nearest rank), how \
            many providers the longest item's path had, the time to answer, the requests providers were sent per \
            retail request (the fan-out) and the ledger entries per retail request. --csv DIR writes runs.csv (one \
            row per run and demand) and demands.csv (the statistics); --json prints everything as one document. \
            Stochastic behaviour (README, "Scenario format": delay distributions, silence, activationFailure, \
            capacity) is drawn from each run's seed, so the same scenario, N and S give the same statistics.

              broker generate --tiers 10,40,70,80 --sellers 3 --demands 20 --slow-tier 2 -o slow.yaml
              broker simulate slow.yaml --runs 50 --seed 1 --csv out/slow

            Exit codes: 0 every expectation met (with --runs: the batch ran), 1 an expectation failed, 2 bad \
            scenario file or options.
            """
    )

    @Argument(help: "Scenario file or embedded scenario name (default: five-hop-chain).")
    var scenario: String?

    @Option(help: "Seed for every random choice (overrides the scenario's seed).")
    var seed: UInt64?

    @Option(help: "Write each party's ledger copies as SQLite files into this directory.")
    var out: String?

    @Flag(help: "Print the result as one JSON document.")
    var json = false

    @Flag(help: "Have an in-process witness cosign every checkpoint (its key derives from the seed).")
    var witness = false

    @Flag(help: "List the embedded scenarios and exit.")
    var list = false

    @Option(help: "Write the run report, one self-contained HTML file, here.")
    var report: String?

    @Flag(help: "Show no progress on standard error.")
    var quiet = false

    @Option(
        help: """
            What the run keeps of its ledgers in memory: entries (every entry, for the audit and --report) or heads \
            (each copy's head and Merkle frontier: memory flat on long runs; with --out the entries still go to the \
            SQLite files and are audited from them). Default: entries for one run; heads for --runs, whose runs are \
            then not audited (--runs N --ledgers entries audits every run and checks `ledgers: clean`).
            """)
    var ledgers: LedgerRetention?

    @Option(help: "Run this many seeds (--seed, --seed + 1, …) and print statistics.")
    var runs: Int?

    @Option(help: "With --runs: write runs.csv and demands.csv into this directory.")
    var csv: String?

    @Option(help: "With --runs: runs at a time (default: one per core).")
    var jobs: Int?

    func run() async throws {
        if list {
            for name in ScenarioLoader.embeddedNames() { print(name) }
            return
        }
        if let runs {
            try await batch(runs: runs)
            return
        }
        if csv != nil || jobs != nil { try Self.refuse("--csv and --jobs go with --runs") }
        let result: SimulationResult
        do {
            let (parsed, directory) = try ScenarioLoader.load(scenario ?? ScenarioLoader.defaultScenarioName)
            let plan = try SimulationPlan(parsed, directory: directory, seedOverride: seed)
            let ledgers = self.ledgers ?? .entries
            if ledgers == .heads && out == nil && (report != nil || witness) {
                try Self.refuse("--ledgers heads keeps no entries for --report or --witness: add --out DIR")
            }
            let simulator = try Simulator(
                plan: plan, ledgerDirectory: out.map { URL(fileURLWithPath: $0) }, witnessed: witness,
                ledgers: ledgers)
            let progress = ProgressDisplay(quiet: quiet)
            simulator.onProgress = progress.update
            result = try simulator.run()
            progress.finish()
            if let report {
                let document = RunReport(
                    plan: plan, result: result, ledgers: try simulator.ledgerCopies(), driver: "simulated")
                try Data(document.html.utf8).write(to: URL(fileURLWithPath: report))
            }
            if let key = simulator.witnessKey {
                let count = try simulator.witnessedCheckpoints().count
                FileHandle.standardError.write(
                    Data("broker simulate: witness \(key) cosigned the checkpoints of \(count) ledgers\n".utf8))
                if let out {
                    try Data("\(key)\n".utf8).write(
                        to: URL(fileURLWithPath: out).appendingPathComponent("witness.vkey"))
                }
            }
        } catch let error as ScenarioError {
            FileHandle.standardError.write(Data("broker simulate: bad scenario: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(result.summary)
        }
        if !result.passed { throw ExitCode(1) }
    }
}

extension LedgerRetention: ExpressibleByArgument {}

extension SimulateCommand {
    /// `--runs N`: the scenario on N seeds, several at a time, and the statistics.
    func batch(runs: Int) async throws {
        guard runs >= 1 else { try Self.refuse("--runs: give 1 or more runs") }
        if let jobs, jobs < 1 { try Self.refuse("--jobs: give 1 or more runs at a time") }
        guard out == nil, report == nil, !witness else {
            try Self.refuse("--runs does not write ledgers or reports: drop --out, --report and --witness")
        }
        let batchReport: BatchReport
        do {
            let (parsed, directory) = try ScenarioLoader.load(scenario ?? ScenarioLoader.defaultScenarioName)
            let progress = ProgressDisplay(quiet: quiet)
            progress.runs(0, of: runs)
            let started = (wall: Date(), cpu: SimulationBenchmark.cpuSeconds())
            defer {
                // On standard error: the statistics on standard output stay the same from run to run.
                let wall = Date().timeIntervalSince(started.wall)
                let cpu = SimulationBenchmark.cpuSeconds() - started.cpu
                FileHandle.standardError.write(
                    Data(
                        String(
                            format: "broker simulate: %d runs in %.1f s of wall time, %.1f s of CPU: %.2f cores busy\n",
                            runs, wall, cpu, wall > 0 ? cpu / wall : 0
                        ).utf8))
            }
            batchReport = try await BatchRunner.run(
                parsed, directory: directory, runs: runs, firstSeed: seed ?? parsed.seed ?? 1,
                parallelism: jobs ?? ProcessInfo.processInfo.activeProcessorCount, ledgers: ledgers ?? .heads,
                progress: { done in progress.runs(done, of: runs) })
            progress.finish()
        } catch let error as ScenarioError {
            FileHandle.standardError.write(Data("broker simulate: bad scenario: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let csv {
            let directory = URL(fileURLWithPath: csv)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(batchReport.csv.utf8).write(to: directory.appendingPathComponent("runs.csv"))
            try Data(batchReport.statisticsCSV.utf8).write(to: directory.appendingPathComponent("demands.csv"))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(batchReport), as: UTF8.self))
        } else {
            print(batchReport.summary)
        }
    }

    /// Bad options: the message on standard error, exit 2.
    static func refuse(_ message: String) throws -> Never {
        FileHandle.standardError.write(Data("broker simulate: \(message)\n".utf8))
        throw ExitCode(2)
    }
}

import ArgumentParser
import Foundation
import Logging
import Node
import ScenarioModel
import SupplyChain

/// `broker cluster`: every provider of a scenario as its own live node on loopback.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Run a scenario with every provider as its own `broker serve` process on 127.0.0.1.",
        discussion: """
            Generates a key for every provider and retail buyer, a node configuration per provider (free loopback
            ports) in the work directory, starts the nodes, sends the scenario's demand over HTTP as the signed
            retail buyers, waits for the final answers and for every ledger to be agreed (both copies at one head;
            on a wall clock at most 30 s), stops the nodes (SIGTERM) and then checks the scenario's expectations and
            audits both copies of every ledger, as `broker simulate` does.

            Protocol time (--clock):
              wall     every node on its system clock; demand times are real time from the start of the run and
                       answers arrive as fast as the nodes produce them (what production does).
              stepped  every node on a clock that only `broker cluster` moves: when every node and retail buyer
                       is quiet, all clocks jump to the earliest next deadline anywhere. A scenario's 14-day
                       activation and two-year renewal run in seconds, on the simulator's timings.
              auto     stepped when the scenario orders, wall otherwise (the default).

            Examples:
              broker cluster diamond
              broker cluster order-delivery
              broker cluster five-hop-chain --clock stepped
              broker cluster Scenarios/loop.yaml --work-dir out/loop --json
              broker audit out/loop
              broker cluster order-delivery --report run.html
              broker cluster order-delivery --witness --checkpoint-entries 4 --work-dir out/od
              broker audit out/od --witness-key "$(cat out/od/witness.vkey)"

            --report FILE writes the run report, one self-contained HTML page, as `broker simulate --report` \
            does; a live run keeps no per-message record, so each demand's exchange is drawn from its items' paths.
            On a terminal, a run shows its progress on standard error (a stepped run: steps, protocol time, \
            answers, rate; a wall-clock run: answers so far and the time since the start); --quiet, or standard \
            error not a terminal, keeps it silent.

            --witness runs a neutral validating node (`broker witness`, LEDGER.md "The witness") in this process \
            beside the nodes and configures every node to send it each co-signed checkpoint (both parties of a \
            ledger send it). Its verifier key is written to witness.vkey in the work directory (the path is \
            printed on standard error); the end-of-run audit then requires its valid cosignature on every checkpoint \
            (unwitnessed_checkpoint otherwise), as `broker audit --witness-key` does on the work directory.
            --checkpoint-entries N and --checkpoint-every T set every node's checkpoint cadence (`checkpoints:` \
            in the node files; LEDGER.md §5): every N agreed entries of a ledger (default 256) and, with T, also \
            on the first entry T or more of protocol time after the ledger's last checkpoint.

            Exit codes: 0 every expectation met, 1 an expectation failed, 2 bad scenario.
            """
    )

    @Argument(help: "Scenario file or embedded scenario name (default: five-hop-chain).")
    var scenario: String?

    @Option(help: "Directory for keys, node configurations, logs and ledger copies (default: a new temporary one).")
    var workDir: String?

    @Option(help: "Protocol time: wall, stepped or auto (stepped when the scenario orders).")
    var clock: String = "auto"

    @Flag(help: "Print the result as one JSON document.")
    var json = false

    @Option(help: "Write the run report, one self-contained HTML file, here.")
    var report: String?

    @Flag(help: "Show no progress on standard error.")
    var quiet = false

    @Flag(help: "Run a witness beside the nodes; every node sends it its checkpoints (key in witness.vkey).")
    var witness = false

    @Option(help: "Every node co-signs a checkpoint of each ledger every N entries (node default: 256).")
    var checkpointEntries: Int?

    @Option(help: "Also a checkpoint on the first entry this long (protocol time) after the last one, e.g. 1h.")
    var checkpointEvery: String?

    func run() async throws {
        Logs.bootstrap(level: .warning)
        let reference = scenario ?? ScenarioLoader.defaultScenarioName
        let plan: SimulationPlan
        let text: String
        do {
            let (parsed, directory) = try ScenarioLoader.load(reference)
            plan = try SimulationPlan(parsed, directory: directory)
            if FileManager.default.fileExists(atPath: reference) {
                text = try String(contentsOfFile: reference, encoding: .utf8)
            } else {
                text = try ScenarioLoader.embedded(reference).text
            }
        } catch {
            FileHandle.standardError.write(Data("broker cluster: bad scenario: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let mode: ClusterRunner.ClockMode
        switch clock {
        case "auto": mode = .auto(for: plan)
        case let name:
            guard let value = ClusterRunner.ClockMode(rawValue: name) else {
                FileHandle.standardError.write(
                    Data("broker cluster: --clock: '\(name)' is not wall, stepped or auto\n".utf8))
                throw ExitCode(2)
            }
            mode = value
        }
        if mode == .wall, plan.demands.contains(where: { $0.order != nil }) {
            FileHandle.standardError.write(
                Data(
                    "broker cluster: --clock wall: this scenario orders, and its windows and terms span days of protocol time; use --clock stepped (or auto)\n"
                        .utf8))
            throw ExitCode(2)
        }
        let directory =
            workDir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("broker-cluster-\(UUID().uuidString)")
        var runner = ClusterRunner(
            plan: plan, scenarioText: text, workDirectory: directory,
            brokerExecutable: Self.executablePath(), logger: Logger(label: "broker.cluster"), clock: mode)
        runner.witness = witness
        if checkpointEntries != nil || checkpointEvery != nil {
            let entries = checkpointEntries ?? 256
            guard (1...1_000_000).contains(entries) else {
                FileHandle.standardError.write(
                    Data("broker cluster: --checkpoint-entries: \(entries) is not from 1 to 1000000\n".utf8))
                throw ExitCode(2)
            }
            var every: TimeSpan?
            if let checkpointEvery {
                guard let span = TimeSpan(parsing: checkpointEvery), span >= .seconds(1), span <= .days(366) else {
                    FileHandle.standardError.write(
                        Data(
                            "broker cluster: --checkpoint-every: '\(checkpointEvery)' is not a duration from 1s to 366d\n"
                                .utf8))
                    throw ExitCode(2)
                }
                every = span
            }
            runner.checkpoints = NodeConfiguration.CheckpointSetting(entries: UInt64(entries), every: every)
        }
        let progress = ProgressDisplay(quiet: quiet)
        runner.onProgress = { progress.update($0) }
        let signalSources = ClusterRunner.stopChildrenOnSignals()
        if witness {
            FileHandle.standardError.write(
                Data("broker cluster: witness key in \(directory.appendingPathComponent("witness.vkey").path)\n".utf8))
        }
        let result = try await runner.run()
        signalSources.forEach { $0.cancel() }
        progress.finish()
        if let report {
            let document = RunReport(
                plan: plan, result: result, ledgers: try runner.ledgerCopies(), driver: "live cluster")
            try Data(document.html.utf8).write(to: URL(fileURLWithPath: report))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(result.summary)
        }
        if !result.passed || !result.auditFindings.isEmpty { throw ExitCode(1) }
    }

    /// This executable's path, to start `broker serve` children.
    static func executablePath() -> String {
        let link = "/proc/self/exe"
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: link) { return resolved }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}

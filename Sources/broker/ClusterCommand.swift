import ArgumentParser
import Foundation
import Logging
import Node
import ScenarioModel

/// `broker cluster`: every provider of a scenario as its own live node on loopback.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Run a scenario with every provider as its own `broker serve` process on 127.0.0.1.",
        discussion: """
            Generates a key for every provider and retail buyer, a node configuration per provider (free loopback
            ports) in the work directory, starts the nodes, sends the scenario's demand over HTTP as the signed
            retail buyers, waits for the final answers, stops the nodes (SIGTERM) and then checks the scenario's
            expectations and audits both copies of every ledger, as `broker simulate` does.

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

            --report FILE writes the run report, one self-contained HTML page, as `broker simulate --report` \
            does; a live run keeps no per-message record, so each demand's exchange is drawn from its items' paths.
            On a terminal, a stepped run shows its progress on standard error (steps, protocol time, answers, \
            rate); --quiet, or standard error not a terminal, keeps it silent.

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

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
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
        let progress = ProgressDisplay(quiet: quiet)
        runner.onProgress = { progress.update($0) }
        let signalSources = ClusterRunner.stopChildrenOnSignals()
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

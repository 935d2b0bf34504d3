import ArgumentParser
import Foundation
import Logging
import Node

extension BenchCommand {
    /// `broker bench cluster`: live nodes' latency and throughput beside the bare Hummingbird rate.
    struct ClusterBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cluster",
            abstract: "POQ latency through five live nodes and one node's POQ rate, beside the bare Hummingbird rate.",
            discussion: """
                Measures, in one run: the requests per second a bare Hummingbird route answers to the same HTTP \
                client on loopback (the physical bound of this transport on this machine), and its round trip for \
                one POST of a POQ-sized body at a time; the latency of immediate POQs through a chain of five \
                `broker serve` processes (p50, p99; each hop validates, signs, and records request, receipt and \
                answer on co-signed SQLite ledgers), beside its bound: five bare round trips plus one signature and \
                one verification per hop; and the POQs per \
                second one node answers when all are sent at once, by one retail buyer (one ledger: batched agreement must \
                carry it) and by many, each beside the Ed25519 bound of that work on two cores (measured in the same \
                run). Each node rate is given twice: up to the last answer, and up to the moment every entry those \
                POQs made was agreed on both copies of every ledger (the node's lanes empty) — the sustained rate — \
                with the CPU time per POQ of the node process and of the retail buyers (this process), both from \
                the node being up until every entry was agreed (the node's read from /proc), beside the Ed25519 \
                work of one POQ; and the CPU bound: the cores divided by the CPU one POQ took, node and buyers \
                together (they share this machine's cores), and the node alone. Build in release first.

                Example:
                  swift build -c release && .build/release/broker bench cluster --chain-requests 100

                Exit codes: 0 ok, 2 bad input.
                """
        )

        @Option(help: "Immediate POQs sent through the five-hop chain, one every 100 ms.") var chainRequests = 100
        @Option(help: "POQs sent at once to a single node (by one buyer, then by --buyers).") var nodeRequests = 200
        @Option(help: "Retail buyers of the many-buyers run.") var buyers = 16
        @Option(
            help:
                "Work directory, kept after the run with each node's file, log, trace and ledgers (default: a new one under the system's temporary directory, named on the last line)."
        ) var workDir: String?
        @Flag(help: "Print the figures as JSON.") var json = false

        func validate() throws {
            guard chainRequests > 0, nodeRequests > 0 else { throw ValidationError("request counts must be positive") }
            guard (2...1_000).contains(buyers) else { throw ValidationError("--buyers: from 2 to 1000, not \(buyers)") }
        }

        func run() async throws {
            Logs.bootstrap(level: .error)
            let directory =
                workDir.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("broker-bench-\(UUID().uuidString)")
            let signals = ClusterRunner.stopChildrenOnSignals()
            defer { signals.forEach { $0.cancel() } }
            let result = try await ClusterBenchmark.run(
                brokerExecutable: ClusterCommand.executablePath(), workDirectory: directory,
                chainRequests: chainRequests, nodeRequests: nodeRequests, manyBuyers: buyers,
                logger: Logger(label: "broker.bench"))
            try BenchCommand.printFigures(result, json: json, report: result.report)
            // Where to look when a figure is off: the nodes' logs and ledgers stay there (on stderr beside JSON).
            let line = "work directory: \(directory.path) (each node's log, trace and ledgers)\n"
            if json { FileHandle.standardError.write(Data(line.utf8)) } else { print(line, terminator: "") }
        }
    }
}

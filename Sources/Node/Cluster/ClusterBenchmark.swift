import AsyncHTTPClient
import Foundation
import Hummingbird
import Ledger
import Logging
import NIOCore
import ScenarioModel
import ServiceLifecycle
import Sonata
import SupplyChain
import Synchronization

/// The live benchmark: POQ latency through a five-hop chain of `broker serve` processes on loopback, the rate one
/// node answers POQs at, and, in the same run, the bare Hummingbird request rate the same client reaches.
public enum ClusterBenchmark {
    public struct Result: Sendable, Encodable {
        public let bareRequestsPerSecond: Double
        /// The median round trip of one bare Hummingbird exchange at a time, a POST of a POQ-sized body whose body
        /// the route reads, to the same client on loopback (microseconds).
        public let bareRoundTripP50Microseconds: Double
        /// One-core Ed25519 rates measured in the same run.
        public let signPerSecond: Double
        public let verifyPerSecond: Double
        public let chainRequests: Int
        public let chainAnswered: Int
        public let chainLatencyP50Milliseconds: Double
        public let chainLatencyP99Milliseconds: Double
        /// One node under POQs sent at once: by one buyer (one ledger) and by many.
        public let node: [NodeRun]

        /// The least a five-hop immediate POQ could take on this machine: each hop's HTTP exchange at the bare round
        /// trip, and its one signature and one verification (the request's).
        public var chainBoundMilliseconds: Double {
            5 * (bareRoundTripP50Microseconds / 1_000 + 1_000 / signPerSecond + 1_000 / verifyPerSecond)
        }

        public var report: String {
            let p50 = String(format: "%.1f", chainLatencyP50Milliseconds)
            let p99 = String(format: "%.1f", chainLatencyP99Milliseconds)
            let bound = String(format: "%.2f", chainBoundMilliseconds)
            let ratio = String(format: "%.0f", chainBoundMilliseconds / max(chainLatencyP50Milliseconds, 0.001) * 100)
            let chainLine =
                "p50 \(p50) ms, p99 \(p99) ms (\(chainAnswered)/\(chainRequests) answered); bound \(bound) ms "
                + "(5 bare round trips, a signature and a verification per hop): \(ratio) % of the p50"
            var lines = [
                "live nodes on loopback (every POQ signed, validated, recorded and co-signed on the ledgers of every hop)",
                "  bare Hummingbird, same client      \(String(format: "%.0f", bareRequestsPerSecond)) requests/s",
                "  Ed25519 on one core                sign \(String(format: "%.0f", signPerSecond))/s, verify \(String(format: "%.0f", verifyPerSecond))/s",
                "  bare round trip, one at a time     p50 \(String(format: "%.0f", bareRoundTripP50Microseconds)) µs (a POST of \(ClusterBenchmark.bareBodyBytes) bytes)",
                "  5-hop chain, immediate POQ         " + chainLine,
            ]
            for run in node {
                let who = run.buyers == 1 ? "one buyer" : "\(run.buyers) buyers"
                lines.append(
                    "  one node, \(who), POQs at once\(String(repeating: " ", count: max(1, 13 - who.count)))"
                        + "\(String(format: "%.1f", run.poqsPerSecond)) POQs/s (\(run.answered)/\(run.requests) answered), "
                        + (run.agreedPOQsPerSecond.map { String(format: "%.1f", $0) } ?? "?")
                        + " counted until every entry was agreed; crypto bound \(String(format: "%.0f", run.cryptoBoundPerSecond))/s on two cores at "
                        + "\(String(format: "%.2f", run.entriesPerPOQ)) entries per POQ: "
                        + "\(String(format: "%.0f", run.poqsPerSecond / max(run.cryptoBoundPerSecond, 1) * 100)) %; "
                        + "\(String(format: "%.2f", run.poqsPerSecond / max(bareRequestsPerSecond, 1) * 100)) % of the bare rate"
                )
                let buyersCPU = run.buyersCPUMillisecondsPerPOQ.map { String(format: "%.2f", $0) } ?? "?"
                lines.append(
                    "      CPU per POQ: node \(String(format: "%.2f", run.nodeCPUMillisecondsPerPOQ)) ms, retail buyers "
                        + "\(buyersCPU) ms; the Ed25519 work of one POQ, both sides, "
                        + "\(String(format: "%.2f", run.cryptoMillisecondsPerPOQ)) ms")
                if let cpuBound = run.cpuBoundPerSecond {
                    let rate = run.agreedPOQsPerSecond ?? run.poqsPerSecond
                    lines.append(
                        "      CPU bound: \(run.cores) cores / that CPU = \(String(format: "%.0f", cpuBound)) POQs/s "
                            + "(the node alone: \(String(format: "%.0f", run.nodeCPUBoundPerSecond))/s); "
                            + "the agreed rate is \(String(format: "%.0f", rate / max(cpuBound, 1) * 100)) % of it")
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    /// One node's rate under POQs sent at once by `buyers` retail buyers, beside the Ed25519 bound of that work.
    public struct NodeRun: Sendable, Encodable {
        public let buyers: Int
        public let requests: Int
        public let answered: Int
        /// Answered POQs per second: from the first POQ sent to the last answer.
        public let poqsPerSecond: Double
        /// The same POQs per second counted up to the moment every entry they made was agreed on both copies of every
        /// ledger (the node's lanes empty); nil when that was not seen within the settle limit.
        public let agreedPOQsPerSecond: Double?
        /// Agreed ledger entries per answered POQ, counted on every ledger of the run (with the retail buyers and the
        /// node's internal one).
        public let entriesPerPOQ: Double
        /// POQs per second two cores could answer if they did nothing but the Ed25519 work of one: the signed request
        /// (one signature, one verification) and, per entry, the author's signature and the countersignature, each
        /// verified by the other side (on the node's internal ledger, both made by the node and not verified again).
        public let cryptoBoundPerSecond: Double
        /// CPU time of the node process from the moment it was up (the POQs follow at once) until every entry was
        /// agreed, per answered POQ (milliseconds); its whole life (start and shutdown too) where `/proc` could not
        /// be read.
        public let nodeCPUMillisecondsPerPOQ: Double
        /// CPU time of this process (the retail buyers: their signed requests, answers and ledger copies) over the
        /// same span, per answered POQ; nil when agreement was not seen.
        public let buyersCPUMillisecondsPerPOQ: Double?
        /// The Ed25519 work of one POQ, both sides together, on one core (milliseconds): what `cryptoBoundPerSecond`
        /// spreads over two cores.
        public var cryptoMillisecondsPerPOQ: Double { 2_000 / max(cryptoBoundPerSecond, 1) }
        /// Cores of this machine, shared by the node and the retail buyers.
        public let cores: Int

        /// POQs per second the machine's cores could give if they did nothing but this run's work: its cores divided
        /// by the CPU one POQ took, the node's and the retail buyers' together (they share the cores in this
        /// benchmark). A rate near it is bound by CPU, not by waiting; nil when the buyers' CPU was not measured.
        public let cpuBoundPerSecond: Double?
        /// The same for the node alone, as if its buyers ran on other machines.
        public let nodeCPUBoundPerSecond: Double

        init(
            buyers: Int, requests: Int, answered: Int, poqsPerSecond: Double, agreedPOQsPerSecond: Double?,
            entriesPerPOQ: Double, cryptoBoundPerSecond: Double, nodeCPUMillisecondsPerPOQ: Double,
            buyersCPUMillisecondsPerPOQ: Double?, cores: Int
        ) {
            self.buyers = buyers
            self.requests = requests
            self.answered = answered
            self.poqsPerSecond = poqsPerSecond
            self.agreedPOQsPerSecond = agreedPOQsPerSecond
            self.entriesPerPOQ = entriesPerPOQ
            self.cryptoBoundPerSecond = cryptoBoundPerSecond
            self.nodeCPUMillisecondsPerPOQ = nodeCPUMillisecondsPerPOQ
            self.buyersCPUMillisecondsPerPOQ = buyersCPUMillisecondsPerPOQ
            self.cores = cores
            func bound(_ milliseconds: Double) -> Double { milliseconds > 0 ? Double(cores) * 1_000 / milliseconds : 0 }
            cpuBoundPerSecond = buyersCPUMillisecondsPerPOQ.map { bound(nodeCPUMillisecondsPerPOQ + $0) }
            nodeCPUBoundPerSecond = bound(nodeCPUMillisecondsPerPOQ)
        }
    }

    public static func run(
        brokerExecutable: String, workDirectory: URL, chainRequests: Int, nodeRequests: Int, manyBuyers: Int = 16,
        logger: Logger
    ) async throws -> Result {
        let bare = try await bareHTTP(requests: 2_000, concurrency: 8, roundTrips: 500, logger: logger)
        let crypto = try LedgerBenchmark.RawCrypto.measure(key: PartyKey(party: "BENCH"), budget: 0.5)
        let chain = try await cluster(
            scenario: chainScenario(requests: chainRequests), directory: workDirectory.appendingPathComponent("chain"),
            executable: brokerExecutable, logger: logger)
        let latencies = chain.demands.compactMap(latency).sorted()
        var runs: [NodeRun] = []
        for buyers in [1, manyBuyers] {
            // CPU counted from the moment the node is up (the POQs follow at once) until every entry is agreed:
            // the node's from its `/proc` stat, the retail buyers' (this process) from `getrusage`.
            let upAt = Mutex<(nodes: [Int32], nodeCPU: Double?, selfCPU: Double)?>(nil)
            let agreedAt = Mutex<(date: Date, cpu: Double, nodeCPU: Double?)?>(nil)
            let childrenBefore = CPUTime.seconds(of: RUSAGE_CHILDREN)
            let node = try await cluster(
                scenario: nodeScenario(requests: nodeRequests, buyers: buyers),
                directory: workDirectory.appendingPathComponent("node-\(buyers)"), executable: brokerExecutable,
                logger: logger,
                onNodesUp: { cluster in
                    let pids = cluster.processes.values.map(\.processIdentifier)
                    upAt.withLock { $0 = (pids, CPUTime.seconds(ofProcesses: pids), CPUTime.seconds(of: RUSAGE_SELF)) }
                },
                onLedgersAgreed: { date in
                    let pids = upAt.withLock { $0?.nodes } ?? []
                    agreedAt.withLock {
                        $0 = (date, CPUTime.seconds(of: RUSAGE_SELF), CPUTime.seconds(ofProcesses: pids))
                    }
                })
            let up = upAt.withLock { $0 }
            let selfBefore = up?.selfCPU ?? 0
            // Without both readings of the node's stat: its whole life (start and shutdown included), as this
            // process's ended children's CPU.
            let nodeCPU: Double
            if let before = up?.nodeCPU, let after = agreedAt.withLock({ $0?.nodeCPU }) {
                nodeCPU = after - before
            } else {
                nodeCPU = CPUTime.seconds(of: RUSAGE_CHILDREN) - childrenBefore
            }
            let sent = node.demands.compactMap { MEFDateTimeFormatting.instant($0.sentAt) }
            let answered = node.demands.compactMap { $0.answeredAt.flatMap(MEFDateTimeFormatting.instant) }
            let first = sent.min() ?? Instant(milliseconds: 0)
            let span = Double(((answered.max() ?? Instant(milliseconds: 0)) - first).milliseconds)
            let agreed = agreedAt.withLock { $0 }
            let agreedSpan = agreed.map { Double((Instant($0.date) - first).milliseconds) }
            let poqs = Double(max(answered.count, 1))
            let entries = Double(node.ledgers.reduce(0) { $0 + $1.entries })
            // The internal ledger's signatures are both made in the node, which does not verify them again
            // (LEDGER.md §9): its entries cost two signatures and no verification.
            let onInternalLedger = Double(
                node.ledgers.filter { $0.parties.contains { $0.hasSuffix(PartyID.sofSuffix) } }.reduce(0) {
                    $0 + $1.entries
                })
            let perPOQ = answered.isEmpty ? 0 : entries / Double(answered.count)
            let externalPerPOQ = answered.isEmpty ? 0 : (entries - onInternalLedger) / Double(answered.count)
            let secondsPerPOQ = (1 + 2 * perPOQ) / crypto.sign + (1 + 2 * externalPerPOQ) / crypto.verify
            runs.append(
                NodeRun(
                    buyers: buyers, requests: nodeRequests, answered: answered.count,
                    poqsPerSecond: span > 0 ? Double(answered.count) / (span / 1000) : 0,
                    agreedPOQsPerSecond: agreedSpan.map { $0 > 0 ? Double(answered.count) / ($0 / 1000) : 0 },
                    entriesPerPOQ: perPOQ,
                    cryptoBoundPerSecond: 2 / secondsPerPOQ, nodeCPUMillisecondsPerPOQ: 1_000 * nodeCPU / poqs,
                    buyersCPUMillisecondsPerPOQ: agreed.map { 1_000 * ($0.cpu - selfBefore) / poqs },
                    cores: ProcessInfo.processInfo.activeProcessorCount))
        }
        return Result(
            bareRequestsPerSecond: bare.requestsPerSecond, bareRoundTripP50Microseconds: bare.roundTripP50Microseconds,
            signPerSecond: crypto.sign, verifyPerSecond: crypto.verify,
            chainRequests: chainRequests, chainAnswered: latencies.count,
            chainLatencyP50Milliseconds: percentile(latencies, 0.50),
            chainLatencyP99Milliseconds: percentile(latencies, 0.99), node: runs)
    }

    static func latency(_ demand: SimulationResult.DemandOutcome) -> Double? {
        guard demand.state == "READY", let sent = MEFDateTimeFormatting.instant(demand.sentAt),
            let answered = demand.answeredAt.flatMap(MEFDateTimeFormatting.instant)
        else { return nil }
        return Double((answered - sent).milliseconds)
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    static func cluster(
        scenario: String, directory: URL, executable: String, logger: Logger,
        onNodesUp: (@Sendable (ClusterRunner.Cluster) -> Void)? = nil,
        onLedgersAgreed: (@Sendable (Date) -> Void)? = nil
    ) async throws
        -> SimulationResult
    {
        let plan = try SimulationPlan(ScenarioLoader.parse(scenario), directory: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var runner = ClusterRunner(
            plan: plan, scenarioText: scenario, workDirectory: directory, brokerExecutable: executable, logger: logger)
        runner.onLedgersAgreed = onLedgersAgreed
        runner.onNodesUp = onNodesUp
        return try await runner.run()
    }

    /// Five providers in a line, the last one on-net; immediate POQs one every 100 ms.
    static func chainScenario(requests: Int) -> String {
        var text = """
            name: bench-chain
            defaults: { processingTime: 500ms }
            providers:
              - { id: H1, markup: 10%, sellers: [H2] }
              - { id: H2, markup: 10%, sellers: [H3] }
              - { id: H3, markup: 10%, sellers: [H4] }
              - { id: H4, markup: 10%, sellers: [H5] }
              - { id: H5, markup: 10%, catalog: [{ offering: EPL, places: ["*"], cost: 100, leadTime: 5d }] }
            demand:

            """
        for index in 0..<requests {
            text +=
                "  - { id: q\(index), at: \(index * 100)ms, buyer: BUYER, seller: H1, immediate: true, "
                + "items: [{ id: i, offering: EPL, place: X }] }\n"
        }
        return text
    }

    /// One provider with its own catalog; every POQ sent at once, by `buyers` retail buyers in turn.
    static func nodeScenario(requests: Int, buyers: Int) -> String {
        var text = """
            name: bench-node
            providers:
              - { id: SOLO, markup: 10%, catalog: [{ offering: EPL, places: ["*"], cost: 100, leadTime: 5d }] }
            demand:

            """
        for index in 0..<requests {
            text +=
                "  - { id: q\(index), buyer: BUYER\(index % max(1, buyers)), seller: SOLO, immediate: true, "
                + "items: [{ id: i, offering: EPL, place: X }] }\n"
        }
        return text
    }

    /// The size of the body of a bare round trip: about a POQ's as the chain's nodes send it.
    static let bareBodyBytes = 2_048

    /// What a bare Hummingbird route does for the same HTTP client on loopback: requests per second with
    /// `concurrency` at once, and the median round trip of a POST of `bareBodyBytes` sent one at a time.
    static func bareHTTP(
        requests: Int, concurrency: Int, roundTrips: Int, logger: Logger
    ) async throws -> (requestsPerSecond: Double, roundTripP50Microseconds: Double) {
        let router = Router()
        router.get("/ping") { _, _ in "{}" }
        router.post("/echo") { request, _ -> String in
            _ = try await request.body.collect(upTo: 1 << 16)
            return "{}"
        }
        let port = try ClusterRunner.freePort()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { Task { await group.triggerGracefulShutdown() } }
            let client = HTTPClient.shared
            var ready = false
            for _ in 0..<100 where !ready {
                ready =
                    (try? await client.execute(
                        HTTPClientRequest(url: "http://127.0.0.1:\(port)/ping"), timeout: .seconds(1))) != nil
                if !ready { try await Task.sleep(for: .milliseconds(50)) }
            }
            let clock = ContinuousClock()
            func seconds(_ duration: Swift.Duration) -> Double {
                Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            }
            let elapsed = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { workers in
                    for worker in 0..<concurrency {
                        workers.addTask {
                            for _ in stride(from: worker, to: requests, by: concurrency) {
                                let response = try await client.execute(
                                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/ping"), timeout: .seconds(5))
                                _ = try await response.body.collect(upTo: 1 << 16)
                            }
                        }
                    }
                    try await workers.waitForAll()
                }
            }
            let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: bareBodyBytes)
            var times: [Double] = []
            for _ in 0..<roundTrips {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/echo")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(body)
                let start = clock.now
                let response = try await client.execute(request, timeout: .seconds(5))
                _ = try await response.body.collect(upTo: 1 << 16)
                times.append(seconds(clock.now - start) * 1e6)
            }
            await group.triggerGracefulShutdown()
            return (Double(requests) / seconds(elapsed), percentile(times.sorted(), 0.5))
        }
    }
}

/// CPU time used so far (user and system), from `getrusage`.
enum CPUTime {
    /// The CPU time of every process of `pids` together; nil when one cannot be read.
    static func seconds(ofProcesses pids: [Int32]) -> Double? {
        let each = pids.map(seconds(ofProcess:))
        return each.contains(nil) ? nil : each.compactMap { $0 }.reduce(0, +)
    }

    /// The CPU time (user and system) of the running process `pid` so far, from `/proc/<pid>/stat` (Linux; clock
    /// ticks, 10 ms here); nil when it cannot be read (no such process, not Linux).
    static func seconds(ofProcess pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After the command name in parentheses: state, then fields 4 onwards; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ticks > 0 ? (user + system) / ticks : nil
    }

    /// `RUSAGE_SELF`: this process; `RUSAGE_CHILDREN`: its children that ended and were waited for.
    static func seconds(of who: __rusage_who) -> Double {
        var usage = rusage()
        guard getrusage(__rusage_who_t(who.rawValue), &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

extension MEFDateTimeFormatting {
    /// The instant an RFC 3339 text denotes.
    static func instant(_ text: String) -> Instant? { MEFDateTime.parse(text).map(Instant.init) }
}

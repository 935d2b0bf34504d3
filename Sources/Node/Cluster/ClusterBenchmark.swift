import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import ScenarioModel
import ServiceLifecycle
import Sonata
import SupplyChain

/// The live benchmark: POQ latency through a five-hop chain of `broker serve` processes on loopback, the rate one
/// node answers POQs at, and, in the same run, the bare Hummingbird request rate the same client reaches.
public enum ClusterBenchmark {
    public struct Result: Sendable, Encodable {
        public let bareRequestsPerSecond: Double
        public let chainRequests: Int
        public let chainAnswered: Int
        public let chainLatencyP50Milliseconds: Double
        public let chainLatencyP99Milliseconds: Double
        public let nodeRequests: Int
        public let nodeAnswered: Int
        public let nodePOQsPerSecond: Double

        public var report: String {
            """
            live nodes on loopback (every POQ signed, validated, recorded and co-signed on the ledgers of every hop)
              bare Hummingbird, same client      \(String(format: "%.0f", bareRequestsPerSecond)) requests/s
              5-hop chain, immediate POQ         p50 \(String(format: "%.0f", chainLatencyP50Milliseconds)) ms, p99 \(String(format: "%.0f", chainLatencyP99Milliseconds)) ms (\(chainAnswered)/\(chainRequests) answered)
              one node, concurrent POQs          \(String(format: "%.1f", nodePOQsPerSecond)) POQs/s (\(nodeAnswered)/\(nodeRequests) answered; \(String(format: "%.2f", nodePOQsPerSecond / max(bareRequestsPerSecond, 1) * 100)) % of the bare rate)
            """
        }
    }

    public static func run(
        brokerExecutable: String, workDirectory: URL, chainRequests: Int, nodeRequests: Int, logger: Logger
    ) async throws -> Result {
        let bare = try await bareRate(requests: 2_000, concurrency: 8, logger: logger)
        let chain = try await cluster(
            scenario: chainScenario(requests: chainRequests), directory: workDirectory.appendingPathComponent("chain"),
            executable: brokerExecutable, logger: logger)
        let latencies = chain.demands.compactMap(latency).sorted()
        let node = try await cluster(
            scenario: nodeScenario(requests: nodeRequests), directory: workDirectory.appendingPathComponent("node"),
            executable: brokerExecutable, logger: logger)
        let sent = node.demands.compactMap { MEFDateTimeFormatting.instant($0.sentAt) }
        let answered = node.demands.compactMap { $0.answeredAt.flatMap(MEFDateTimeFormatting.instant) }
        let span = Double(
            ((answered.max() ?? Instant(milliseconds: 0)) - (sent.min() ?? Instant(milliseconds: 0))).milliseconds)
        return Result(
            bareRequestsPerSecond: bare, chainRequests: chainRequests, chainAnswered: latencies.count,
            chainLatencyP50Milliseconds: percentile(latencies, 0.50),
            chainLatencyP99Milliseconds: percentile(latencies, 0.99),
            nodeRequests: nodeRequests, nodeAnswered: answered.count,
            nodePOQsPerSecond: span > 0 ? Double(answered.count) / (span / 1000) : 0)
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
        scenario: String, directory: URL, executable: String, logger: Logger
    ) async throws
        -> SimulationResult
    {
        let plan = try SimulationPlan(ScenarioLoader.parse(scenario), directory: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let runner = ClusterRunner(
            plan: plan, scenarioText: scenario, workDirectory: directory, brokerExecutable: executable, logger: logger)
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

    /// One provider with its own catalog; every POQ sent at once.
    static func nodeScenario(requests: Int) -> String {
        var text = """
            name: bench-node
            providers:
              - { id: SOLO, markup: 10%, catalog: [{ offering: EPL, places: ["*"], cost: 100, leadTime: 5d }] }
            demand:

            """
        for index in 0..<requests {
            text +=
                "  - { id: q\(index), buyer: BUYER\(index % 4), seller: SOLO, immediate: true, "
                + "items: [{ id: i, offering: EPL, place: X }] }\n"
        }
        return text
    }

    /// Requests per second a bare Hummingbird route answers to the same HTTP client on loopback.
    static func bareRate(requests: Int, concurrency: Int, logger: Logger) async throws -> Double {
        let router = Router()
        router.get("/ping") { _, _ in "{}" }
        let port = try ClusterRunner.freePort()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Double?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
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
            await group.triggerGracefulShutdown()
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return Double(requests) / seconds
        }
    }
}

extension MEFDateTimeFormatting {
    /// The instant an RFC 3339 text denotes.
    static func instant(_ text: String) -> Instant? { MEFDateTime.parse(text).map(Instant.init) }
}

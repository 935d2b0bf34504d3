import Foundation
import Ledger
import ScenarioModel

/// The simulator benchmark: a generated ecosystem run end to end, reported beside the crypto bound measured in
/// the same run (an agreed entry costs two Ed25519 signatures and two verifications, DESIGN.md §7).
public enum SimulationBenchmark {
    public struct Result: Sendable, Encodable {
        public let providers: Int
        public let requests: Int
        public let answered: Int
        public let ledgerEntries: Int
        public let ledgers: Int
        public let seconds: Double
        public let signPerSecond: Double
        public let verifyPerSecond: Double
        public let peakMemoryBytes: Int
        /// Cores the ledger lanes could use (the event loop shares them).
        public let cores: Int

        public var requestsPerSecond: Double { Double(requests) / seconds }
        public var entriesPerSecond: Double { Double(ledgerEntries) / seconds }
        /// Agreed entries per second one core could sign, countersign and verify, and nothing else.
        public var cryptoBound: Double { 1 / (2 / signPerSecond + 2 / verifyPerSecond) }

        public var report: String {
            let share = entriesPerSecond / cryptoBound * 100
            let allCores = entriesPerSecond / (cryptoBound * Double(cores)) * 100
            return """
                simulator: \(providers) providers, \(requests) retail POQs (\(answered) answered), \(ledgers) ledgers
                  wall time            \(String(format: "%.2f", seconds)) s
                  retail POQs/s        \(String(format: "%.0f", requestsPerSecond))
                  ledger entries/s     \(String(format: "%.0f", entriesPerSecond)) (\(ledgerEntries) agreed entries)
                  crypto bound         \(String(format: "%.0f", cryptoBound)) entries/s (one core: sign \(String(format: "%.0f", signPerSecond))/s, verify \(String(format: "%.0f", verifyPerSecond))/s)
                  share of the bound   \(String(format: "%.0f", share)) % of one core, \(String(format: "%.0f", allCores)) % of \(cores) cores (the event loop runs on one core, ledger lanes sign and verify on all)
                  peak memory          \(String(format: "%.0f", Double(peakMemoryBytes) / 1_048_576)) MiB
                """
        }
    }

    /// Generates the ecosystem, runs it, and measures Ed25519 sign and verify rates on one core.
    /// - Parameter progress: called every few thousand events with how far the run is (the CLI shows it).
    public static func run(
        _ shape: EcosystemGenerator.Shape, seed: UInt64 = 1, progress: ((RunProgress) -> Void)? = nil
    ) throws -> Result {
        let (signRate, verifyRate) = try measureCrypto()
        let plan = try EcosystemGenerator.plan(shape, seed: seed)
        let clock = ContinuousClock()
        let begin = clock.now
        let simulator = try Simulator(plan: plan, audit: false)
        simulator.recordsExchanges = false
        simulator.onProgress = progress
        let result = try simulator.run()
        let seconds = Self.seconds(clock.now - begin)
        return Result(
            providers: shape.providers, requests: shape.requests,
            answered: result.demands.filter { $0.state != nil }.count,
            ledgerEntries: result.ledgers.reduce(0) { $0 + Int($1.entries) }, ledgers: result.ledgers.count,
            seconds: seconds, signPerSecond: signRate, verifyPerSecond: verifyRate, peakMemoryBytes: peakMemory(),
            cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// One-core Ed25519 rates, measured three times for a fixed time (about 0.15 s each for signing and for
    /// verifying), best kept: the bound is what the hardware can do. A fixed time, not a fixed count, keeps this
    /// under a second on a debug build, where Ed25519 is many times slower, and accurate on a release build.
    static func measureCrypto(budget: Double = 0.15) throws -> (sign: Double, verify: Double) {
        let key = try PartyKey(party: "BENCH", seed: Data(repeating: 7, count: 32))
        var raw = try LedgerBenchmark.RawCrypto.measure(key: key, budget: budget)
        for _ in 0..<2 { raw = raw.best(try LedgerBenchmark.RawCrypto.measure(key: key, budget: budget)) }
        return (raw.sign, raw.verify)
    }

    static func seconds(_ duration: Swift.Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Peak resident set size of this process (getrusage; kilobytes on Linux).
    static func peakMemory() -> Int {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(Linux)
            return Int(usage.ru_maxrss) * 1024
        #else
            return Int(usage.ru_maxrss)
        #endif
    }
}

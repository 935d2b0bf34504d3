import Foundation
import Ledger
import ScenarioModel

#if canImport(Glibc)
    import Glibc
#endif

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
        /// The most messages in flight and timers pending at once (what was open in the market).
        public let peakPendingEvents: Int
        /// Whether `peakMemoryBytes` is this run's own peak (the kernel's high-water mark was reset before it);
        /// false: the peak of the whole process so far.
        public let peakMemoryReset: Bool
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
                  open at most         \(peakPendingEvents) events pending (messages in flight, timers)
                """
        }
    }

    /// Generates the ecosystem, runs it, and measures Ed25519 sign and verify rates on one core.
    /// - Parameters:
    ///   - progress: called every few thousand events with how far the run is (the CLI shows it).
    ///   - ledgers: what the run keeps of its entries (`.heads`: memory flat with the history).
    ///   - crypto: the one-core rates measured already (a scaling series measures them once); nil: measured here.
    public static func run(
        _ shape: EcosystemGenerator.Shape, seed: UInt64 = 1, ledgers: LedgerRetention = .heads,
        crypto: (sign: Double, verify: Double)? = nil, progress: ((RunProgress) -> Void)? = nil
    ) throws -> Result {
        let (signRate, verifyRate) = try crypto ?? measureCrypto()
        let plan = try EcosystemGenerator.plan(shape, seed: seed)
        let reset = resetPeakMemory()
        let clock = ContinuousClock()
        let begin = clock.now
        let simulator = try Simulator(plan: plan, audit: false, ledgers: ledgers)
        simulator.recordsExchanges = false
        simulator.onProgress = progress
        let result = try simulator.run()
        let seconds = Self.seconds(clock.now - begin)
        return Result(
            providers: shape.providers, requests: shape.requests,
            answered: result.demands.filter { $0.state != nil }.count,
            ledgerEntries: result.ledgers.reduce(0) { $0 + Int($1.entries) }, ledgers: result.ledgers.count,
            seconds: seconds, signPerSecond: signRate, verifyPerSecond: verifyRate, peakMemoryBytes: peakMemory(),
            peakPendingEvents: simulator.peakPendingEvents, peakMemoryReset: reset,
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

    /// The same market at several sizes (`shape` with each number of retail requests), one after the other in
    /// this process, smallest first, on one crypto measurement: how entries/s and peak memory grow with the
    /// history (`broker bench simulate --sizes`).
    public static func scaling(
        _ shape: EcosystemGenerator.Shape, sizes: [Int], seed: UInt64 = 1, ledgers: LedgerRetention = .heads,
        progress: ((RunProgress) -> Void)? = nil
    ) throws -> [Result] {
        let crypto = try measureCrypto()
        return try sizes.sorted().map { size in
            var sized = shape
            sized.requests = size
            return try run(sized, seed: seed, ledgers: ledgers, crypto: crypto, progress: progress)
        }
    }

    /// The figures of a scaling series, one line per size, each beside its share of the crypto bound.
    public static func scalingReport(_ results: [Result]) -> String {
        guard let first = results.first else { return "" }
        var lines = [
            "simulator scaling: \(first.providers) providers, \(first.ledgers) ledgers at the smallest size; "
                + "crypto bound \(String(format: "%.0f", first.cryptoBound)) entries/s on one core "
                + "(sign \(String(format: "%.0f", first.signPerSecond))/s, verify \(String(format: "%.0f", first.verifyPerSecond))/s)"
        ]
        let rows =
            [
                [
                    "requests", "agreed entries", "wall time", "entries/s", "of the 1-core bound", "vs smallest",
                    "peak memory", "open at most",
                ]
            ]
            + results.map { result in
                [
                    "\(result.requests)", "\(result.ledgerEntries)", String(format: "%.2f s", result.seconds),
                    String(format: "%.0f", result.entriesPerSecond),
                    String(format: "%.0f %%", result.entriesPerSecond / result.cryptoBound * 100),
                    String(format: "%.0f %%", result.entriesPerSecond / first.entriesPerSecond * 100),
                    String(format: "%.0f MiB", Double(result.peakMemoryBytes) / 1_048_576),
                    "\(result.peakPendingEvents) events",
                ]
            }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            lines.append(
                zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        if results.dropFirst().contains(where: { !$0.peakMemoryReset }) {
            lines.append("(the peak could not be reset between sizes here: each is the process's peak so far)")
        }
        return lines.joined(separator: "\n")
    }

    /// Starts a new peak for `peakMemory()`: on Linux, returns freed heap to the system and resets the kernel's
    /// high-water mark (`/proc/self/clear_refs`), so each run of a series has its own peak.
    @discardableResult
    static func resetPeakMemory() -> Bool {
        #if os(Linux)
            // glibc's malloc_trim(0), looked up at run time (the Glibc module does not export malloc.h).
            if let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") {
                _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
            }
            guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
            defer { try? handle.close() }
            return (try? handle.write(contentsOf: Data("5".utf8))) != nil
        #else
            return false
        #endif
    }

    /// Peak resident set size since the last `resetPeakMemory()` (Linux: `VmHWM`), else of the whole process
    /// (getrusage; kilobytes on Linux).
    static func peakMemory() -> Int {
        #if os(Linux)
            if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                let kilobytes = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({
                    Int($0)
                })
            {
                return kilobytes * 1024
            }
        #endif
        let usage = selfUsage()
        #if os(Linux)
            return Int(usage.ru_maxrss) * 1024
        #else
            return Int(usage.ru_maxrss)
        #endif
    }

    /// User and system CPU time of this process so far, in seconds.
    public static func cpuSeconds() -> Double {
        let usage = selfUsage()
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// `getrusage(RUSAGE_SELF)`.
    private static func selfUsage() -> rusage {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return usage
    }
}

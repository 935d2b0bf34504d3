import CanonicalJSON
import Dispatch
import Foundation
import Synchronization

/// `broker bench ledger`: measures, in one run, raw Ed25519 speed and the ledger's agreed-append and audit
/// speeds, and sets each beside the bound the raw figures allow.
public enum LedgerBenchmark {
    /// The figures of one run.
    public struct Result: Sendable, Codable, Hashable {
        /// Agreed entries appended and audited.
        public var entries: Int
        /// Cores used by the audit.
        public var cores: Int
        /// Raw Ed25519 signatures per second, one core.
        public var signPerSecond: Double
        /// Raw Ed25519 verifications per second, one core.
        public var verifyPerSecond: Double
        /// Raw Ed25519 verifications per second on all cores at once (what the cores really deliver together).
        public var parallelVerifyPerSecond: Double
        /// Agreed entries per second (signed, countersigned, both verified) appended to two SQLite copies with
        /// `synchronous=FULL`, one transaction per 1,000 entries.
        public var appendPerSecond: Double
        /// Agreed entries per second in batches of `LedgerReplica.largestBatch` (each batch proposed, verified,
        /// countersigned and committed with one transaction per copy, `synchronous=FULL`; signatures and
        /// verifications of a batch on all cores), authors taking turns batch by batch.
        public var batchedAppendPerSecond: Double
        /// The same, the entries spread over one ledger per core agreed at once (a node's lanes, one per
        /// counterparty), each batch still signed and verified on every core.
        public var lanesAppendPerSecond: Double
        /// Entries per second audited from a file (read, every hash and both signatures checked), all cores.
        public var auditPerSecond: Double

        /// One core's crypto bound for agreed entries: 1 / (2 t_sign + 2 t_verify).
        public var appendBound: Double { 1 / (2 / signPerSecond + 2 / verifyPerSecond) }
        /// The crypto bound for batched agreed entries on all cores: cores / (2 t_sign + 2 t_verify).
        public var batchedAppendBound: Double { Double(cores) * appendBound }
        /// The verify bound for auditing on all cores: cores / (2 t_verify).
        public var auditBound: Double { Double(cores) * verifyPerSecond / 2 }

        /// The report, one figure per line beside its bound and the ratio.
        public var report: String {
            func rate(_ value: Double) -> String { String(format: "%10.0f/s", value) }
            return """
                Ed25519 sign (1 core)          \(rate(signPerSecond))   (\(String(format: "%.1f", 1e6 / signPerSecond)) µs)
                Ed25519 verify (1 core)        \(rate(verifyPerSecond))   (\(String(format: "%.1f", 1e6 / verifyPerSecond)) µs)
                agreed appends, SQLite FULL    \(rate(appendPerSecond))   bound 1/(2·t_sign+2·t_verify) \
                \(rate(appendBound))   ratio \(String(format: "%.0f%%", 100 * appendPerSecond / appendBound))
                agreed appends, batches of \(LedgerReplica.largestBatch) \(rate(batchedAppendPerSecond))   \
                bound \(cores)/(2·t_sign+2·t_verify)       \(rate(batchedAppendBound))   ratio \
                \(String(format: "%.0f%%", 100 * batchedAppendPerSecond / batchedAppendBound))
                agreed appends, \(cores) ledgers at once \(rate(lanesAppendPerSecond))   \
                bound \(cores)/(2·t_sign+2·t_verify)       \(rate(batchedAppendBound))   ratio \
                \(String(format: "%.0f%%", 100 * lanesAppendPerSecond / batchedAppendBound))
                Ed25519 verify (\(cores) cores)        \(rate(parallelVerifyPerSecond))   \
                (\(String(format: "%.2f", parallelVerifyPerSecond / verifyPerSecond))× one core)
                audit verification (\(cores) cores) \(rate(auditPerSecond))   bound \(cores)/(2·t_verify)          \
                \(rate(auditBound))   ratio \(String(format: "%.0f%%", 100 * auditPerSecond / auditBound))
                entries: \(entries)

                """
        }
    }

    /// Runs the benchmark with `entries` agreed entries in SQLite files under `directory` (created if needed).
    /// - Parameter keepFiles: leave the SQLite copies in `directory`: the two of the one-at-a-time run (with a
    ///   co-signed checkpoint), two of the batched run and two per core of the run on several ledgers.
    public static func run(entries: Int, directory: String, cores: Int? = nil, keepFiles: Bool = false) throws -> Result
    {
        let cores = max(1, cores ?? ProcessInfo.processInfo.activeProcessorCount)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let alice = try PartyKey(party: "bench-alice", seed: Data(repeating: 1, count: 32))
        let bob = try PartyKey(party: "bench-bob", seed: Data(repeating: 2, count: 32))

        // Raw Ed25519, measured before, between and after the ledger phases; the best of the three is the bound
        // (a machine shared with other work slows some rounds; the most favourable bound keeps ratios honest).
        var raw = try RawCrypto.measure(key: alice, cores: cores)

        // Agreed appends to two SQLite copies, synchronous=FULL, one transaction per 1,000 entries.
        let stamp = UUID().uuidString
        let pathA = (directory as NSString).appendingPathComponent("bench-\(stamp)-a.sqlite")
        let pathB = (directory as NSString).appendingPathComponent("bench-\(stamp)-b.sqlite")
        defer {
            for path in [pathA, pathB] where !keepFiles {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        let storeA = try SQLiteLedgerStore(path: pathA, durability: .full, batchSize: 1_000)
        let storeB = try SQLiteLedgerStore(path: pathB, durability: .full, batchSize: 1_000)
        let ledger = try BilateralLedger(
            partyA: alice, partyB: bob, genesisNonce: Data(stamp.utf8), storeA: storeA, storeB: storeB)
        let payload: JSONValue = [
            "productOfferingQualificationItem": [["id": "1", "action": "add", "product": ["productOffering": "EPL"]]],
            "instantSyncQualification": true, "requestedResponseDate": "2026-01-01T00:00:00Z",
        ]
        let appendSeconds = try time {
            for index in 0..<entries {
                try ledger.record(
                    author: index % 2 == 0 ? alice.party : bob.party, kind: "poq.request",
                    refs: ["poq": "poq-\(index)"],
                    body: ["seq": .number(Double(index)), "poq": payload], time: 1_700_000_000_000 + Int64(index))
            }
            try storeA.flush()
            try storeB.flush()
        }
        let synchronous = try storeA.synchronousLevel()
        precondition(synchronous == 2, "synchronous is not FULL")

        // The same entries agreed in batches, as a live lane agrees them: one transaction per batch per copy; first
        // on one ledger, then spread over one ledger per core at once (a node's lanes, one per counterparty).
        let drafts = (0..<entries).map { index in
            EntryDraft(
                kind: "poq.request", refs: ["poq": "poq-\(index)"],
                body: ["seq": .number(Double(index)), "poq": payload], time: 1_700_000_000_000 + Int64(index))
        }
        var batchedPaths: [String] = []
        defer {
            for path in batchedPaths where !keepFiles {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        func ledgers(_ count: Int, _ name: String) throws -> [BilateralLedger] {
            try (0..<count).map { lane in
                let paths = ["a", "b"].map {
                    (directory as NSString).appendingPathComponent("bench-\(stamp)-\(name)-\(lane)-\($0).sqlite")
                }
                batchedPaths += paths
                return try BilateralLedger(
                    partyA: alice, partyB: bob, genesisNonce: Data("\(stamp)-\(name)-\(lane)".utf8),
                    storeA: try SQLiteLedgerStore(path: paths[0], durability: .full),
                    storeB: try SQLiteLedgerStore(path: paths[1], durability: .full))
            }
        }
        let single = try ledgers(1, "batched")
        let batchedSeconds = try time { try appendInBatches(drafts[...], to: single[0], alice: alice, bob: bob) }
        let lanes = try ledgers(cores, "lanes")
        let laneFailures = Mutex<[any Error]>([])
        let lanesSeconds = try time {
            DispatchQueue.concurrentPerform(iterations: cores) { lane in
                let share = drafts[(entries * lane / cores)..<(entries * (lane + 1) / cores)]
                do {
                    try appendInBatches(share, to: lanes[lane], alice: alice, bob: bob)
                } catch {
                    laneFailures.withLock { $0.append(error) }
                }
            }
            if let failure = laneFailures.withLock({ $0.first }) { throw failure }
        }
        precondition(
            lanes.map { Int($0.head.seq) }.reduce(0, +) == entries, "lanes stopped at \(lanes.map(\.head.seq))")

        raw = raw.best(try RawCrypto.measure(key: alice, cores: cores))

        // Audit from the file: read, recompute every hash, verify both signatures, on every core.
        let auditor = LedgerAuditor(cores: cores)
        var findings: [AuditFinding] = []
        let auditSeconds = try time { findings = try auditor.audit(file: pathA) }
        precondition(findings.isEmpty, "benchmark ledger audited with findings: \(findings.prefix(3))")
        if keepFiles { _ = try ledger.checkpoint(time: 1_700_000_000_000 + Int64(entries)) }

        raw = raw.best(try RawCrypto.measure(key: alice, cores: cores))
        return Result(
            entries: entries, cores: cores, signPerSecond: raw.sign, verifyPerSecond: raw.verify,
            parallelVerifyPerSecond: raw.parallelVerify, appendPerSecond: Double(entries) / appendSeconds,
            batchedAppendPerSecond: Double(entries) / batchedSeconds,
            lanesAppendPerSecond: Double(entries) / lanesSeconds,
            auditPerSecond: Double(entries) / auditSeconds)
    }

    /// Raw Ed25519 rates on this machine: signatures and verifications per second on one core, and verifications
    /// per second across `cores`.
    public struct RawCrypto: Sendable {
        public var sign: Double
        public var verify: Double
        public var parallelVerify: Double

        public func best(_ other: RawCrypto) -> RawCrypto {
            RawCrypto(
                sign: max(sign, other.sign), verify: max(verify, other.verify),
                parallelVerify: max(parallelVerify, other.parallelVerify))
        }

        public static func measure(key: PartyKey, cores: Int) throws -> RawCrypto {
            let message = Data(repeating: 0xab, count: 32)
            let signCount = 4_000
            var signature = Data()
            let signSeconds = try time {
                for _ in 0..<signCount { signature = try key.sign(message) }
            }
            let verifyCount = 4_000
            var valid = 0
            let verifySeconds = time {
                for _ in 0..<verifyCount
                where Ed25519.verify(signature: signature, of: message, publicKey: key.publicKey) {
                    valid += 1
                }
            }
            precondition(valid == verifyCount)
            return try measureParallel(
                key: key, signature: signature, message: message, verifyCount: verifyCount, cores: cores,
                sign: Double(signCount) / signSeconds, verify: Double(verifyCount) / verifySeconds)
        }

        /// One-core rates measured for about `budget` seconds each (sign, then verify), however fast the build:
        /// a debug build does a few hundred operations in that time, a release build tens of thousands.
        public static func measure(key: PartyKey, budget: Double) throws -> RawCrypto {
            let message = Data(repeating: 0xab, count: 32)
            var signature = Data()
            var signCount = 0
            let signSeconds = try timeFor(budget) {
                signature = try key.sign(message)
                signCount += 1
            }
            var verifyCount = 0
            var valid = 0
            let verifySeconds = timeFor(budget) {
                if Ed25519.verify(signature: signature, of: message, publicKey: key.publicKey) { valid += 1 }
                verifyCount += 1
            }
            precondition(valid == verifyCount)
            let verify = Double(verifyCount) / verifySeconds
            return RawCrypto(sign: Double(signCount) / signSeconds, verify: verify, parallelVerify: verify)
        }

        /// Runs `body` in batches of 16 until `budget` seconds have passed; the seconds it took.
        private static func timeFor(_ budget: Double, _ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            while true {
                for _ in 0..<16 { try body() }
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if elapsed >= budget { return elapsed }
            }
        }

        private static func measureParallel(
            key: PartyKey, signature: Data, message: Data, verifyCount: Int, cores: Int, sign: Double,
            verify: Double
        ) throws -> RawCrypto {
            let parallelCount = verifyCount * cores
            var parallelResults: [Bool] = []
            let parallelSeconds = time {
                parallelResults = ParallelMap.map(count: parallelCount, cores: cores) { _ in
                    Ed25519.verify(signature: signature, of: message, publicKey: key.publicKey)
                }
            }
            precondition(parallelResults.allSatisfy { $0 })

            return RawCrypto(sign: sign, verify: verify, parallelVerify: Double(parallelCount) / parallelSeconds)
        }
    }

    /// Agrees `drafts` on `ledger` in batches of `LedgerReplica.largestBatch`, the authors taking turns batch by
    /// batch; every entry must be taken.
    static func appendInBatches(
        _ drafts: ArraySlice<EntryDraft>, to ledger: BilateralLedger, alice: PartyKey, bob: PartyKey
    ) throws {
        var start = drafts.startIndex
        var turn = 0
        while start < drafts.endIndex {
            let author = turn % 2 == 0 ? alice.party : bob.party
            let end = min(start + LedgerReplica.largestBatch, drafts.endIndex)
            start += try ledger.recordBatch(author: author, Array(drafts[start..<end])).count
            turn += 1
        }
        guard ledger.head.seq == UInt64(drafts.count) else {
            throw LedgerError(.divergence, "batched appends stopped at \(ledger.head.seq) of \(drafts.count)")
        }
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

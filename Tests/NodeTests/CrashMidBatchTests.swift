import Foundation
import Ledger
import Logging
import Node
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real `broker serve` process killed with SIGKILL at a precise moment inside a batch (its `CrashPoint`): every
/// copy on disk is a valid prefix, and once the node is restarted without the crash point nothing the counterparty
/// countersigned is lost, every entry is there once and both copies of every ledger are identical.
@Suite(.serialized)
struct CrashMidBatchTests {
    /// The three-hop chain (SHOP buys from A, A from B, B from C) with `demands` inquiries sent at once: each lane
    /// has a request on the way when the next ones arrive, so the next batches carry several entries.
    static func scenario(demands: Int) -> String {
        var text = """
            name: batch-crash
            seed: 11
            defaults: { latency: 2ms, processingTime: 300ms }
            providers:
              - { id: A, markup: 10%, sellers: [B] }
              - { id: B, markup: 10%, sellers: [C] }
              - id: C
                catalog:
                  - { offering: EPL, places: [PARIS-7], cost: 100, leadTime: 10d }
            demand:

            """
        for index in 1...demands {
            text += """
                  - id: d\(index)
                    at: 0s
                    buyer: SHOP
                    seller: A
                    kind: inquiry
                    completionWithin: 12s
                    items: [{ id: epl-1, offering: EPL, place: PARIS-7, bandwidthMbps: 100 }]

                """
        }
        return text
    }

    /// Every copy of every ledger, by ledger and holder, as read from disk.
    typealias Copies = [LedgerID: [PartyID: [LedgerEntry]]]

    /// What a run with one node killed at its crash point left behind.
    struct KilledRun {
        /// How the armed process ended.
        let reason: Process.TerminationReason
        let status: Int32
        /// Every copy just after the kill (the killed node's files as the crash left them), and the audit findings
        /// then.
        let atCrash: Copies
        let findingsAtCrash: [AuditFinding]
        /// Every copy once the restarted node caught up and the cluster stopped, and the cluster's audit then.
        let atEnd: Copies
        let findingsAtEnd: [String]
        /// How the node restarted without the crash point ended (SIGTERM at the end of the run: a clean exit).
        let restartedReason: Process.TerminationReason
        let restartedStatus: Int32
        /// The killed node's log, both runs.
        let log: String
    }

    static let victim: PartyID = "B"

    /// Runs the chain with `victim` armed with `crashPoint`, waits for it to kill itself, reads every copy, restarts
    /// it without the crash point, lets the demand finish and every lane drain, stops the cluster and reads again.
    static func killedRun(_ name: String, crashPoint: String) async throws -> KilledRun {
        let runner = try ClusterTests.runner(name, scenario: scenario(demands: 12))
        let cluster = try runner.prepare()
        defer { runner.stop(cluster) }
        let crash = try await runner.withRetailServer(cluster) { _ in
            for party in runner.plan.providers.map(\.party) {
                let armed = party == victim ? [CrashPoint.environmentVariable: crashPoint] : [:]
                try runner.launch(party, in: cluster, environment: armed)
            }
            try await runner.waitUntilHealthy(cluster)
            return try await withThrowingTaskGroup(of: Crash?.self) { group in
                group.addTask {
                    _ = try await runner.drive(cluster)
                    return nil
                }
                group.addTask {
                    let ended = try #require(
                        try await runner.waitForExit(victim, in: cluster, limit: .seconds(30)),
                        "\(victim) never reached \(crashPoint)")
                    let (copies, findings) = try read(runner, cluster)
                    try runner.launch(victim, in: cluster)
                    try await runner.waitUntilHealthy(cluster, parties: [victim])
                    return Crash(
                        reason: ended.terminationReason, status: ended.terminationStatus, copies: copies,
                        findings: findings)
                }
                var crash: Crash?
                for try await value in group { if let value { crash = value } }
                try await waitUntilAgreed(runner, cluster)
                return try #require(crash)
            }
        }
        let restarted = try #require(cluster.processes[victim])
        await runner.stop(cluster)
        let (atEnd, _) = try read(runner, cluster)
        let (_, findingsAtEnd, _) = try runner.audit(cluster)
        let log = try String(
            contentsOf: runner.workDirectory.appendingPathComponent("\(victim.rawValue).log"), encoding: .utf8)
        return KilledRun(
            reason: crash.reason, status: crash.status, atCrash: crash.copies, findingsAtCrash: crash.findings,
            atEnd: atEnd, findingsAtEnd: findingsAtEnd, restartedReason: restarted.terminationReason,
            restartedStatus: restarted.terminationStatus, log: log)
    }

    /// How the armed node ended, and what it left on disk.
    struct Crash: Sendable {
        let reason: Process.TerminationReason
        let status: Int32
        let copies: Copies
        let findings: [AuditFinding]
    }

    /// Every copy on disk, and what the auditor finds in each ledger (each copy alone, and the two compared).
    static func read(_ runner: ClusterRunner, _ cluster: ClusterRunner.Cluster) throws -> (Copies, [AuditFinding]) {
        let auditor = LedgerAuditor(trustedKeys: try runner.keyDirectory(cluster), rules: .broker)
        var copies: Copies = [:]
        var findings: [AuditFinding] = []
        for (id, list) in try runner.ledgerCopies(cluster) {
            for (holder, store) in list { copies[id, default: [:]][holder] = try store.entries(of: id) }
            findings += try auditor.audit(ledger: id, holders: list.map(\.holder), stores: list.map(\.store))
        }
        return (copies, findings)
    }

    /// Waits (at most a minute) until no node has an entry waiting and both copies of every ledger have one head.
    static func waitUntilAgreed(_ runner: ClusterRunner, _ cluster: ClusterRunner.Cluster) async throws {
        let agreed = try await runner.waitUntilAgreed(cluster, until: .now + .seconds(60))
        #expect(agreed, "the lanes did not drain within a minute")
    }

    /// What one copy of a ledger between the victim and a counterparty (not its SOF) held at the crash that the other
    /// did not: the entries of one batch or more, countersigned and committed by `ahead`, not yet by their author.
    struct Gap {
        let ahead: PartyID
        let behind: PartyID
        let entries: [LedgerEntry]
    }

    /// The gaps between the two copies of the victim's ledgers with its counterparties at the crash (those copies
    /// stand still while the victim is down).
    static func gaps(_ run: KilledRun) -> [Gap] {
        run.atCrash.values.compactMap { copies in
            guard copies.count == 2, copies[victim] != nil,
                copies.keys.allSatisfy({ !$0.rawValue.hasPrefix("\(victim.rawValue)#") })
            else { return nil }
            let sorted = copies.sorted { $0.value.count > $1.value.count }
            let (long, short) = (sorted[0], sorted[1])
            guard long.value.count > short.value.count else { return nil }
            return Gap(ahead: long.key, behind: short.key, entries: Array(long.value[short.value.count...]))
        }
    }

    /// The checks both moments share once the run is over.
    static func expectRecovered(_ run: KilledRun) {
        // The armed node died by the signal, at the crash point, once; the restarted one stopped cleanly.
        #expect(run.reason == .uncaughtSignal)
        #expect(run.status == SIGKILL)
        #expect(run.log.components(separatedBy: "crash point reached").count == 2)
        #expect(run.restartedReason == .exit && run.restartedStatus == 0)
        // Just after the kill, every copy is a valid prefix: each audits clean alone, and of two copies one is the
        // other's prefix (at most a `truncated` finding).
        #expect(run.findingsAtCrash.allSatisfy { $0.rule == .truncated }, "\(run.findingsAtCrash)")
        // What a longer copy held beyond the other's was authored by the shorter copy's holder and countersigned:
        // the receiver commits a batch before its author does, never after.
        for gap in gaps(run) {
            #expect(gap.entries.allSatisfy { $0.author == gap.behind && $0.counterSignature != nil }, "\(gap.ahead)")
        }
        // At the end: both copies of every ledger, identical, clean.
        #expect(run.findingsAtEnd.isEmpty, "\(run.findingsAtEnd)")
        for (id, copies) in run.atEnd {
            #expect(copies.count == 2, "\(id)")
            let heads = Set(copies.values.map { $0.last?.entryHash })
            #expect(heads.count == 1, "\(id): heads \(heads)")
        }
        for (id, copies) in run.atCrash {
            // Nothing agreed before the crash is lost: the longer copy then is a prefix of both copies now.
            let before = copies.values.max { $0.count < $1.count } ?? []
            for (holder, now) in run.atEnd[id] ?? [:] {
                #expect(
                    now.prefix(before.count).map(\.entryHash) == before.map(\.entryHash),
                    "\(holder)'s copy of \(id) lost entries agreed before the crash")
            }
        }
        for (id, copies) in run.atEnd {
            // Every record once: no entry proposed again after the restart on top of its countersigned self.
            struct Record: Hashable {
                let author: PartyID
                let kind: String
                let refs: [String: String]
                let body: String
            }
            let entries = copies.values.first ?? []
            let records = Set(
                entries.map { Record(author: $0.author, kind: $0.kind, refs: $0.refs, body: "\($0.body)") })
            #expect(records.count == entries.count, "\(id): \(entries.count - records.count) entries twice")
        }
    }

    @Test(
        "SIGKILL with a countersigned batch not yet committed: the counterparty's copy ahead by the batch, every copy a valid prefix; restarted, the node fetches the batch back, each entry once, copies identical"
    )
    func killedAuthorRecoversCountersignedBatch() async throws {
        let run = try await Self.killedRun("crash-author", crashPoint: "author-countersigned")
        Self.expectRecovered(run)
        // At the crash a counterparty held a batch of two or more of B's entries, countersigned, that B's copy did
        // not: B died holding their countersignatures.
        let countersigned = Self.gaps(run).filter { $0.ahead != Self.victim }.flatMap(\.entries)
        #expect(countersigned.count >= 2)
        // Each of them is now in B's copy, at its place (the end copies hold the crash copies as prefixes).
        for entry in countersigned {
            let copy = run.atEnd[entry.ledgerID]?[Self.victim] ?? []
            let recovered = copy.count >= entry.seq && copy[Int(entry.seq) - 1] == entry
            #expect(recovered, "\(entry.ledgerID) \(entry.seq)")
        }
    }

    @Test(
        "SIGKILL after committing a batch, before answering: the node's copy ahead by the batch, every copy a valid prefix; restarted, it keeps the batch and the author commits the same entries, each once, copies identical"
    )
    func killedReceiverKeepsCommittedBatch() async throws {
        let run = try await Self.killedRun("crash-receiver", crashPoint: "receiver-committed")
        Self.expectRecovered(run)
        // At the crash B held a batch of two or more of a counterparty's entries, countersigned and committed,
        // that the author's copy did not: B died before answering.
        let committed = Self.gaps(run).filter { $0.ahead == Self.victim }.flatMap(\.entries)
        #expect(committed.count >= 2)
        // Each of them is in both copies now, B's and its author's, at its place.
        for entry in committed {
            let copies = run.atEnd[entry.ledgerID] ?? [:]
            #expect(copies.count == 2)
            #expect(copies.values.allSatisfy { $0.count >= entry.seq && $0[Int(entry.seq) - 1] == entry })
        }
    }
}

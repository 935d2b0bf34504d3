import Foundation
import Ledger
import Logging
import Node
import SupplyChain
import Synchronization
import Testing

/// A lane never drops an entry because its counterparty was away (issue "Live nodes at the speed of their
/// cryptography", the outbox guarantee in LEDGER.md §9).
struct OutboxTests {
    @Test("a counterparty down for many retries: nothing is dropped, the backlog shows it, all is agreed on return")
    func counterpartyDownThenBack() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let seller = PartyKey(party: "SELLER")
        let buyer = PartyKey(party: "BUYER")
        let keys: [PartyID: Data] = ["SELLER": seller.publicKey, "BUYER": buyer.publicKey]
        let transport = RestartLedgerTests.Loopback()
        let metrics = NodeMetrics()
        let sellerLedgers = try NodeLedgers(
            key: seller, database: directory.appendingPathComponent("seller.sqlite").path, withSOF: false,
            peerKeys: keys, transport: transport, logger: Logger(label: "test"), maximumBackoff: .milliseconds(50),
            metrics: metrics)
        let buyerLedgers = try NodeLedgers(
            key: buyer, database: directory.appendingPathComponent("buyer.sqlite").path, withSOF: false,
            peerKeys: keys, transport: transport, logger: Logger(label: "test"))
        transport.connect("SELLER", sellerLedgers)  // BUYER's node is down: every proposal fails to reach it
        let jobs = Mutex<[Task<Void, Never>]>([])
        for index in 1...3 {
            let record = LedgerRecord(
                counterparty: "BUYER", kind: "hub.registered", refs: [:], body: ["subscription": .number(Double(index))]
            )
            sellerLedgers.submit(record, at: Instant(milliseconds: 1_767_603_600_000 + Int64(index))) { job in
                jobs.withLock { $0.append(Task { await job() }) }
            }
        }
        // About thirty attempts at 50 ms each: far past any retry limit a lane could have had.
        try await Task.sleep(for: .milliseconds(1_500))
        let waiting = sellerLedgers.backlogs()
        #expect(waiting.map(\.counterparty) == ["BUYER"])
        #expect(waiting.first?.entries == 3)
        #expect((waiting.first?.oldestAgeSeconds ?? 0) >= 1.4)
        #expect(
            metrics.registry.emitToString().contains(#"broker_node_ledger_backlog_entries{counterparty="BUYER"} 3"#))

        transport.connect("BUYER", buyerLedgers)
        await waitUntil { sellerLedgers.isIdle }
        #expect(sellerLedgers.isIdle)
        let sellerCopy = try sellerLedgers.replica(with: "BUYER").entries()
        let buyerCopy = try buyerLedgers.replica(with: "SELLER").entries()
        #expect(sellerCopy.map(\.body) == [["subscription": 1], ["subscription": 2], ["subscription": 3]])
        #expect(sellerCopy.map(\.entryHash) == buyerCopy.map(\.entryHash))
        #expect(sellerCopy.filter { !$0.isAgreed }.isEmpty)
        #expect(sellerLedgers.backlogs().isEmpty)
        for task in jobs.withLock({ $0 }) { await task.value }
    }
}

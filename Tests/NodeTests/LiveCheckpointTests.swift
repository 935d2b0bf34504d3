import Foundation
import Ledger
import Logging
import Node
import SupplyChain
import Testing

/// Checkpoints of a ledger between two live nodes: the author of every `checkpointInterval`-th entry signs one, the
/// counterparty checks it against its copy and co-signs, and both copies keep the co-signed note.
struct LiveCheckpointTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("live-cp-\(UUID().uuidString)")
    let seller = PartyKey(party: "SELLER")
    let buyer = PartyKey(party: "BUYER")
    let transport = RestartLedgerTests.Loopback()

    func ledgers(_ key: PartyKey) throws -> NodeLedgers {
        let keys: [PartyID: Data] = ["SELLER": seller.publicKey, "BUYER": buyer.publicKey]
        let ledgers = try NodeLedgers(
            key: key, database: directory.appendingPathComponent("\(key.party).sqlite").path, withSOF: false,
            peerKeys: keys, transport: transport, logger: Logger(label: "test"), checkpointInterval: 2)
        transport.connect(key.party, ledgers)
        return ledgers
    }

    @Test("every second entry both copies get the same co-signed checkpoint; a copy cut below it is caught alone")
    func cosignedEveryInterval() async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let sellerLedgers = try ledgers(seller)
        let buyerLedgers = try ledgers(buyer)
        let at = Instant(milliseconds: 1_767_603_600_000)
        for index in 1...2 {
            try await buyerLedgers.append(
                LedgerRecord(counterparty: "SELLER", kind: "poq.request", refs: ["request": "r-\(index)"], body: [:]),
                at: at)
            try await sellerLedgers.append(
                LedgerRecord(
                    counterparty: "BUYER", kind: "poq.receipt", refs: ["request": "r-\(index)"],
                    body: ["receivedAt": "now"]), at: at)
        }
        try await buyerLedgers.append(
            LedgerRecord(counterparty: "SELLER", kind: "poq.request", refs: ["request": "r-3"], body: [:]), at: at)
        let id = try sellerLedgers.replica(with: "BUYER").id
        let sellerCheckpoints = try sellerLedgers.store.checkpoints(of: id)
        #expect(sellerCheckpoints.map(\.size) == [2, 4])
        #expect(try buyerLedgers.store.checkpoints(of: id) == sellerCheckpoints)
        for checkpoint in sellerCheckpoints {
            #expect(checkpoint.signatureStatus(of: "SELLER", publicKey: seller.publicKey) == .valid)
            #expect(checkpoint.signatureStatus(of: "BUYER", publicKey: buyer.publicKey) == .valid)
        }
        let auditor = LedgerAuditor(rules: .broker)
        let buyerPath = directory.appendingPathComponent("BUYER.sqlite").path
        #expect(try auditor.audit(file: buyerPath) == [])

        // The buyer's file alone proves it held 4 entries once it loses its last two.
        let cut = directory.appendingPathComponent("BUYER-cut.sqlite").path
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: buyerPath + suffix) {
            try FileManager.default.copyItem(atPath: buyerPath + suffix, toPath: cut + suffix)
        }
        let store = try SQLiteLedgerStore(readOnlyPath: cut)
        #expect(try store.head(of: id).seq == 5)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [cut, "DELETE FROM entries WHERE seq > 2"]
        try process.run()
        process.waitUntilExit()
        let findings = try auditor.audit(file: cut)
        #expect(findings.map(\.rule) == [.truncated])
        #expect(findings.first?.seq == 3)
        #expect(findings.first?.ledgerID == id)
    }

    @Test("a checkpoint whose root is not the counterparty's copy is refused and stored nowhere")
    func wrongRootRefused() async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let sellerLedgers = try ledgers(seller)
        let buyerLedgers = try ledgers(buyer)
        try await buyerLedgers.append(
            LedgerRecord(counterparty: "SELLER", kind: "poq.request", refs: ["request": "r-1"], body: [:]),
            at: Instant(milliseconds: 1_767_603_600_000))
        let id = try sellerLedgers.replica(with: "BUYER").id
        var forged = Checkpoint(ledgerID: id, size: 1, root: Data(repeating: 7, count: 32), time: nil)
        try forged.sign(with: buyer)
        #expect(throws: NodeError.self) { try sellerLedgers.countersign(forged, from: "BUYER") }
        var longer = Checkpoint(ledgerID: id, size: 2, root: Data(repeating: 7, count: 32), time: nil)
        try longer.sign(with: buyer)
        #expect(throws: NodeError.self) { try sellerLedgers.countersign(longer, from: "BUYER") }
        #expect(try sellerLedgers.store.checkpoints(of: id) == [])
    }
}

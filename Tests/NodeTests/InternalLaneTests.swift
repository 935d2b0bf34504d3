import CanonicalJSON
import Foundation
import Ledger
import Logging
import Node
import SupplyChain
import Testing

/// The internal ledger with the SOF has a lane of its own: entries wait there (off the node's actor) and are
/// recorded in batches, one commit per copy, with a checkpoint at every count boundary a batch reaches.
struct InternalLaneTests {
    @Test("10 internal entries waiting with checkpoints every 4: recorded in order, checkpoints at 4 and 8")
    func batchesCutAtCheckpoints() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("internal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("seller.sqlite").path
        let ledgers = try NodeLedgers(
            key: PartyKey(party: "SELLER"), database: database, withSOF: true, peerKeys: [:],
            transport: RestartLedgerTests.Loopback(), logger: Logger(label: "test"), checkpointInterval: 4)
        var jobs: [@Sendable () async -> Void] = []
        let at = Instant(milliseconds: 1_767_603_600_000)
        for index in 1...10 {
            ledgers.submit(
                LedgerRecord(
                    counterparty: "SELLER#sof", kind: "sof.answer", refs: ["element": "e-\(index)"], body: [:]),
                at: at
            ) { jobs.append($0) }
        }
        // One lane, started once; nothing recorded before it runs.
        try #require(jobs.count == 1)
        #expect(ledgers.backlog == 10)
        await jobs[0]()
        #expect(ledgers.isIdle)
        let sof = try SQLiteLedgerStore(path: NodeLedgers.sofDatabase(database), durability: .normal)
        let id = try #require(try sof.ledgerIDs().first)
        #expect(try sof.entries(of: id).map { $0.refs["element"] } == (1...10).map { "e-\($0)" })
        #expect(try ledgers.store.entries(of: id).map(\.entryHash) == sof.entries(of: id).map(\.entryHash))
        #expect(try sof.checkpoints(of: id).map { $0.size } == [4, 8])
        #expect(try ledgers.store.checkpoints(of: id).map { $0.size } == [4, 8])
    }
}

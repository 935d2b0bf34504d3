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

    @Test("with checkpoints every 1h, the first entry an hour after the last checkpoint brings a co-signed one")
    func timeCadence() async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let keys: [PartyID: Data] = ["SELLER": seller.publicKey, "BUYER": buyer.publicKey]
        func ledgers(_ key: PartyKey) throws -> NodeLedgers {
            let ledgers = try NodeLedgers(
                key: key, database: directory.appendingPathComponent("\(key.party).sqlite").path, withSOF: false,
                peerKeys: keys, transport: transport, logger: Logger(label: "test"), checkpointInterval: 256,
                checkpointPeriod: .hours(1))
            transport.connect(key.party, ledgers)
            return ledgers
        }
        let sellerLedgers = try ledgers(seller)
        let buyerLedgers = try ledgers(buyer)
        let start: Int64 = 1_767_603_600_000
        // Minutes after the first entry: 0, 10, 61 (due: an hour after the first entry), 70, 122 (due again).
        for (index, minutes) in [0, 10, 61, 70, 122].enumerated() {
            try await buyerLedgers.append(
                LedgerRecord(
                    counterparty: "SELLER", kind: "poq.request", refs: ["request": "r-\(index)"], body: [:]),
                at: Instant(milliseconds: start + Int64(minutes) * 60_000))
        }
        let id = try sellerLedgers.replica(with: "BUYER").id
        let checkpoints = try sellerLedgers.store.checkpoints(of: id)
        #expect(checkpoints.map(\.size) == [3, 5])
        #expect(checkpoints.map(\.time) == [1_767_607_260_000, 1_767_610_920_000])
        #expect(try buyerLedgers.store.checkpoints(of: id) == checkpoints)
        for checkpoint in checkpoints {
            #expect(checkpoint.signatureStatus(of: "SELLER", publicKey: seller.publicKey) == .valid)
            #expect(checkpoint.signatureStatus(of: "BUYER", publicKey: buyer.publicKey) == .valid)
        }
    }

    @Test("with checkpoints every 1h, a ledger that stopped growing gets one at its head an hour after its last")
    func timeCadenceOnIdleLedger() async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let keys: [PartyID: Data] = ["SELLER": seller.publicKey, "BUYER": buyer.publicKey]
        func ledgers(_ key: PartyKey) throws -> NodeLedgers {
            let ledgers = try NodeLedgers(
                key: key, database: directory.appendingPathComponent("\(key.party).sqlite").path, withSOF: false,
                peerKeys: keys, transport: transport, logger: Logger(label: "test"), checkpointInterval: 256,
                checkpointPeriod: .hours(1))
            transport.connect(key.party, ledgers)
            return ledgers
        }
        let sellerLedgers = try ledgers(seller)
        let buyerLedgers = try ledgers(buyer)
        let start: Int64 = 1_767_603_600_000
        for (index, minutes) in [0, 10].enumerated() {
            try await buyerLedgers.append(
                LedgerRecord(
                    counterparty: "SELLER", kind: "poq.request", refs: ["request": "r-\(index)"], body: [:]),
                at: Instant(milliseconds: start + Int64(minutes) * 60_000))
        }
        let id = try sellerLedgers.replica(with: "BUYER").id
        // Half an hour after the first entry: not yet.
        #expect(await buyerLedgers.checkpointIdleLedgers(now: start + 30 * 60_000) == 0)
        #expect(try sellerLedgers.store.checkpoints(of: id) == [])
        // An hour and a minute after it: a checkpoint of both entries, dated with the second.
        #expect(await buyerLedgers.checkpointIdleLedgers(now: start + 61 * 60_000) == 1)
        let checkpoints = try sellerLedgers.store.checkpoints(of: id)
        #expect(checkpoints.map(\.size) == [2])
        #expect(checkpoints.map(\.time) == [1_767_604_200_000])
        #expect(try buyerLedgers.store.checkpoints(of: id) == checkpoints)
        // Nothing new since: no further checkpoint, from either party.
        #expect(await buyerLedgers.checkpointIdleLedgers(now: start + 180 * 60_000) == 0)
        #expect(await sellerLedgers.checkpointIdleLedgers(now: start + 180 * 60_000) == 0)
        #expect(try sellerLedgers.store.checkpoints(of: id).count == 1)
    }

    @Test("checkpoints: in a node file sets the entry and time cadence; bad values are refused naming the field")
    func cadenceConfiguration() throws {
        let peer = PartyKey(party: "BUYER").publicKey.hexString
        let valid = NodeConfigurationFileTests.complete.replacingOccurrences(
            of: "publicKey: \"00\"", with: "publicKey: \"\(peer)\"")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("node-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try valid.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try NodeConfiguration.load(path: path).checkpoints == NodeConfiguration.CheckpointSetting())
        try (valid + "\ncheckpoints: { entries: 64, every: 15m }").write(
            toFile: path, atomically: true, encoding: .utf8)
        let setting = try NodeConfiguration.load(path: path).checkpoints
        #expect(setting.entries == 64)
        #expect(setting.every == .minutes(15))
        #expect(
            try NodeConfigurationFileTests.refusal(valid + "\ncheckpoints: { every: soon }")
                == "checkpoints.every: 'soon' is not a duration from 1s to 366d")
        #expect(
            try NodeConfigurationFileTests.refusal(valid + "\ncheckpoints: { entries: 0 }")
                == "checkpoints.entries: 0 is not from 1 to 1000000 (256)")
        #expect(
            try NodeConfigurationFileTests.refusal(valid + "\ncheckpoints: { evry: 1h }")
                == "checkpoints.evry: unknown key; did you mean 'every'?")
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

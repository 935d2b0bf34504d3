import CanonicalJSON
import Foundation
import Testing

@testable import Ledger

/// Honest ledgers built through the real append protocol, and a scratch directory for tampered copies.
struct LedgerFixture {
    let directory: URL
    let alice: PartyKey
    let bob: PartyKey
    let carol: PartyKey
    /// Alice's file: her copies of the Alice–Bob ledger (12 entries) and the Alice–Carol ledger (6 entries).
    let alicePath: String
    /// Bob's file: his copy of the Alice–Bob ledger.
    let bobPath: String
    let aliceBob: LedgerID
    let aliceCarol: LedgerID
    /// Checkpoints of Alice–Bob co-signed by both, at 8 and at 12 entries.
    let checkpoint8: Checkpoint
    let checkpoint12: Checkpoint

    static func seed(_ byte: UInt8) -> Data { Data(repeating: byte, count: 32) }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        alice = try PartyKey(party: "alice", seed: Self.seed(1))
        bob = try PartyKey(party: "bob", seed: Self.seed(2))
        carol = try PartyKey(party: "carol", seed: Self.seed(3))
        alicePath = directory.appendingPathComponent("alice.sqlite").path
        bobPath = directory.appendingPathComponent("bob.sqlite").path
        let carolPath = directory.appendingPathComponent("carol.sqlite").path
        let aliceStore = try SQLiteLedgerStore(path: alicePath, durability: .full)
        let bobStore = try SQLiteLedgerStore(path: bobPath, durability: .full)
        let carolStore = try SQLiteLedgerStore(path: carolPath, durability: .normal)
        let ab = try BilateralLedger(
            partyA: alice, partyB: bob, genesisNonce: Data("ab".utf8), storeA: aliceStore, storeB: bobStore)
        let ac = try BilateralLedger(
            partyA: alice, partyB: carol, genesisNonce: Data("ac".utf8), storeA: aliceStore, storeB: carolStore)
        aliceBob = ab.id
        aliceCarol = ac.id
        var checkpoint8: Checkpoint?
        for index in 1...12 {
            try ab.record(
                author: index % 3 == 0 ? "bob" : "alice", kind: index % 2 == 0 ? "poq.response" : "poq.request",
                refs: ["poq": "poq-\(index)"],
                body: ["index": .number(Double(index)), "note": .string("entry \(index)")],
                time: 1_700_000_000_000 + Int64(index) * 1000)
            if index == 8 { checkpoint8 = try ab.checkpoint(time: 1_700_000_008_500) }
        }
        for index in 1...6 {
            try ac.record(
                author: index % 2 == 0 ? "carol" : "alice", kind: "quote.response", refs: ["quote": "q-\(index)"],
                body: ["index": .number(Double(index))], time: 1_700_000_000_000 + Int64(index) * 1000)
        }
        self.checkpoint8 = checkpoint8!
        checkpoint12 = try ab.checkpoint(time: 1_700_000_012_500)
    }

    /// A fresh copy of `path` to tamper with.
    func copy(of path: String, named name: String) throws -> String {
        let target = directory.appendingPathComponent("\(name).sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: target)
        return target
    }

    /// A copy of Alice's file altered by `sql`.
    func tamperedAlice(_ name: String, _ sql: String) throws -> String {
        let path = try copy(of: alicePath, named: name)
        try SQLiteLedgerStore.executeRawSQL(sql, onFileAt: path)
        return path
    }

    /// The Alice–Bob copy read from a file.
    func aliceBobCopy(at path: String) throws -> LedgerCopy {
        try #require(try LedgerFile(path: path).copy(of: aliceBob))
    }

    /// A checkpoint of the Alice–Bob ledger at size 12 with a forged root, signed by `signers`: with the honest
    /// `checkpoint12`, the proof of equivocation by each signer.
    func forgedCheckpoint12(signedBy signers: [PartyKey]) throws -> Checkpoint {
        var forged = Checkpoint(
            ledgerID: aliceBob, size: 12, root: Data(repeating: 7, count: 32), time: 1_700_000_012_600)
        for signer in signers { try forged.sign(with: signer) }
        return forged
    }

    /// Alice and Bob's keys, as a trusted directory.
    var directoryOfKeys: KeyDirectory {
        var keys = KeyDirectory()
        keys.register("alice", publicKey: alice.publicKey)
        keys.register("bob", publicKey: bob.publicKey)
        keys.register("carol", publicKey: carol.publicKey)
        return keys
    }

    var parties: [PartyID: Data] { ["alice": alice.publicKey, "bob": bob.publicKey] }

    /// `(rule, seq)` pairs of findings, for compact assertions.
    static func summary(_ findings: [AuditFinding]) -> [String] {
        findings.map { "\($0.rule.rawValue)@\($0.seq.map(String.init) ?? "-")" }
    }
}

extension String {
    /// The SQL literal of this string.
    var sqlQuoted: String { "'" + replacingOccurrences(of: "'", with: "''") + "'" }
}

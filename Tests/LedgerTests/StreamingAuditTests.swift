import CanonicalJSON
import Foundation
import Testing

@testable import Ledger

/// The auditor checks a file's rows block by block while it reads the next (`LedgerAuditor.read(path:)`): what it
/// finds must be what it finds on the whole file read first, whatever block a row falls in.
@Suite("Auditing a file as it is read")
struct StreamingAuditTests {
    let directory: URL
    let path: String
    let ab: LedgerID
    let ac: LedgerID

    /// Alice's file with 300 entries with Bob and 200 with Carol: several read blocks, two ledgers.
    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("streaming-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let alice = try PartyKey(party: "alice", seed: Data(repeating: 1, count: 32))
        let bob = try PartyKey(party: "bob", seed: Data(repeating: 2, count: 32))
        let carol = try PartyKey(party: "carol", seed: Data(repeating: 3, count: 32))
        path = directory.appendingPathComponent("alice.sqlite").path
        let aliceStore = try SQLiteLedgerStore(path: path, durability: .normal, batchSize: 100)
        let withBob = try BilateralLedger(
            partyA: alice, partyB: bob, genesisNonce: Data("ab".utf8), storeA: aliceStore,
            storeB: InMemoryLedgerStore())
        let withCarol = try BilateralLedger(
            partyA: alice, partyB: carol, genesisNonce: Data("ac".utf8), storeA: aliceStore,
            storeB: InMemoryLedgerStore())
        for (ledger, count, other) in [(withBob, 300, bob.party), (withCarol, 200, carol.party)] {
            let drafts = (1...count).map { index in
                EntryDraft(
                    kind: "poq.request", refs: ["poq": "poq-\(index)"], body: ["index": .number(Double(index))],
                    time: 1_700_000_000_000 + Int64(index))
            }
            for start in stride(from: 0, to: count, by: 50) {
                try ledger.recordBatch(
                    author: start % 100 == 0 ? alice.party : other, Array(drafts[start..<start + 50]))
            }
        }
        try aliceStore.flush()
        ab = withBob.id
        ac = withCarol.id
    }

    private func tampered(_ name: String, _ sql: String) throws -> String {
        let target = directory.appendingPathComponent("\(name).sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: target)
        try SQLiteLedgerStore.executeRawSQL(sql, onFileAt: target)
        return target
    }

    private func summary(_ findings: [AuditFinding]) -> [String] {
        findings.map { "\($0.ledgerID.rawValue.prefix(4)):\($0.rule.rawValue)@\($0.seq.map(String.init) ?? "-")" }
    }

    @Test("an honest file of several read blocks is clean, read block by block")
    func honestFile() throws {
        let (file, findings, streamed) = try LedgerAuditor().readCounting(path: path)
        #expect(findings.isEmpty)
        #expect(file.copies.map(\.rows.count).sorted() == [200, 300])
        #expect(streamed == 2)
    }

    @Test("tampered rows in later blocks are named as on the whole file: signature, hash, moved row, orphan")
    func tamperedFile() throws {
        let quotedAB = "'\(ab.rawValue)'"
        let quotedAC = "'\(ac.rawValue)'"
        let sql = """
            UPDATE entries SET author_sig = replace(author_sig, substr(author_sig, 1, 2), 'ff')
                WHERE ledger_id = \(quotedAB) AND seq = 260;
            UPDATE entries SET body = '{"index":999}' WHERE ledger_id = \(quotedAC) AND seq = 150;
            UPDATE entries SET ledger_id = 'ffff' WHERE ledger_id = \(quotedAB) AND seq = 140;
            """
        let damaged = try tampered("damaged", sql)
        let auditor = LedgerAuditor()
        let (_, streamed, copies) = try auditor.readCounting(path: damaged)
        let whole = auditor.audit(try LedgerFile(path: damaged))
        #expect(copies == 2)
        #expect(streamed == whole)
        let ledgerAB = String(ab.rawValue.prefix(4))
        let ledgerAC = String(ac.rawValue.prefix(4))
        let expected = [
            "\(ledgerAB):seq_gap@140", "\(ledgerAB):bad_author_signature@260", "\(ledgerAC):bad_entry_hash@150",
            "ffff:foreign_ledger_id@140",
        ]
        #expect(Set(summary(streamed)) == Set(expected))
        #expect(streamed.count == expected.count)
    }
}

import Foundation
import Testing

@testable import Ledger

/// `broker audit DIR` on a directory of every party's file: each ledger's two copies are found across the files
/// and compared, so a copy cut short, a diverging copy and a missing copy are caught without `--against`.
struct PairedAuditTests {
    let directory: URL
    let aliceBob: LedgerID
    let aliceCarol: LedgerID
    let aliceDave: LedgerID
    let bobDave: LedgerID
    let auditor = LedgerAuditor()

    /// Four parties, one file each: Alice–Bob, Alice–Carol, Alice–Dave and Bob–Dave, 6 entries each.
    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("paired-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var keys: [PartyID: PartyKey] = [:]
        var stores: [PartyID: SQLiteLedgerStore] = [:]
        for (index, party) in ["alice", "bob", "carol", "dave"].enumerated() {
            keys[PartyID(party)] = try PartyKey(party: PartyID(party), seed: LedgerFixture.seed(UInt8(index + 1)))
            stores[PartyID(party)] = try SQLiteLedgerStore(
                path: directory.appendingPathComponent("\(party).sqlite").path, durability: .normal)
        }
        func ledger(_ a: PartyID, _ b: PartyID) throws -> LedgerID {
            let ledger = try BilateralLedger(
                partyA: keys[a]!, partyB: keys[b]!, genesisNonce: Data("\(a)-\(b)".utf8), storeA: stores[a]!,
                storeB: stores[b]!)
            for index in 1...6 {
                try ledger.record(
                    author: index % 2 == 0 ? b : a, kind: index % 2 == 0 ? "poq.response" : "poq.request",
                    refs: ["poq": "poq-\(index)"], body: ["note": .string("entry \(index)")],
                    time: 1_700_000_000_000 + Int64(index) * 1000)
            }
            return ledger.id
        }
        aliceBob = try ledger("alice", "bob")
        aliceCarol = try ledger("alice", "carol")
        aliceDave = try ledger("alice", "dave")
        bobDave = try ledger("bob", "dave")
        for store in stores.values { try store.flush() }
    }

    private func path(_ party: String) -> String { directory.appendingPathComponent("\(party).sqlite").path }

    private func files() throws -> [LedgerFile] {
        try ["alice", "bob", "carol", "dave"].map { try LedgerFile(path: path($0)) }
    }

    @Test("PDL-024 every party's file of an honest run: each ledger's two copies are paired and the audit is clean")
    func honestDirectoryIsClean() throws {
        let report = auditor.audit(pairing: try files())
        #expect(report.findings == [])
        // The same through the default entry point `broker audit PATH...` uses.
        #expect(auditor.audit(try files()).findings == [])
    }

    @Test("a truncated, a diverging and a missing copy are each caught from the directory, naming ledger and seq")
    func truncatedDivergingAndMissing() throws {
        let sql = { (ledger: LedgerID) in ledger.rawValue.sqlQuoted }
        // Bob's copy of Alice–Bob loses its last two entries.
        try SQLiteLedgerStore.executeRawSQL(
            "DELETE FROM entries WHERE ledger_id = \(sql(aliceBob)) AND seq > 4", onFileAt: path("bob"))
        // Carol's copy of Alice–Carol says something else at seq 3.
        try SQLiteLedgerStore.executeRawSQL(
            "UPDATE entries SET body = replace(body, 'entry 3', 'entry III') WHERE ledger_id = \(sql(aliceCarol)) "
                + "AND seq = 3", onFileAt: path("carol"))
        // Dave's file no longer holds Alice–Dave (it still holds his copy of Bob–Dave).
        try SQLiteLedgerStore.executeRawSQL(
            "DELETE FROM entries WHERE ledger_id = \(sql(aliceDave)); DELETE FROM ledgers WHERE ledger_id = "
                + "\(sql(aliceDave))", onFileAt: path("dave"))

        let report = auditor.audit(pairing: try files())
        let comparisons = report.findings.filter { $0.rule == .truncated || $0.rule == .copiesDiverge }
        let truncated = try #require(comparisons.first { $0.ledgerID == aliceBob })
        #expect(truncated.rule == .truncated)
        #expect(truncated.seq == 5)
        #expect(truncated.party == "bob")
        let diverging = try #require(comparisons.first { $0.ledgerID == aliceCarol })
        #expect(diverging.rule == .copiesDiverge)
        #expect(diverging.seq == 3)
        #expect(diverging.detail == "first difference: body differs between alice and carol")
        let missing = try #require(comparisons.first { $0.ledgerID == aliceDave })
        #expect(missing.rule == .truncated)
        #expect(missing.seq == nil)
        #expect(missing.party == "dave")
        #expect(missing.detail == "\(path("dave")) holds no copy of this ledger")
        #expect(comparisons.count == 3)
        #expect(!comparisons.contains { $0.ledgerID == bobDave })
        // Carol's copy also fails on its own; nothing else is wrong.
        #expect(
            LedgerFixture.summary(report.findings.filter { !comparisons.contains($0) }) == ["bad_entry_hash@3"])
    }

    @Test("a ledger whose other party's file was not given is audited alone, not reported as missing")
    func counterpartFileNotGiven() throws {
        let report = auditor.audit(pairing: [try LedgerFile(path: path("alice"))])
        #expect(report.findings == [])
        let withBob = auditor.audit(pairing: [try LedgerFile(path: path("alice")), try LedgerFile(path: path("bob"))])
        #expect(withBob.findings == [])
    }

    @Test("a node's journal beside the ledger files is not a ledger file: opened as nothing, not an error")
    func journalBesideLedgers() throws {
        let journal = directory.appendingPathComponent("alice-journal.sqlite").path
        try SQLiteLedgerStore.executeRawSQL(
            "CREATE TABLE inputs (id INTEGER PRIMARY KEY, body BLOB); INSERT INTO inputs (body) VALUES (x'00')",
            onFileAt: journal)
        #expect(try LedgerFile.open(path: journal) == nil)
        #expect(try LedgerFile.open(path: path("alice"))?.holders == ["alice"])
        #expect(throws: LedgerError.self) { try LedgerFile(path: journal) }
        let notSQLite = directory.appendingPathComponent("notes.db").path
        try Data("not a database, just text".utf8).write(to: URL(fileURLWithPath: notSQLite))
        #expect(throws: LedgerError.self) { try LedgerFile.open(path: notSQLite) }
    }
}

import Foundation
import Testing

@testable import Ledger

/// The audit `broker audit` runs, checked on its report: copies compared with the other party's, and checkpoints
/// checked against the copies and against each other.
struct CopiesAuditTests {
    let fixture: LedgerFixture
    let auditor = LedgerAuditor()

    init() throws { fixture = try LedgerFixture() }

    private var carolPath: String { fixture.directory.appendingPathComponent("carol.sqlite").path }

    /// The path of a copy of Bob's file altered by `sql`.
    private func bobPath(_ name: String, _ sql: String) throws -> String {
        let path = try fixture.copy(of: fixture.bobPath, named: name)
        try SQLiteLedgerStore.executeRawSQL(sql, onFileAt: path)
        return path
    }

    /// A copy of Bob's file altered by `sql`.
    private func bobFile(_ name: String, _ sql: String) throws -> LedgerFile {
        try LedgerFile(path: bobPath(name, sql))
    }

    @Test("PDL-024 two identical copies: the shared ledger is compared and the report is clean")
    func identicalCopiesAreClean() throws {
        let report = auditor.audit(
            [try LedgerFile(path: fixture.alicePath)], against: try LedgerFile(path: fixture.bobPath))
        #expect(report.findings == [])
        #expect(report.isClean)
        // Alice's file also holds the Alice–Carol ledger; Bob is no party to it, so only Alice–Bob is compared.
        #expect(report.comparedLedgers == 1)
        #expect(!report.sharesNoLedger)
    }

    @Test("a truncated copy is reported as truncated at its first missing seq, against its holder")
    func truncatedCopy() throws {
        // Without its stored checkpoints, which would reveal the truncation on their own.
        let short = try bobFile("bob-short", "DELETE FROM entries WHERE seq > 7; DELETE FROM checkpoints")
        let report = auditor.audit([try LedgerFile(path: fixture.alicePath)], against: short)
        #expect(LedgerFixture.summary(report.findings) == ["truncated@8"])
        #expect(report.findings.first?.party == "bob")
        #expect(report.findings.first?.ledgerID == fixture.aliceBob)
        #expect(report.comparedLedgers == 1)
    }

    @Test("a ledger the other party is a party to but holds no copy of is truncated as a whole")
    func missingLedgerIsTruncated() throws {
        let path = try fixture.copy(of: fixture.alicePath, named: "alice-without-carol")
        let carolLedger = fixture.aliceCarol.rawValue.sqlQuoted
        try SQLiteLedgerStore.executeRawSQL(
            "DELETE FROM entries WHERE ledger_id = \(carolLedger); DELETE FROM checkpoints WHERE ledger_id = "
                + "\(carolLedger); DELETE FROM ledgers WHERE ledger_id = \(carolLedger)", onFileAt: path)
        let report = auditor.audit([try LedgerFile(path: carolPath)], against: try LedgerFile(path: path))
        #expect(LedgerFixture.summary(report.findings) == ["truncated@-"])
        #expect(report.findings.first?.ledgerID == fixture.aliceCarol)
        #expect(report.findings.first?.detail == "\(path) holds no copy of this ledger")
        #expect(report.comparedLedgers == 0)
        #expect(!report.sharesNoLedger)
    }

    @Test("files that share no ledger compare nothing: bad input, not a clean audit")
    func noSharedLedger() throws {
        let report = auditor.audit([try LedgerFile(path: fixture.bobPath)], against: try LedgerFile(path: carolPath))
        #expect(report.findings == [])
        #expect(report.comparedLedgers == 0)
        #expect(report.sharesNoLedger)
        #expect(auditor.audit([try LedgerFile(path: fixture.bobPath)]).comparedLedgers == nil)
    }

    @Test("diverging copies are reported at the first differing seq")
    func divergingCopies() throws {
        let diverged = try bobFile(
            "bob-diverged", "UPDATE entries SET body = replace(body, 'entry 5', 'entry V') WHERE seq = 5")
        let report = auditor.audit([try LedgerFile(path: fixture.alicePath)], against: diverged)
        // Bob's own copy no longer verifies at seq 5, and it differs from Alice's there.
        #expect(report.findings.filter { $0.rule == .copiesDiverge }.map(\.seq) == [5])
        #expect(report.findings.contains { $0.rule == .badEntryHash && $0.seq == 5 })
        #expect(report.comparedLedgers == 1)
    }

    @Test("both parties' copies in their stores: clean when identical, the shorter one truncated at its first gap")
    func copiesInStores() throws {
        let alice = try SQLiteLedgerStore(readOnlyPath: fixture.alicePath)
        let bob = try SQLiteLedgerStore(readOnlyPath: fixture.bobPath)
        let trusted = LedgerAuditor(trustedKeys: fixture.directoryOfKeys)
        #expect(try trusted.audit(ledger: fixture.aliceBob, holders: ["alice", "bob"], stores: [alice, bob]) == [])

        let short = try SQLiteLedgerStore(
            readOnlyPath: bobPath("bob-short-store", "DELETE FROM entries WHERE seq > 11"))
        let findings = try trusted.audit(ledger: fixture.aliceBob, holders: ["alice", "bob"], stores: [alice, short])
        // Bob's own stored checkpoint at 12 proves it, and so does Alice's copy.
        #expect(LedgerFixture.summary(findings) == ["truncated@12", "truncated@12"])
        #expect(findings.map(\.party) == ["bob", "bob"])
        #expect(findings.first?.detail == "checkpoint covers 12 entries, the copy holds 11")
        #expect(findings.last?.detail.hasPrefix("copy bob ends at seq 11") == true)

        let bare = try SQLiteLedgerStore(
            readOnlyPath: bobPath("bob-short-bare", "DELETE FROM entries WHERE seq > 11; DELETE FROM checkpoints"))
        let compared = try trusted.audit(ledger: fixture.aliceBob, holders: ["alice", "bob"], stores: [alice, bare])
        #expect(LedgerFixture.summary(compared) == ["truncated@12"])
    }

    @Test("two presented checkpoints of one size with different roots are equivocation by each party that signed both")
    func equivocatingCheckpoints() throws {
        let other = try fixture.forgedCheckpoint12(signedBy: [fixture.alice, fixture.bob])
        let copies = try LedgerFile(path: fixture.alicePath).copies
        let findings = auditor.check(
            [
                PresentedCheckpoint(source: "cp-12.txt", text: fixture.checkpoint12.text),
                PresentedCheckpoint(source: "cp-12b.txt", text: other.text),
            ], copies: copies)
        #expect(LedgerFixture.summary(findings) == ["checkpoint_mismatch@-", "equivocation@12", "equivocation@12"])
        #expect(findings.filter { $0.rule == .equivocation }.compactMap(\.party) == ["alice", "bob"])
        #expect(findings.last?.detail.contains(other.text.debugDescription) == true)
    }

    @Test("honest checkpoints raise nothing; an older one presented after a newer one was known is a rollback")
    func checkpointsAndRollback() throws {
        let copies = try LedgerFile(path: fixture.alicePath).copies
        let eight = PresentedCheckpoint(source: "cp-8.txt", text: fixture.checkpoint8.text)
        let twelve = PresentedCheckpoint(source: "cp-12.txt", text: fixture.checkpoint12.text)
        #expect(auditor.check([eight, twelve], copies: copies) == [])
        #expect(auditor.check([twelve], known: eight, copies: copies) == [])
        #expect(LedgerFixture.summary(auditor.check([eight], known: twelve, copies: copies)) == ["rollback@9"])
    }

    @Test("a checkpoint checked against a copy cut short is truncation at the first missing seq")
    func checkpointAgainstShortCopy() throws {
        let short = try bobFile("bob-short-cp", "DELETE FROM entries WHERE seq > 9")
        let findings = auditor.check(
            [PresentedCheckpoint(source: "cp-12.txt", text: fixture.checkpoint12.text)], copies: short.copies)
        #expect(LedgerFixture.summary(findings) == ["truncated@10"])
        #expect(findings.first?.party == "bob")
    }

    @Test("unparseable text and a checkpoint of a ledger with no copy are named by their source")
    func malformedAndUnmatched() throws {
        let bobCopies = try LedgerFile(path: fixture.bobPath).copies
        let findings = auditor.check(
            [PresentedCheckpoint(source: "junk.txt", text: "not a note")],
            known: PresentedCheckpoint(source: "known.txt", text: ""), copies: bobCopies)
        #expect(LedgerFixture.summary(findings) == ["malformed_checkpoint@-", "malformed_checkpoint@-"])
        #expect(findings.first?.detail.hasPrefix("junk.txt is not a signed-note checkpoint: ") == true)
        #expect(findings.last?.detail.hasPrefix("known.txt is not a signed-note checkpoint: ") == true)

        var carolCheckpoint = Checkpoint(ledgerID: fixture.aliceCarol, size: 1, root: Data(count: 32), time: 1)
        try carolCheckpoint.sign(with: fixture.carol)
        let unmatched = auditor.check(
            [PresentedCheckpoint(source: "cp-ac.txt", text: carolCheckpoint.text)], copies: bobCopies)
        #expect(LedgerFixture.summary(unmatched) == ["checkpoint_mismatch@-"])
        #expect(unmatched.first?.detail == "cp-ac.txt: no copy of this checkpoint's ledger was given")
    }

    @Test("an inclusion proof exported from a copy verifies against the co-signed checkpoint with trusted keys")
    func inclusionProof() throws {
        let copy = try fixture.aliceBobCopy(at: fixture.alicePath)
        let proof = copy.inclusionProof(seq: 5, size: 12)
        let trusted = LedgerAuditor(trustedKeys: fixture.directoryOfKeys)
        #expect(
            trusted.verifyInclusion(
                entryHash: copy.rows[4].entryHash, seq: 5, proof: proof, checkpoint: fixture.checkpoint12) == [])
        #expect(
            LedgerFixture.summary(
                trusted.verifyInclusion(
                    entryHash: copy.rows[5].entryHash, seq: 5, proof: proof, checkpoint: fixture.checkpoint12))
                == ["bad_proof@5"])
        let untrusted = auditor.verifyInclusion(
            entryHash: copy.rows[4].entryHash, seq: 5, proof: proof, checkpoint: fixture.checkpoint12)
        #expect(untrusted.map(\.detail) == ["fewer than two trusted signers on the checkpoint"])
        #expect(try LedgerFile(path: fixture.alicePath).checkpoint(of: fixture.aliceBob)?.size == 12)
    }
}

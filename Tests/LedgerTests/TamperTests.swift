import CanonicalJSON
import Foundation
import Testing

@testable import Ledger

/// The tamper suite: honest ledgers built through the append protocol, then the SQLite file itself altered; the
/// auditor must name the entry and the rule, and find nothing on the honest copies.
@Suite("Tamper suite")
struct TamperTests {
    let fixture: LedgerFixture
    let auditor = LedgerAuditor()

    init() throws { fixture = try LedgerFixture() }

    private var ab: String { fixture.aliceBob.rawValue.sqlQuoted }

    private func findings(_ name: String, _ sql: String) throws -> [String] {
        let path = try fixture.tamperedAlice(name, sql)
        return LedgerFixture.summary(auditor.audit(try fixture.aliceBobCopy(at: path)))
    }

    @Test("PDL-024 honest copies, recorded through the append protocol, raise no finding")
    func honestCopiesAreClean() throws {
        #expect(try auditor.audit(file: fixture.alicePath).isEmpty)
        #expect(try auditor.audit(file: fixture.bobPath).isEmpty)
        let alice = try fixture.aliceBobCopy(at: fixture.alicePath)
        let bob = try fixture.aliceBobCopy(at: fixture.bobPath)
        #expect(alice.rows.count == 12)
        #expect(auditor.compare(alice, bob).isEmpty)
        #expect(auditor.check(alice, against: fixture.checkpoint12).isEmpty)
        #expect(auditor.check(alice, against: fixture.checkpoint8).isEmpty)
        #expect(LedgerAuditor(trustedKeys: fixture.directoryOfKeys).audit(alice).isEmpty)
    }

    @Test("a changed body byte is a bad entry hash at that seq")
    func bodyByteChanged() throws {
        let sql = "UPDATE entries SET body = replace(body, 'entry 5', 'entry 6') WHERE ledger_id = \(ab) AND seq = 5"
        #expect(try findings("body", sql) == ["bad_entry_hash@5"])
    }

    @Test("a changed prev_hash breaks the chain at that seq")
    func prevHashChanged() throws {
        let sql =
            "UPDATE entries SET prev_hash = replace(prev_hash, substr(prev_hash, 1, 1), 'f') WHERE ledger_id = \(ab) AND seq = 7"
        let found = try findings("prev", sql)
        #expect(found.contains("broken_chain@7"))
        #expect(found.contains("bad_entry_hash@7"))
    }

    @Test("a changed entry_hash is a bad entry hash at that seq")
    func entryHashChanged() throws {
        let sql =
            "UPDATE entries SET entry_hash = '\(String(repeating: "ab", count: 32))' WHERE ledger_id = \(ab) AND seq = 4"
        let found = try findings("hash", sql)
        #expect(found.first == "bad_entry_hash@4")
        #expect(found.contains("broken_chain@5"))
    }

    @Test("an entry deleted from the middle is a gap at its seq")
    func entryDeleted() throws {
        #expect(try findings("delete", "DELETE FROM entries WHERE ledger_id = \(ab) AND seq = 6") == ["seq_gap@6"])
    }

    @Test("a forged entry appended with a stranger's key fails both signature checks")
    func forgedEntryInserted() throws {
        let copy = try fixture.aliceBobCopy(at: fixture.alicePath)
        let mallory = try PartyKey(party: "alice", seed: LedgerFixture.seed(9))
        var forged = try LedgerEntry.signed(
            by: mallory, ledgerID: fixture.aliceBob, seq: 13, prevHash: copy.rows[11].entryHash,
            time: 1_700_000_099_000, kind: "invoice", refs: ["invoice": "inv-1"], body: ["amount": 1_000_000])
        forged.counterSignature = try PartyKey(party: "bob", seed: LedgerFixture.seed(8)).sign(forged.computeHash())
        let row = LedgerCopy.Row(entry: forged)
        let sql = """
            INSERT INTO entries VALUES (\(ab), 13, '\(row.prevHash)', '\(row.entryHash)', \(row.time), 'alice',
            'invoice', \(row.refs.sqlQuoted), \(row.body.sqlQuoted), '\(row.authorSig)', '\(row.counterSig!)')
            """
        #expect(try findings("forged", sql) == ["bad_author_signature@13", "bad_countersignature@13"])
    }

    @Test("two swapped entries are each reported as reordered")
    func entriesSwapped() throws {
        let sql = """
            UPDATE entries SET seq = -4 WHERE ledger_id = \(ab) AND seq = 4;
            UPDATE entries SET seq = 4 WHERE ledger_id = \(ab) AND seq = 5;
            UPDATE entries SET seq = 5 WHERE ledger_id = \(ab) AND seq = -4;
            """
        #expect(try findings("swap", sql) == ["reordered@4", "reordered@5"])
    }

    @Test("an entry copied to another seq is a duplicate at the copy")
    func entryDuplicated() throws {
        let sql = """
            INSERT INTO entries SELECT ledger_id, 13, prev_hash, entry_hash, time, author, kind, refs, body,
            author_sig, counter_sig FROM entries WHERE ledger_id = \(ab) AND seq = 3
            """
        let found = try findings("duplicate", sql)
        #expect(found.contains("seq_duplicate@13"))
        #expect(!found.contains { $0.hasSuffix("@3") })
    }

    @Test("a truncated tail verifies alone but is caught against the signed checkpoint")
    func tailTruncated() throws {
        let path = try fixture.tamperedAlice("truncate", "DELETE FROM entries WHERE ledger_id = \(ab) AND seq > 9")
        let copy = try fixture.aliceBobCopy(at: path)
        #expect(auditor.audit(copy).isEmpty)
        let found = auditor.check(copy, against: fixture.checkpoint12)
        #expect(LedgerFixture.summary(found) == ["truncated@10"])
        #expect(found.first?.party == "alice")
    }

    @Test("an older checkpoint presented as current is a rollback")
    func olderCheckpointPresented() throws {
        let found = auditor.checkRollback(
            presented: fixture.checkpoint8, known: fixture.checkpoint12, parties: fixture.parties)
        #expect(LedgerFixture.summary(found) == ["rollback@9"])
        #expect(
            auditor.checkRollback(presented: fixture.checkpoint12, known: fixture.checkpoint8, parties: fixture.parties)
                .isEmpty)
    }

    @Test("a bit-flipped author signature is reported at its seq")
    func authorSignatureFlipped() throws {
        let copy = try fixture.aliceBobCopy(at: fixture.alicePath)
        var signature = try #require(Data(hexString: copy.rows[1].authorSig))
        signature[10] ^= 0x01
        let sql = "UPDATE entries SET author_sig = '\(signature.hexString)' WHERE ledger_id = \(ab) AND seq = 2"
        let path = try fixture.tamperedAlice("flip", sql)
        let found = auditor.audit(try fixture.aliceBobCopy(at: path))
        #expect(LedgerFixture.summary(found) == ["bad_author_signature@2"])
        #expect(found.first?.party == "alice")
    }

    @Test("a removed countersignature is reported against the counterparty")
    func countersignatureMissing() throws {
        let path = try fixture.tamperedAlice(
            "nocounter", "UPDATE entries SET counter_sig = NULL WHERE ledger_id = \(ab) AND seq = 8")
        let found = auditor.audit(try fixture.aliceBobCopy(at: path))
        #expect(LedgerFixture.summary(found) == ["missing_countersignature@8"])
        #expect(found.first?.party == "bob")
    }

    @Test("a signature by a key outside the trusted directory is an unknown key")
    func signatureByUnknownKey() throws {
        let mallory = try PartyKey(party: "alice", seed: LedgerFixture.seed(9))
        let copy = try fixture.aliceBobCopy(at: fixture.alicePath)
        let signature = try mallory.sign(try #require(Data(hexString: copy.rows[0].entryHash)))
        let sql = """
            UPDATE ledgers SET public_key_a = '\(mallory.publicKey.hexString)' WHERE ledger_id = \(ab);
            UPDATE entries SET author_sig = '\(signature.hexString)' WHERE ledger_id = \(ab) AND seq = 1;
            """
        let path = try fixture.tamperedAlice("unknownkey", sql)
        let trusting = LedgerAuditor(trustedKeys: fixture.directoryOfKeys)
        let found = trusting.audit(try fixture.aliceBobCopy(at: path))
        #expect(LedgerFixture.summary(found) == ["unknown_key@-", "unknown_key@1"])
        #expect(found.allSatisfy { $0.party == "alice" })
    }

    @Test("a signature copied from another ledger does not verify here")
    func signatureFromAnotherLedger() throws {
        let sql = """
            UPDATE entries SET author_sig = (SELECT author_sig FROM entries
                WHERE ledger_id = \(fixture.aliceCarol.rawValue.sqlQuoted) AND seq = 1)
            WHERE ledger_id = \(ab) AND seq = 1
            """
        #expect(try findings("copiedsig", sql) == ["bad_author_signature@1"])
    }

    @Test("an entry moved into another ledger id is foreign there and a gap here")
    func entryMovedToAnotherLedger() throws {
        let path = try fixture.tamperedAlice(
            "moved",
            "UPDATE entries SET ledger_id = \(fixture.aliceCarol.rawValue.sqlQuoted) WHERE ledger_id = \(ab) AND seq = 7"
        )
        let found = try auditor.audit(file: path)
        let byLedger = Dictionary(grouping: found, by: \.ledgerID)
        #expect(LedgerFixture.summary(byLedger[fixture.aliceCarol] ?? []) == ["foreign_ledger_id@7"])
        #expect(LedgerFixture.summary(byLedger[fixture.aliceBob] ?? []).first == "seq_gap@7")
    }

    @Test("time going backwards is reported at the entry")
    func timeBackwards() throws {
        let sql = "UPDATE entries SET time = time - 10000 WHERE ledger_id = \(ab) AND seq = 6"
        let found = try findings("time", sql)
        #expect(found.contains("time_backwards@6"))
    }

    @Test("diverging copies are reported at the first differing seq, a shorter copy as truncated")
    func copiesDiverge() throws {
        let bobPath = try fixture.copy(of: fixture.bobPath, named: "bob-diverged")
        try SQLiteLedgerStore.executeRawSQL(
            "UPDATE entries SET body = replace(body, 'entry 10', 'entry X') WHERE seq >= 10", onFileAt: bobPath)
        let alice = try fixture.aliceBobCopy(at: fixture.alicePath)
        let diverged = auditor.compare(alice, try fixture.aliceBobCopy(at: bobPath))
        #expect(LedgerFixture.summary(diverged) == ["copies_diverge@10"])
        #expect(diverged.first?.detail.contains("body") == true)

        let shortPath = try fixture.copy(of: fixture.bobPath, named: "bob-short")
        try SQLiteLedgerStore.executeRawSQL("DELETE FROM entries WHERE seq > 10", onFileAt: shortPath)
        let truncated = auditor.compare(alice, try fixture.aliceBobCopy(at: shortPath))
        #expect(LedgerFixture.summary(truncated) == ["truncated@11"])
        #expect(truncated.first?.party == "bob")
    }

    @Test("two checkpoints of one size with different roots are equivocation by each signer")
    func equivocatingCheckpoints() throws {
        let other = try fixture.forgedCheckpoint12(signedBy: [fixture.alice])
        let found = auditor.equivocation(fixture.checkpoint12, other, parties: fixture.parties)
        #expect(LedgerFixture.summary(found) == ["equivocation@12"])
        #expect(found.first?.party == "alice")
        #expect(found.first?.detail.contains(other.text.debugDescription) == true)
    }

    @Test("a co-signed checkpoint with a wrong root, or an altered root, does not match the copy")
    func wrongCheckpointRoot() throws {
        let copy = try fixture.aliceBobCopy(at: fixture.alicePath)
        var wrong = Checkpoint(ledgerID: fixture.aliceBob, size: 12, root: Data(repeating: 7, count: 32), time: 1)
        try wrong.sign(with: fixture.alice)
        try wrong.sign(with: fixture.bob)
        #expect(LedgerFixture.summary(auditor.check(copy, against: wrong)) == ["checkpoint_mismatch@-"])

        let altered = fixture.checkpoint12.text.replacingOccurrences(
            of: fixture.checkpoint12.root.base64EncodedString(),
            with: Data(repeating: 7, count: 32).base64EncodedString())
        let found = auditor.check(copy, againstCheckpointText: altered)
        #expect(
            LedgerFixture.summary(found) == [
                "bad_checkpoint_signature@-", "bad_checkpoint_signature@-", "checkpoint_mismatch@-",
            ])
    }

    @Test(
        "malformed checkpoint text is reported, not trusted",
        arguments: [
            "", "scbroker/x\n12\n", "scbroker/x\n12\nnot-base64!\n\n— alice AAAA\n",
            "scbroker/x\n012\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— alice AAAA\n",
            "scbroker/x\n12\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n",
        ])
    func malformedCheckpoint(text: String) throws {
        let copy = try fixture.aliceBobCopy(at: fixture.alicePath)
        #expect(LedgerFixture.summary(auditor.check(copy, againstCheckpointText: text)) == ["malformed_checkpoint@-"])
    }
}

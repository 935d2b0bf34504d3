import Foundation
import Testing

@testable import Ledger

/// Checkpoints stored with each copy: made at the cadence as the ledger grows, and enough on their own to prove a
/// copy was cut short, without the other party's copy.
struct StoredCheckpointTests {
    let fixture: LedgerFixture
    let auditor = LedgerAuditor()

    init() throws { fixture = try LedgerFixture() }

    @Test("a copy truncated below its stored checkpoint is truncated at its first missing seq, from that one file")
    func truncatedBelowStoredCheckpoint() throws {
        let ab = fixture.aliceBob.rawValue.sqlQuoted
        // Bob's file holds the co-signed checkpoints at 8 and 12 entries.
        let cut = try fixture.copy(of: fixture.bobPath, named: "bob-cut")
        try SQLiteLedgerStore.executeRawSQL("DELETE FROM entries WHERE ledger_id = \(ab) AND seq > 10", onFileAt: cut)
        let findings = try auditor.audit(file: cut)
        #expect(LedgerFixture.summary(findings) == ["truncated@11"])
        let finding = try #require(findings.first)
        #expect(finding.ledgerID == fixture.aliceBob)
        #expect(finding.party == "bob")
        #expect(finding.detail == "checkpoint covers 12 entries, the copy holds 10")

        // Below both checkpoints: each one proves it.
        let shorter = try fixture.copy(of: fixture.bobPath, named: "bob-cut-more")
        try SQLiteLedgerStore.executeRawSQL(
            "DELETE FROM entries WHERE ledger_id = \(ab) AND seq > 6", onFileAt: shorter)
        #expect(LedgerFixture.summary(try auditor.audit(file: shorter)) == ["truncated@7", "truncated@7"])

        // The same cut with the checkpoints gone as well is a valid prefix: one copy alone can no longer tell.
        let bare = try fixture.copy(of: fixture.bobPath, named: "bob-cut-bare")
        try SQLiteLedgerStore.executeRawSQL(
            "DELETE FROM entries WHERE ledger_id = \(ab) AND seq > 10; DELETE FROM checkpoints", onFileAt: bare)
        #expect(try auditor.audit(file: bare) == [])
    }

    @Test("a file's entry hashes are its entries' hashes, in order, from a seq and up to a limit")
    func entryHashesAsStored() throws {
        let store = try SQLiteLedgerStore(path: fixture.alicePath, durability: .full)
        let entries = try store.entries(of: fixture.aliceBob)
        try #require(entries.count == 12)
        #expect(try store.entryHashes(of: fixture.aliceBob, from: 1, limit: .max) == entries.map(\.entryHash))
        #expect(try store.entryHashes(of: fixture.aliceBob, from: 5, limit: 3) == entries[4..<7].map(\.entryHash))
        #expect(try store.entryHashes(of: fixture.aliceBob, from: 13, limit: .max) == [])
        // The leaves made from the hashes alone are the entries' hash bytes as RFC 6962 leaves.
        #expect(
            MerkleTree.leafHashes(ofEntryHashes: try store.entryHashes(of: fixture.aliceBob, from: 1, limit: 8))
                == entries.prefix(8).map { MerkleTree.leafHash($0.entryHashBytes!) })
    }

    @Test("entries still in a store's buffer, not yet written to its file, have their hashes listed too")
    func entryHashesOfBufferedEntries() throws {
        let directory = fixture.directory
        let storeA = try SQLiteLedgerStore(
            path: directory.appendingPathComponent("buffered-a.sqlite").path, durability: .normal, batchSize: 1_000)
        let storeB = try SQLiteLedgerStore(
            path: directory.appendingPathComponent("buffered-b.sqlite").path, durability: .normal, batchSize: 1_000)
        let ledger = try BilateralLedger(
            partyA: fixture.alice, partyB: fixture.bob, genesisNonce: Data("buffered".utf8), storeA: storeA,
            storeB: storeB)
        for index in 1...3 {
            try ledger.record(
                author: "alice", kind: "poq.request", refs: ["poq": "p-\(index)"],
                body: ["index": .number(Double(index))],
                time: 1_700_000_000_000 + Int64(index))
        }
        let entries = try storeA.entries(of: ledger.id)
        try #require(entries.count == 3)
        // Nothing is in the file yet: what is listed comes from the buffer.
        let file = try SQLiteLedgerStore(
            path: directory.appendingPathComponent("buffered-a.sqlite").path, durability: .normal)
        #expect(try file.entryHashes(of: ledger.id, from: 1, limit: .max) == [])
        #expect(try storeA.entryHashes(of: ledger.id, from: 2, limit: .max) == entries.dropFirst().map(\.entryHash))
    }

    @Test("a stored checkpoint whose root the copy no longer matches is a checkpoint mismatch")
    func storedCheckpointOverAlteredCopy() throws {
        let ab = fixture.aliceBob.rawValue.sqlQuoted
        // Seq 12 replaced by a copy of seq 11 re-labelled: the copy's first 12 leaves are no longer the signed ones.
        let path = try fixture.copy(of: fixture.bobPath, named: "bob-altered-tail")
        try SQLiteLedgerStore.executeRawSQL(
            "UPDATE entries SET entry_hash = (SELECT entry_hash FROM entries WHERE ledger_id = \(ab) AND seq = 11) "
                + "WHERE ledger_id = \(ab) AND seq = 12", onFileAt: path)
        let findings = try auditor.audit(file: path).filter { $0.rule == .checkpointMismatch }
        #expect(findings.count == 1)
        #expect(findings.first?.detail.hasPrefix("root of the first 12 entries is ") == true)
    }

    @Test("checkpoints at every multiple of the interval as the ledger grows, one more at the end, none twice")
    func cadence() throws {
        let directory = fixture.directory
        let storeA = try SQLiteLedgerStore(path: directory.appendingPathComponent("cad-a.sqlite").path)
        let storeB = try SQLiteLedgerStore(path: directory.appendingPathComponent("cad-b.sqlite").path)
        let ledger = try BilateralLedger(
            partyA: fixture.alice, partyB: fixture.bob, genesisNonce: Data("cadence".utf8), storeA: storeA,
            storeB: storeB)
        var made: [UInt64] = []
        for index in 1...10 {
            try ledger.record(
                author: index % 2 == 0 ? "bob" : "alice", kind: "poq.request", refs: ["poq": "p-\(index)"],
                body: ["index": .number(Double(index))], time: 1_700_000_000_000 + Int64(index))
            if let checkpoint = try ledger.checkpointIfDue(every: 4) { made.append(checkpoint.size) }
        }
        #expect(made == [4, 8])
        let last = try #require(try ledger.checkpointIfDue())
        #expect(last.size == 10)
        #expect(last.time == 1_700_000_000_010)
        #expect(try ledger.checkpointIfDue() == nil)
        #expect(try storeA.checkpoints(of: ledger.id).map(\.size) == [4, 8, 10])
        #expect(try storeB.checkpoints(of: ledger.id) == storeA.checkpoints(of: ledger.id))

        // Each is co-signed and matches both copies; the root kept as the ledger grew is the one read back.
        let copyA = try LedgerCopy(store: storeA, ledgerID: ledger.id, holder: "alice")
        #expect(auditor.check(copyA, againstStored: try storeA.checkpoints(of: ledger.id)) == [])
        let reopened = try BilateralLedger(
            partyA: fixture.alice, partyB: fixture.bob, genesisNonce: Data("cadence".utf8), storeA: storeA,
            storeB: storeB)
        let again = try reopened.checkpoint(time: 1_700_000_000_010)
        #expect(again.size == last.size)
        #expect(again.root == last.root)
    }

    @Test("the frontier's root at every size is the RFC 6962 tree head of the leaves so far")
    func frontierMatchesDefinition() {
        func reference(_ leaves: ArraySlice<Data>) -> Data {
            if leaves.isEmpty { return MerkleTree.emptyRoot }
            if leaves.count == 1 { return leaves.first! }
            var split = 1
            while split * 2 < leaves.count { split *= 2 }
            let start = leaves.startIndex
            return MerkleTree.nodeHash(
                reference(leaves[start..<start + split]), reference(leaves[(start + split)...]))
        }
        let leaves = (0..<70).map { MerkleTree.leafHash(Data([UInt8($0)])) }
        var frontier = MerkleFrontier()
        #expect(frontier.root == MerkleTree.emptyRoot)
        for (index, leaf) in leaves.enumerated() {
            frontier.append(leafHash: leaf)
            #expect(frontier.size == UInt64(index + 1))
            #expect(frontier.root == reference(leaves[0...index]), "size \(index + 1)")
        }
    }
}

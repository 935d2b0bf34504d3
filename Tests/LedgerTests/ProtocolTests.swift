import CanonicalJSON
import Foundation
import Testing

@testable import Ledger

@Suite("Append protocol and stores")
struct ProtocolTests {
    let alice = try! PartyKey(party: "alice", seed: Data(repeating: 1, count: 32))
    let bob = try! PartyKey(party: "bob", seed: Data(repeating: 2, count: 32))

    private func header() throws -> LedgerHeader {
        try LedgerHeader(
            "alice", publicKey: alice.publicKey, "bob", publicKey: bob.publicKey, genesisNonce: Data("g".utf8))
    }

    @Test("PDL-007 a recorded entry is countersigned and identical in both copies")
    func recordAgreesBothCopies() throws {
        let ledger = try BilateralLedger(
            partyA: alice, partyB: bob, genesisNonce: Data("g".utf8), storeA: InMemoryLedgerStore(),
            storeB: InMemoryLedgerStore())
        let first = try ledger.record(
            author: "alice", kind: "inquiry", refs: ["inquiry": "i-1"], body: ["x": 1], time: 10)
        let second = try ledger.record(
            author: "bob", kind: "quote.response", refs: ["quote": "q-1"], body: [:], time: 20)
        #expect(first.seq == 1 && first.prevHash == LedgerEntry.genesisPrevHash && first.isAgreed)
        #expect(second.seq == 2 && second.prevHash == first.entryHash)
        #expect(ledger.headHash == second.entryHash)
        let copyA = try ledger.copy(of: "alice").entries()
        let copyB = try ledger.copy(of: "bob").entries()
        #expect(copyA == copyB && copyA == [first, second])
        #expect(ledger.copy(of: "bob").head.seq == 2)
    }

    @Test(
        "a crash between the receiver's commit and the author's leaves one copy an entry ahead: reopened, the copies are one again and recording goes on"
    )
    func reconcileCopiesAfterCrashInRecord() throws {
        let (storeA, storeB) = (InMemoryLedgerStore(), InMemoryLedgerStore())
        let open = {
            try BilateralLedger(
                partyA: alice, partyB: bob, genesisNonce: Data("g".utf8), storeA: storeA, storeB: storeB)
        }
        let ledger = try open()
        try ledger.record(author: "alice", kind: "inquiry", refs: ["inquiry": "i-1"], body: [:], time: 10)
        // `record` up to the receiver's commit: bob's copy has entry 2, alice's process dies before committing it.
        let proposed = try ledger.copy(of: "alice").propose(
            kind: "inquiry", refs: ["inquiry": "i-2"], body: [:], time: 20)
        guard case .countersigned(let agreed) = try ledger.copy(of: "bob").receive(proposed) else {
            Issue.record("bob did not countersign")
            return
        }
        #expect(try storeA.head(of: ledger.id).seq == 1 && storeB.head(of: ledger.id).seq == 2)
        // Without making the copies one again, the next record at alice's head is refused by bob's copy.
        #expect(throws: LedgerError.self) {
            try open().record(author: "alice", kind: "inquiry", refs: ["inquiry": "i-3"], body: [:], time: 30)
        }
        let reopened = try open()
        #expect(try reopened.reconcileCopies() == 1)
        #expect(try reopened.reconcileCopies() == 0)
        #expect(try storeA.entries(of: ledger.id).last == agreed)
        let third = try reopened.record(
            author: "alice", kind: "inquiry", refs: ["inquiry": "i-3"], body: [:], time: 30)
        #expect(third.seq == 3 && third.prevHash == agreed.entryHash)
        #expect(try storeA.entries(of: ledger.id) == storeB.entries(of: ledger.id))
    }

    @Test("both parties propose at once: the loser rebases and the copies converge identical")
    func conflictAndRebase() throws {
        let header = try header()
        let storeA = InMemoryLedgerStore()
        let storeB = InMemoryLedgerStore()
        let a = try LedgerReplica(key: alice, header: header, store: storeA)
        let b = try LedgerReplica(key: bob, header: header, store: storeB)
        let fromA = try a.propose(kind: "order", refs: ["order": "o-1"], body: ["by": "alice"], time: 100)
        let fromB = try b.propose(kind: "ticket", refs: ["ticket": "t-1"], body: ["by": "bob"], time: 90)
        // Both messages cross; the lower entry hash wins on both sides.
        let outcomeAtB = try b.receive(fromA)
        let outcomeAtA = try a.receive(fromB)
        let (winner, loser, winnerCopy, loserCopy, loserOutcome) =
            fromA.entryHash < fromB.entryHash
            ? (fromA, fromB, a, b, outcomeAtA) : (fromB, fromA, b, a, outcomeAtB)
        let winnerOutcome = winner.author == "alice" ? outcomeAtB : outcomeAtA
        guard case .countersigned(let agreed) = winnerOutcome else {
            Issue.record("winner was not countersigned: \(winnerOutcome)")
            return
        }
        #expect(loserOutcome == .conflict(head: .genesis))
        try winnerCopy.commit(agreed)
        // The loser already holds the winner (it countersigned it) and re-sequences on top.
        let rebased = try loserCopy.rebase(onto: [agreed], pending: loser)
        #expect(rebased.seq == 2 && rebased.prevHash == agreed.entryHash && rebased.time >= agreed.time)
        guard case .countersigned(let second) = try winnerCopy.receive(rebased) else {
            Issue.record("rebased entry was not accepted")
            return
        }
        try loserCopy.commit(second)
        #expect(try a.entries() == b.entries())
        #expect(a.ledgerHead == b.ledgerHead)
        #expect(a.ledgerHead.seq == 2)
        let copy = try LedgerCopy(store: storeA, ledgerID: header.ledgerID)
        #expect(LedgerAuditor().audit(copy).isEmpty)
    }

    @Test("the same entry delivered twice is stored once")
    func idempotentDelivery() throws {
        let header = try header()
        let a = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore())
        let storeB = InMemoryLedgerStore()
        let b = try LedgerReplica(key: bob, header: header, store: storeB)
        let entry = try a.propose(kind: "poq.request", refs: ["poq": "p"], body: ["n": 1], time: 1)
        guard case .countersigned(let agreed) = try b.receive(entry) else {
            Issue.record("not countersigned")
            return
        }
        #expect(try b.receive(entry) == .alreadyStored(agreed))
        try a.commit(agreed)
        try a.commit(agreed)
        #expect(try storeB.entries(of: header.ledgerID).count == 1)
        #expect(a.head.seq == 1 && b.head.seq == 1)
    }

    @Test("a receiver refuses an entry with a bad hash or a bad author signature, an author a bad countersignature")
    func refusesForgeries() throws {
        let header = try header()
        let a = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore())
        let b = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore())
        let entry = try a.propose(kind: "poq.request", refs: [:], body: ["n": 1], time: 1)
        var badSignature = entry
        badSignature.authorSignature[0] ^= 1
        #expect { try b.receive(badSignature) } throws: { ($0 as? LedgerError)?.code == .badSignature }
        let badHash = LedgerEntry(
            ledgerID: entry.ledgerID, seq: 1, prevHash: entry.prevHash, time: entry.time, author: "alice",
            kind: entry.kind, refs: entry.refs, body: ["n": 2], entryHash: entry.entryHash,
            authorSignature: entry.authorSignature, counterSignature: nil)
        #expect { try b.receive(badHash) } throws: { ($0 as? LedgerError)?.code == .badEntryHash }
        var forgedCounter = entry
        forgedCounter.counterSignature = try alice.sign(try #require(entry.entryHashBytes))
        #expect { try a.commit(forgedCounter) } throws: { ($0 as? LedgerError)?.code == .badSignature }
        #expect(b.head.seq == 0 && a.head.seq == 0)
    }

    @Test("SQLite durability .full really sets synchronous=FULL in WAL mode; .normal sets NORMAL")
    func synchronousPragma() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let full = try SQLiteLedgerStore(path: directory.appendingPathComponent("full.sqlite").path, durability: .full)
        #expect(try full.synchronousLevel() == 2)
        #expect(try full.journalMode() == "wal")
        let normal = try SQLiteLedgerStore(
            path: directory.appendingPathComponent("normal.sqlite").path, durability: .normal)
        #expect(try normal.synchronousLevel() == 1)
    }

    @Test("a batch is durable as a unit: another connection sees exactly the committed prefix, which audits clean")
    func batchDurability() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pathA = directory.appendingPathComponent("a.sqlite").path
        let storeA = try SQLiteLedgerStore(path: pathA, durability: .full, batchSize: 100)
        let storeB = try SQLiteLedgerStore(
            path: directory.appendingPathComponent("b.sqlite").path, durability: .full, batchSize: 100)
        let ledger = try BilateralLedger(
            partyA: alice, partyB: bob, genesisNonce: Data("batch".utf8), storeA: storeA, storeB: storeB)
        for index in 1...250 {
            try ledger.record(
                author: index % 2 == 0 ? "alice" : "bob", kind: "report", refs: [:],
                body: ["i": .number(Double(index))],
                time: Int64(index))
        }
        // 200 committed in two batches, 50 buffered: the store itself sees 250, a reopened file sees 200.
        #expect(try storeA.head(of: ledger.id).seq == 250)
        let reopened = try SQLiteLedgerStore(readOnlyPath: pathA)
        #expect(try reopened.head(of: ledger.id).seq == 200)
        let prefix = try #require(try LedgerFile(path: pathA).copy(of: ledger.id))
        #expect(prefix.rows.count == 200)
        #expect(LedgerAuditor().audit(prefix).isEmpty)
        try storeA.flush()
        #expect(try LedgerFile(path: pathA).copy(of: ledger.id)?.rows.count == 250)
        try storeA.transaction {
            try ledger.record(author: "alice", kind: "report", refs: [:], body: [:], time: 300)
            #expect(try SQLiteLedgerStore(readOnlyPath: pathA).head(of: ledger.id).seq == 250)
        }
        #expect(try SQLiteLedgerStore(readOnlyPath: pathA).head(of: ledger.id).seq == 251)
    }

    @Test("a store refuses a pending entry or one that does not continue its head")
    func storeValidatesBeforeWriting() throws {
        let header = try header()
        let store = InMemoryLedgerStore()
        try store.createLedger(header, holder: "alice")
        let pending = try LedgerEntry.signed(
            by: alice, ledgerID: header.ledgerID, seq: 1, prevHash: LedgerEntry.genesisPrevHash, time: 0, kind: "k",
            refs: [:], body: .null)
        #expect { try store.append([pending], to: header.ledgerID) } throws: {
            ($0 as? LedgerError)?.code == .notCountersigned
        }
        var skipping = try LedgerEntry.signed(
            by: alice, ledgerID: header.ledgerID, seq: 2, prevHash: LedgerEntry.genesisPrevHash, time: 0, kind: "k",
            refs: [:], body: .null)
        skipping.counterSignature = try bob.sign(skipping.computeHash())
        #expect { try store.append([skipping], to: header.ledgerID) } throws: {
            ($0 as? LedgerError)?.code == .notOnHead
        }
        #expect(try store.head(of: header.ledgerID) == .genesis)
    }

    @Test("a local batch gives both copies the same entries as recording them one at a time")
    func recordBatchMatchesRecord() throws {
        func ledger() throws -> BilateralLedger {
            try BilateralLedger(
                partyA: alice, partyB: bob, genesisNonce: Data("g".utf8), storeA: InMemoryLedgerStore(),
                storeB: InMemoryLedgerStore())
        }
        let drafts = (1...5).map { index in
            EntryDraft(
                kind: "sof.answer", refs: ["element": "e-\(index)"], body: ["n": .number(Double(index))], time: 10)
        }
        let one = try ledger()
        for draft in drafts {
            try one.record(author: "alice", kind: draft.kind, refs: draft.refs, body: draft.body, time: draft.time)
        }
        let batch = try ledger()
        let agreed = try batch.recordBatch(author: "alice", drafts)
        #expect(agreed.count == 5)
        #expect(batch.headHash == one.headHash)
        #expect(try batch.copy(of: "alice").entries() == one.copy(of: "alice").entries())
        #expect(try batch.copy(of: "bob").entries() == batch.copy(of: "alice").entries())
        // The frontier followed: a checkpoint covers all five without reading them back.
        #expect(try batch.checkpointIfDue()?.root == one.checkpointIfDue()?.root)
    }

    @Test(
        "a ledger whose both keys are in one process stores, without verifying them again, the very entries and signatures a verifying one does"
    )
    func internalLedgerSkipsOnlyTheReVerification() throws {
        func ledger(verifies: Bool) throws -> BilateralLedger {
            try BilateralLedger(
                partyA: alice, partyB: bob, genesisNonce: Data("g".utf8), storeA: InMemoryLedgerStore(),
                storeB: InMemoryLedgerStore(), verifiesSignatures: verifies)
        }
        let drafts = (1...20).map { index in
            EntryDraft(
                kind: "sof.answer", refs: ["element": "e-\(index)"], body: ["n": .number(Double(index))], time: 10)
        }
        let verifying = try ledger(verifies: true)
        let trusting = try ledger(verifies: false)
        #expect(try verifying.recordBatch(author: "bob", drafts).count == 20)
        #expect(try trusting.recordBatch(author: "bob", drafts).count == 20)
        let entries = try trusting.copy(of: "alice").entries()
        #expect(entries.count == 20)
        #expect(entries == (try verifying.copy(of: "alice").entries()))
        #expect(try trusting.copy(of: "bob").entries() == entries)
        // Every signature on the copies verifies, as an auditor checks it.
        for entry in entries {
            let hash = try #require(entry.entryHashBytes)
            #expect(Ed25519.verify(signature: entry.authorSignature, of: hash, publicKey: bob.publicKey))
            #expect(
                Ed25519.verify(signature: try #require(entry.counterSignature), of: hash, publicKey: alice.publicKey))
        }
    }
}

import CanonicalJSON
import Foundation
import Testing

@testable import Ledger

/// Batched agreement (group commit): a batch proposed in one message is countersigned and stored in one
/// transaction, gives exactly the entries the one-at-a-time protocol gives, and conflicts and refusals leave both
/// copies consistent.
@Suite("Batched agreement")
struct BatchAgreementTests {
    let alice = try! PartyKey(party: "alice", seed: Data(repeating: 1, count: 32))
    let bob = try! PartyKey(party: "bob", seed: Data(repeating: 2, count: 32))

    private func header() throws -> LedgerHeader {
        try LedgerHeader(
            "alice", publicKey: alice.publicKey, "bob", publicKey: bob.publicKey, genesisNonce: Data("g".utf8))
    }

    private func drafts(_ count: Int, from first: Int = 1) -> [EntryDraft] {
        (first..<(first + count)).map {
            EntryDraft(
                kind: "poq.request", refs: ["request": "rq-\($0)"], body: ["n": .number(Double($0))],
                time: 1_000 + Int64($0))
        }
    }

    @Test("a batch of 40 entries is countersigned in one answer; both copies hold the same 40 agreed entries")
    func batchAgreed() throws {
        let header = try header()
        let a = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore())
        let b = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore())
        let batch = try a.proposeBatch(drafts(40))
        #expect(batch.map(\.seq) == Array(1...40))
        #expect(zip(batch.dropFirst(), batch).allSatisfy { $0.prevHash == $1.entryHash })
        guard case .countersigned(let agreed) = try b.receiveBatch(batch) else {
            Issue.record("the batch was not countersigned")
            return
        }
        #expect(agreed.count == 40)
        try a.commitBatch(agreed)
        #expect(a.head.seq == 40 && b.head.seq == 40)
        #expect(try a.entries() == b.entries())
        #expect(try a.entries().allSatisfy(\.isAgreed))
        // A repeated delivery returns the stored entries and stores nothing twice.
        guard case .countersigned(let again) = try b.receiveBatch(batch) else {
            Issue.record("a repeated batch was not answered with the stored entries")
            return
        }
        #expect(again == agreed && b.head.seq == 40)
    }

    @Test("a batch gives the entries one-at-a-time agreement gives: same hashes, same head")
    func sameAsOneAtATime() throws {
        let header = try header()
        let batched = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore())
        let batchedPeer = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore())
        guard case .countersigned(let agreed) = try batchedPeer.receiveBatch(try batched.proposeBatch(drafts(5)))
        else {
            Issue.record("not countersigned")
            return
        }
        try batched.commitBatch(agreed)
        let single = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore())
        let singlePeer = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore())
        for draft in drafts(5) {
            let entry = try single.propose(kind: draft.kind, refs: draft.refs, body: draft.body, time: draft.time)
            guard case .countersigned(let one) = try singlePeer.receive(entry) else {
                Issue.record("not countersigned")
                return
            }
            try single.commit(one)
        }
        #expect(batched.head == single.head)
        #expect(try batched.entries() == single.entries())
    }

    @Test("a batch proposed on a stale head conflicts as a whole; after catching up it is proposed again and agreed")
    func conflictThenAgreed() throws {
        let header = try header()
        let a = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore())
        let b = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore())
        // Bob appends two entries of his own first.
        guard
            case .countersigned(let bobs) = try a.receiveBatch(
                try b.proposeBatch([
                    EntryDraft(kind: "ticket.opened", refs: ["ticket": "t-1"], body: [:], time: 900),
                    EntryDraft(kind: "ticket.opened", refs: ["ticket": "t-2"], body: [:], time: 901),
                ]))
        else {
            Issue.record("bob's batch was not countersigned")
            return
        }
        try b.commitBatch(bobs)
        #expect(b.head.seq == 2)
        // A copy of Alice's that has not stored Bob's proposes on genesis: stale at Bob, nothing stored.
        let stale = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore())
        #expect(try b.receiveBatch(try stale.proposeBatch(drafts(3))) == .conflict(head: b.ledgerHead))
        #expect(b.head.seq == 2)
        // Alice's copy holds Bob's two: her batch goes on top of them.
        let batch = try a.proposeBatch(drafts(3))
        #expect(batch.first?.seq == 3 && batch.first?.prevHash == bobs.last?.entryHash)
        guard case .countersigned(let agreed) = try b.receiveBatch(batch) else {
            Issue.record("not countersigned after catching up")
            return
        }
        try a.commitBatch(agreed)
        #expect(try a.entries() == b.entries() && a.head.seq == 5)
    }

    @Test("a batch that does not sit on the head is answered with the head whatever its signatures; nothing stored")
    func offHeadBatchIsAConflictFirst() throws {
        let header = try header()
        let a = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore())
        let b = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore())
        guard case .countersigned(let first) = try b.receiveBatch(try a.proposeBatch(drafts(2))) else {
            Issue.record("the first batch was not countersigned")
            return
        }
        try a.commitBatch(first)
        // Alice's next batch, with every signature spoilt, reaches a copy of Bob's that holds nothing yet: it starts
        // at seq 3, beyond that copy's head.
        let empty = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore())
        var ahead = try a.proposeBatch(drafts(3, from: 3))
        for index in ahead.indices { ahead[index].authorSignature = Data(repeating: 0, count: 64) }
        #expect(try empty.receiveBatch(ahead) == .conflict(head: .genesis))
        // On Bob's own copy, a batch at the next seq that does not chain on the head conflicts the same way.
        let forked = try LedgerEntry.signed(
            by: alice, ledgerID: header.ledgerID, seq: 3, prevHash: LedgerEntry.genesisPrevHash, time: 2_000,
            kind: "poq.request", refs: ["request": "rq-x"], body: .null)
        #expect(try b.receiveBatch([forked]) == .conflict(head: b.ledgerHead))
        #expect(empty.head.seq == 0 && b.head.seq == 2)
        // The same spoilt batch on the head it was made for is refused for its signature.
        #expect(throws: LedgerError.self) { try b.receiveBatch(ahead) }
        #expect(b.head.seq == 2)
    }

    @Test(
        "an entry in the middle that breaks a rule: the prefix is agreed, the entry refused alone when proposed again")
    func refusedEntryInTheMiddle() throws {
        let header = try header()
        let seller = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore(), rules: .broker)
        let buyer = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore(), rules: .broker)
        // Alice (the buyer) may not author a quote: entry 3 breaks the entitlement rule.
        let drafts = [
            EntryDraft(kind: "poq.request", refs: ["request": "rq-1"], body: [:], time: 1),
            EntryDraft(kind: "poq.request", refs: ["request": "rq-2"], body: [:], time: 2),
            EntryDraft(kind: "quote.response", refs: ["quote": "q-1", "request": "rq-2"], body: [:], time: 3),
            EntryDraft(kind: "poq.request", refs: ["request": "rq-3"], body: [:], time: 4),
        ]
        guard case .countersigned(let prefix) = try seller.receiveBatch(try buyer.proposeBatch(drafts)) else {
            Issue.record("the valid prefix was not countersigned")
            return
        }
        #expect(prefix.map(\.seq) == [1, 2])
        try buyer.commitBatch(prefix)
        buyer.dropPending()
        let rest = try buyer.proposeBatch(Array(drafts[2...]))
        #expect(throws: LedgerError.self) { try seller.receiveBatch(rest) }
        #expect(seller.head.seq == 2 && buyer.head.seq == 2)
        #expect(try seller.entries() == buyer.entries())
    }

    @Test(
        "an entry with a bad signature in a batch: nothing past the genuine prefix is stored, and a bad first entry stores nothing"
    )
    func tamperedEntry() throws {
        let header = try header()
        let a = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore())
        let b = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore())
        var batch = try a.proposeBatch(drafts(10))
        batch[6].authorSignature = Data(repeating: 0, count: 64)
        guard case .countersigned(let prefix) = try b.receiveBatch(batch) else {
            Issue.record("the genuine prefix was not countersigned")
            return
        }
        #expect(prefix.count == 6 && b.head.seq == 6)
        var first = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore()).proposeBatch(drafts(3))
        first[0].authorSignature = Data(repeating: 0, count: 64)
        let fresh = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore())
        #expect(throws: LedgerError.self) { try fresh.receiveBatch(first) }
        #expect(fresh.head.seq == 0)
        // A countersignature that does not verify: the author commits nothing.
        var forged = prefix
        forged[3].counterSignature = Data(repeating: 7, count: 64)
        #expect(throws: LedgerError.self) { try a.commitBatch(forged) }
        #expect(a.head.seq == 0)
        try a.commitBatch(prefix)
        #expect(a.head.seq == 6)
    }

    /// A store whose writes can be made to fail, as a full disk would.
    final class FailingStore: LedgerStore, @unchecked Sendable {
        let inner = InMemoryLedgerStore()
        var failing = false
        func createLedger(_ header: LedgerHeader, holder: PartyID?) throws {
            try inner.createLedger(header, holder: holder)
        }
        func header(of ledgerID: LedgerID) throws -> LedgerHeader? { try inner.header(of: ledgerID) }
        func append(_ entries: [LedgerEntry], to ledgerID: LedgerID) throws {
            if failing { throw LedgerError(.storage, "disk full") }
            try inner.append(entries, to: ledgerID)
        }
        func entries(of ledgerID: LedgerID, from seq: UInt64, limit: Int) throws -> [LedgerEntry] {
            try inner.entries(of: ledgerID, from: seq, limit: limit)
        }
        func head(of ledgerID: LedgerID) throws -> LedgerHead { try inner.head(of: ledgerID) }
        func ledgerIDs() throws -> [LedgerID] { try inner.ledgerIDs() }
        func saveCheckpoint(_ checkpoint: Checkpoint, of ledgerID: LedgerID) throws {
            try inner.saveCheckpoint(checkpoint, of: ledgerID)
        }
        func checkpoints(of ledgerID: LedgerID) throws -> [Checkpoint] { try inner.checkpoints(of: ledgerID) }
    }

    @Test("a batch whose store write fails leaves the receiving copy as it was: its head, and the requests it knows")
    func failedWriteRollsBack() throws {
        let header = try header()
        let a = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore(), rules: .broker)
        let store = FailingStore()
        let b = try LedgerReplica(key: bob, header: header, store: store, rules: .broker)
        guard case .countersigned(let first) = try b.receiveBatch(try a.proposeBatch(drafts(3))) else {
            Issue.record("the first batch was not countersigned")
            return
        }
        try a.commitBatch(first)
        let known = b.state.withLock { $0.openers.map { Set($0.keys) } }
        #expect(known == ["request:rq-1", "request:rq-2", "request:rq-3"])

        store.failing = true
        let refused = try a.proposeBatch(drafts(3, from: 4))
        #expect(throws: LedgerError.self) { try b.receiveBatch(refused) }
        #expect(b.head.seq == 3)
        #expect(b.state.withLock { $0.openers.map { Set($0.keys) } } == known)
        #expect(b.state.withLock { $0.openerChanges } == nil)

        store.failing = false
        guard case .countersigned(let second) = try b.receiveBatch(refused) else {
            Issue.record("the batch was not countersigned once the store took writes again")
            return
        }
        try a.commitBatch(second)
        #expect(b.head.seq == 6 && a.head.seq == 6)
        #expect(b.state.withLock { $0.openers?.count } == 6)
        #expect(try a.entries() == b.entries())
    }

    @Test(
        "a batch chained on this copy's countersigned, uncommitted entries is recognised as continuing them, and no longer once they are committed"
    )
    func continuesPendingProposal() throws {
        let header = try header()
        let a = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore())
        let b = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore())
        guard case .countersigned(let agreed) = try b.receiveBatch(try a.proposeBatch(drafts(3))) else {
            Issue.record("the batch was not countersigned")
            return
        }
        // Bob stored Alice's three entries and proposes his own on them before Alice has committed hers.
        let bobs = try b.proposeBatch(drafts(2, from: 4))
        #expect(bobs[0].seq == 4)
        #expect(a.continuesPendingProposal(bobs[0]))
        // The same seq on other entries, and a seq further on, continue nothing of Alice's.
        let elsewhere = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore())
        let otherAlice = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore())
        _ = try elsewhere.receiveBatch(try otherAlice.proposeBatch(drafts(3, from: 50)))
        let forked = try elsewhere.proposeBatch(drafts(1, from: 4))[0]
        #expect(forked.seq == 4 && forked.prevHash != bobs[0].prevHash)
        #expect(!a.continuesPendingProposal(forked))
        #expect(!a.continuesPendingProposal(bobs[1]))
        guard case .conflict(let head) = try a.receiveBatch(bobs) else {
            Issue.record("a batch past the head was taken before the entries it continues")
            return
        }
        #expect(head.seq == 0)
        try a.commitBatch(agreed)
        #expect(!a.continuesPendingProposal(bobs[0]))
        guard case .countersigned(let taken) = try a.receiveBatch(bobs) else {
            Issue.record("the batch was not countersigned once Alice committed")
            return
        }
        #expect(taken.map(\.seq) == [4, 5])
    }

    @Test(
        "only the answers whose requests this copy holds are proposable: the prefix ends at the first request not yet agreed"
    )
    func answerablePrefix() throws {
        let header = try header()
        // Alice buys, Bob sells: Bob's receipts and answers need Alice's requests on the ledger first.
        let buyer = try LedgerReplica(key: alice, header: header, store: InMemoryLedgerStore(), rules: .broker)
        let seller = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore(), rules: .broker)
        let answers = [
            EntryDraft(kind: "poq.receipt", refs: ["request": "rq-1"], body: [:], time: 10),
            EntryDraft(kind: "poq.response", refs: ["request": "rq-1"], body: [:], time: 11),
            EntryDraft(kind: "poq.receipt", refs: ["request": "rq-2"], body: [:], time: 12),
            EntryDraft(kind: "poq.response", refs: ["request": "rq-1"], body: [:], time: 13),
        ]
        #expect(try seller.answerablePrefix(answers) == 0)
        guard case .countersigned(let requests) = try seller.receiveBatch(try buyer.proposeBatch(drafts(1))) else {
            Issue.record("the request was not countersigned")
            return
        }
        try buyer.commitBatch(requests)
        #expect(try seller.answerablePrefix(answers) == 2)
        // What the prefix says is what the buyer's copy takes: two entries, then the answer to rq-2 refused.
        guard case .countersigned(let taken) = try buyer.receiveBatch(try seller.proposeBatch(answers)) else {
            Issue.record("the answerable prefix was not countersigned")
            return
        }
        #expect(taken.map(\.seq) == [2, 3])
        // An order the drafts place themselves counts for the drafts after it (the buyer cancels its own order).
        let own = [
            EntryDraft(kind: "order.request", refs: ["order": "o-1"], body: [:], time: 20),
            EntryDraft(kind: "order.cancelled", refs: ["order": "o-1"], body: [:], time: 21),
            EntryDraft(kind: "order.cancelled", refs: ["order": "o-2"], body: [:], time: 22),
        ]
        #expect(try buyer.answerablePrefix(own) == 2)
        let unruled = try LedgerReplica(key: bob, header: header, store: InMemoryLedgerStore())
        #expect(try unruled.answerablePrefix(answers) == 4)
    }
}

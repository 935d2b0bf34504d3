import CanonicalJSON
import Foundation
import Testing

@testable import Ledger

@Suite("Head-only ledger copies (long simulations)")
struct HeadLedgerStoreTests {
    let alice = try! PartyKey(party: "alice", seed: Data(repeating: 1, count: 32))
    let bob = try! PartyKey(party: "bob", seed: Data(repeating: 2, count: 32))

    /// 300 entries, both authors in turn, with a checkpoint every 128, on the two stores given.
    private func record(
        on storeA: any LedgerStore, _ storeB: any LedgerStore
    ) throws -> (
        BilateralLedger, [Checkpoint]
    ) {
        let ledger = try BilateralLedger(
            partyA: alice, partyB: bob, genesisNonce: Data("g".utf8), storeA: storeA, storeB: storeB)
        var checkpoints: [Checkpoint] = []
        for index in 1...300 {
            try ledger.record(
                author: index % 3 == 0 ? "bob" : "alice", kind: "poq.request", refs: ["request": "rq-\(index)"],
                body: ["n": .number(Double(index))], time: Int64(index * 10))
            if let checkpoint = try ledger.checkpointIfDue(every: 128) { checkpoints.append(checkpoint) }
        }
        if let checkpoint = try ledger.checkpointIfDue() { checkpoints.append(checkpoint) }
        return (ledger, checkpoints)
    }

    @Test("the same entries on head-only copies give the same head hash and the same checkpoint roots")
    func sameHeadsAndRoots() throws {
        let (full, fullCheckpoints) = try record(on: InMemoryLedgerStore(), InMemoryLedgerStore())
        let (heads, headCheckpoints) = try record(on: HeadLedgerStore(), HeadLedgerStore())
        #expect(heads.head.seq == 300)
        #expect(heads.headHash == full.headHash)
        #expect(headCheckpoints.map(\.size) == [128, 256, 300])
        #expect(headCheckpoints.map(\.root) == fullCheckpoints.map(\.root))
        // Each head-only copy holds its head entry and its latest checkpoint, nothing older.
        for party: PartyID in ["alice", "bob"] {
            let store = heads.copy(of: party).store
            #expect(try store.head(of: heads.id) == LedgerHead(seq: 300, hash: full.headHash))
            #expect(try store.entries(of: heads.id, from: 300, limit: 10).map(\.entryHash) == [full.headHash])
            #expect(try store.checkpoints(of: heads.id).map(\.size) == [300])
        }
    }

    @Test("reading an entry before the head is refused, not answered with an empty history")
    func olderEntriesRefused() throws {
        let (heads, _) = try record(on: HeadLedgerStore(), HeadLedgerStore())
        let store = heads.copy(of: "alice").store
        #expect(throws: LedgerError.self) { try store.entries(of: heads.id) }
        #expect(throws: LedgerError.self) { try store.entry(of: heads.id, at: 299) }
        #expect(try store.entries(of: heads.id, from: 301, limit: 10).isEmpty)
    }

    @Test("an entry that does not continue the head is refused and the head stays")
    func appendOffHeadRefused() throws {
        let store = HeadLedgerStore()
        let (source, _) = try record(on: InMemoryLedgerStore(), InMemoryLedgerStore())
        let entries = try source.copy(of: "alice").entries()
        try store.createLedger(source.header, holder: "alice")
        try store.append(Array(entries.prefix(10)), to: source.id)
        #expect(throws: LedgerError.self) { try store.append([entries[11]], to: source.id) }
        #expect(try store.head(of: source.id) == LedgerHead(seq: 10, hash: entries[9].entryHash))
    }
}

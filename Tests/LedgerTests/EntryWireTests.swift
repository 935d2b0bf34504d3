import CanonicalJSON
import Foundation
import Testing

@testable import Ledger

/// Batched agreement sends entries as a JSON array written and read without Foundation's coders
/// (`LedgerEntry.wireData`, `LedgerEntry.entries(wireData:)`): the entries must come back identical, and the text
/// must stay what `Codable` reads and writes, so nodes of either kind agree.
@Suite("Ledger entries on the wire")
struct EntryWireTests {
    let entries: [LedgerEntry]

    init() throws {
        let alice = try PartyKey(party: "alice", seed: Data(repeating: 1, count: 32))
        let bob = try PartyKey(party: "bob", seed: Data(repeating: 2, count: 32))
        let ledger = try BilateralLedger(
            partyA: alice, partyB: bob, genesisNonce: Data("wire".utf8), storeA: InMemoryLedgerStore(),
            storeB: InMemoryLedgerStore())
        let drafts = [
            EntryDraft(
                kind: "poq.request", refs: ["poq": "poq-1", "trace": "t\"1\\"],
                body: ["text": "é\n\u{1F600}", "n": -12.5, "list": [true, .null], "nested": ["b": 1, "a": 2]],
                time: -5),
            EntryDraft(kind: "poq.response", refs: [:], body: .null, time: 1_700_000_000_123),
        ]
        entries = try ledger.recordBatch(author: alice.party, drafts)
    }

    @Test("agreed entries come back identical, countersignature and all, and a pending one without it")
    func roundTrip() throws {
        #expect(entries.count == 2)
        #expect(try LedgerEntry.entries(wireData: LedgerEntry.wireData(entries)) == entries)
        var pending = entries[1]
        pending.counterSignature = nil
        let back = try LedgerEntry.entries(wireData: LedgerEntry.wireData([pending]))
        #expect(back == [pending])
        #expect(back[0].counterSignature == nil)
    }

    @Test("the text is what Codable reads, and what Codable writes reads the same")
    func sameAsCodable() throws {
        let decoded = try JSONDecoder().decode([LedgerEntry].self, from: LedgerEntry.wireData(entries))
        #expect(decoded == entries)
        #expect(try LedgerEntry.entries(wireData: JSONEncoder().encode(entries)) == entries)
    }

    @Test("a seq or time beyond 2^53 reads exactly, as JSONDecoder reads it")
    func largeIntegers() throws {
        let far = LedgerEntry(
            ledgerID: entries[0].ledgerID, seq: 9_007_199_254_740_993, prevHash: entries[0].prevHash,
            time: Int64.max, author: entries[0].author, kind: "poq.request", refs: [:], body: .null,
            entryHash: entries[0].entryHash, authorSignature: entries[0].authorSignature, counterSignature: nil)
        let back = try LedgerEntry.entries(wireData: LedgerEntry.wireData([far]))
        #expect(back.map(\.seq) == [9_007_199_254_740_993])
        #expect(back.map(\.time) == [Int64.max])
    }

    @Test("a malformed entry is refused with its index and field")
    func malformed() throws {
        var object = try #require(
            try JSONValue.parse(LedgerEntry.wireData([entries[0]])).arrayValue?.first?.objectValue)
        object["seq"] = "one"
        let text = JSONValue.array([.object(object)]).canonicalData
        #expect {
            try LedgerEntry.entries(wireData: text)
        } throws: { error in
            (error as? LedgerError)?.code == .invalidField && "\(error)".contains("entry 0: seq is not an integer")
        }
        #expect(throws: LedgerError.self) { try LedgerEntry.entries(wireData: Data("{}".utf8)) }
    }

    @Test(
        "the countersignatures alone answer a batch: the author gets its entries countersigned, as a whole answer gives"
    )
    func countersignaturesAlone() throws {
        var proposed = entries
        for index in proposed.indices { proposed[index].counterSignature = nil }
        let compact = LedgerEntry.countersignatureWire(entries)
        // Only what the author lacks travels back: no body, kind or author signature.
        let items = try #require(try JSONSerialization.jsonObject(with: compact) as? [[String: Any]])
        #expect(items.map { Set($0.keys) } == Array(repeating: ["seq", "entryHash", "counterSignature"], count: 2))
        #expect(compact.count < LedgerEntry.wireData(entries).count / 2)
        #expect(try LedgerEntry.countersigned(proposed, answer: compact) == entries)
        // A prefix answers a prefix; a counterparty that sends the entries whole is read as before.
        #expect(
            try LedgerEntry.countersigned(proposed, answer: LedgerEntry.countersignatureWire([entries[0]])) == [
                entries[0]
            ])
        #expect(try LedgerEntry.countersigned(proposed, answer: LedgerEntry.wireData(entries)) == entries)
    }

    @Test("an answer naming an entry that was not proposed at its place, or more entries than proposed, is refused")
    func countersignaturesRefused() throws {
        var proposed = entries
        for index in proposed.indices { proposed[index].counterSignature = nil }
        let swapped = LedgerEntry.countersignatureWire([entries[1], entries[0]])
        #expect(throws: LedgerError.self) { try LedgerEntry.countersigned(proposed, answer: swapped) }
        let tooMany = LedgerEntry.countersignatureWire(entries + [entries[1]])
        #expect(throws: LedgerError.self) { try LedgerEntry.countersigned(proposed, answer: tooMany) }
        #expect(throws: LedgerError.self) {
            try LedgerEntry.countersigned(proposed, answer: Data(#"[{"seq":1,"entryHash":"00"}]"#.utf8))
        }
    }
}

import CanonicalJSON
import Foundation
import Testing

@testable import Ledger

/// Who may say what: entries a party refuses to countersign, and the auditor's findings on copies that hold them
/// (issue "Hostile input", finding 5).
@Suite("Entry rules: what a countersignature vouches for")
struct EntryRulesTests {
    let buyer = try! PartyKey(party: "BUYER", seed: Data(repeating: 1, count: 32))
    let seller = try! PartyKey(party: "SELLER", seed: Data(repeating: 2, count: 32))

    private func header() throws -> LedgerHeader {
        try LedgerHeader(
            "BUYER", publicKey: buyer.publicKey, "SELLER", publicKey: seller.publicKey, genesisNonce: Data("g".utf8))
    }

    /// An entry signed by `author` with any kind and time, made as an attacker would (no checks on the way).
    private func crafted(
        by author: PartyKey, on replica: LedgerReplica, kind: String, refs: [String: String] = [:],
        body: JSONValue = [:], time: Int64 = 1_000
    ) throws -> LedgerEntry {
        let head = replica.ledgerHead
        let hash = EntryEncoding.hash(
            ledgerID: replica.id.rawValue, seq: head.seq + 1, prevHash: head.hash, time: time,
            author: author.party.rawValue, kind: kind, refsJSON: EntryEncoding.refsJSON(refs),
            bodyJSON: body.canonicalData)
        return LedgerEntry(
            ledgerID: replica.id, seq: head.seq + 1, prevHash: head.hash, time: time, author: author.party, kind: kind,
            refs: refs, body: body, entryHash: Hex.encode(hash), authorSignature: try author.sign(hash),
            counterSignature: nil)
    }

    private func refusal(_ replica: LedgerReplica, _ entry: LedgerEntry, now: Int64? = 1_000) -> LedgerError? {
        do {
            _ = try replica.receive(entry, now: now)
            return nil
        } catch {
            return error as? LedgerError
        }
    }

    @Test(
        "an empty kind, a 10 KB kind, a kind with a newline or control character is refused and nothing is stored",
        arguments: ["", String(repeating: "k", count: 10_240), "order.accepted\nseq:9", "poq\u{7}.request", "Order.X"])
    func malformedKinds(kind: String) throws {
        let store = InMemoryLedgerStore()
        let sellerCopy = try LedgerReplica(key: seller, header: try header(), store: store, rules: .broker)
        let error = try #require(refusal(sellerCopy, try crafted(by: buyer, on: sellerCopy, kind: kind)))
        #expect(error.code == .notEntitled)
        #expect(error.message.contains("kind_syntax"))
        #expect(sellerCopy.head.seq == 0)
        #expect(try store.entries(of: sellerCopy.id, from: 1, limit: 10).isEmpty)
    }

    @Test("an entry dated Int64.max is refused, and later entries keep the countersigner's time")
    func timeFarAhead() throws {
        let sellerCopy = try LedgerReplica(
            key: seller, header: try header(), store: InMemoryLedgerStore(), rules: .broker)
        let poisoned = try crafted(
            by: buyer, on: sellerCopy, kind: "poq.request", refs: ["request": "rq-1"], time: .max)
        let error = try #require(refusal(sellerCopy, poisoned, now: 1_000))
        #expect(error.message.contains("time_ahead"))
        let honest = try crafted(by: buyer, on: sellerCopy, kind: "poq.request", refs: ["request": "rq-1"], time: 1_200)
        guard case .countersigned(let agreed) = try sellerCopy.receive(honest, now: 1_000) else {
            Issue.record("an entry 200 ms ahead should be countersigned")
            return
        }
        #expect(agreed.time == 1_200)
        let next = try sellerCopy.propose(kind: "poq.receipt", refs: ["request": "rq-1"], body: [:], time: 1_300)
        #expect(next.time == 1_300)
    }

    @Test("a buyer's order.accepted is refused; the seller's, after the buyer's order.request, is countersigned")
    func authorEntitlement() throws {
        let header = try header()
        let buyerCopy = try LedgerReplica(key: buyer, header: header, store: InMemoryLedgerStore(), rules: .broker)
        let sellerCopy = try LedgerReplica(key: seller, header: header, store: InMemoryLedgerStore(), rules: .broker)
        // The buyer claims the seller's acceptance before and after ordering: never countersigned. Before the
        // order is on the ledger the answer is "not yet" (a conflict; live, the request may still be on its way).
        let forged = try crafted(by: buyer, on: sellerCopy, kind: "order.accepted", refs: ["order": "o-1"])
        guard case .conflict = try sellerCopy.receive(forged, now: 1_000) else {
            Issue.record("an answer to an order not on the ledger must not be countersigned")
            return
        }
        let order = try buyerCopy.propose(kind: "order.request", refs: ["order": "o-1"], body: [:], time: 1_000)
        guard case .countersigned(let agreedOrder) = try sellerCopy.receive(order, now: 1_000) else {
            Issue.record("the buyer's order.request should be countersigned")
            return
        }
        try buyerCopy.commit(agreedOrder)
        let forgedAgain = try crafted(by: buyer, on: sellerCopy, kind: "order.accepted", refs: ["order": "o-1"])
        #expect(refusal(sellerCopy, forgedAgain)?.message.contains("not_entitled") == true)
        // The seller's acceptance of that order, and only of that order, is taken by the buyer.
        let unknown = try crafted(by: seller, on: buyerCopy, kind: "order.accepted", refs: ["order": "o-2"])
        guard case .conflict = try buyerCopy.receive(unknown, now: 1_000) else {
            Issue.record("an acceptance of an order the buyer never placed must not be countersigned")
            return
        }
        #expect(buyerCopy.head.seq == 1)
        let accepted = try sellerCopy.propose(kind: "order.accepted", refs: ["order": "o-1"], body: [:], time: 1_000)
        guard case .countersigned = try buyerCopy.receive(accepted, now: 1_000) else {
            Issue.record("the seller's order.accepted should be countersigned")
            return
        }
        // An internal kind never belongs on a trading ledger.
        let internalKind = try crafted(by: seller, on: buyerCopy, kind: "sof.activated", refs: ["order": "o-1"])
        #expect(refusal(buyerCopy, internalKind)?.message.contains("not_entitled") == true)
    }

    @Test("a receipt proposed before its request is agreed never wins the tie-break: both lanes progress")
    func receiptRacingItsRequest() throws {
        let header = try header()
        // Find a request whose receipt hashes lower than the request itself: the case that deadlocked both lanes.
        for index in 1...64 {
            let buyerCopy = try LedgerReplica(key: buyer, header: header, store: InMemoryLedgerStore(), rules: .broker)
            let sellerCopy = try LedgerReplica(
                key: seller, header: header, store: InMemoryLedgerStore(), rules: .broker)
            let refs = ["request": "rq-\(index)"]
            let receipt = try sellerCopy.propose(kind: "poq.receipt", refs: refs, body: [:], time: 1_000)
            let request = try buyerCopy.propose(kind: "poq.request", refs: refs, body: [:], time: 1_000)
            guard receipt.entryHash < request.entryHash else { continue }
            guard case .conflict = try buyerCopy.receive(receipt, now: 1_000) else {
                Issue.record("the buyer has not seen its request agreed: the receipt must wait")
                return
            }
            guard case .countersigned(let agreed) = try sellerCopy.receive(request, now: 1_000) else {
                Issue.record("the seller's pending receipt must not block the request it answers")
                return
            }
            try buyerCopy.commit(agreed)
            let rebased = try sellerCopy.rebase(onto: [], pending: receipt)
            guard case .countersigned = try buyerCopy.receive(rebased, now: 1_000) else {
                Issue.record("once the request is agreed, the receipt is countersigned")
                return
            }
            #expect(buyerCopy.head.seq == 2)
            return
        }
        Issue.record("no request among 64 hashed above its receipt")
    }

    @Test("the auditor flags entries a copy holds that break the rules, naming the entry and the rule")
    func auditorFindings() throws {
        // Both copies written without rules (an older node, or a forger's own copy).
        let ledger = try BilateralLedger(
            partyA: buyer, partyB: seller, genesisNonce: Data("g".utf8), storeA: InMemoryLedgerStore(),
            storeB: InMemoryLedgerStore())
        try ledger.record(author: "BUYER", kind: "order.request", refs: ["order": "o-1"], body: [:], time: 10)
        try ledger.record(author: "BUYER", kind: "order.accepted", refs: ["order": "o-1"], body: [:], time: 20)
        try ledger.record(author: "SELLER", kind: "order.accepted", refs: ["order": "o-1"], body: [:], time: 30)
        try ledger.record(author: "SELLER", kind: "quote.haggle", refs: [:], body: [:], time: 40)
        try ledger.record(author: "SELLER", kind: "order.activated", refs: ["order": "o-9"], body: [:], time: 50)
        let copy = try LedgerCopy(store: ledger.copy(of: "SELLER").store, ledgerID: ledger.id, holder: "SELLER")
        #expect(LedgerAuditor().audit(copy).isEmpty)
        let findings = LedgerAuditor(rules: .broker).audit(copy)
        #expect(
            findings.map { "\($0.seq ?? 0) \($0.party?.rawValue ?? "-") \($0.rule.rawValue)" } == [
                "2 BUYER not_entitled", "4 SELLER unknown_kind", "5 SELLER not_entitled",
            ])
    }

    @Test("kind syntax: dot-separated lower-case words of at most 64 characters")
    func kindSyntax() {
        for kind in ["poq.request", "order.window_extension_requested", "loop_list", "sco.chain_tested"] {
            #expect(EntryRules.isWellFormed(kind: kind), "\(kind)")
        }
        for kind in [
            "", ".poq", "poq.", "poq..request", "Poq", "poq request", "9poq", "poq._x",
            String(repeating: "a", count: 65),
        ] {
            #expect(!EntryRules.isWellFormed(kind: kind), "\(kind)")
        }
    }
}

import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Node
import Testing

/// The ledger's batch route: it holds a counterparty's batch that continues this node's own entries — countersigned
/// there, not yet committed here — until the commit, instead of answering it with a conflict, and not forever; and
/// it answers with the countersignatures alone when the author asks so.
@Suite(.serialized)
struct LedgerBatchRouteTests {
    typealias Fixture = NodeRouteTests.Fixture

    /// The seller node's copy of its ledger with BUYER, a copy of BUYER's own, and the seller's batch of `count`
    /// requests countersigned by BUYER (stored on BUYER's copy), not committed on the seller's.
    private func countersignedBatch(
        _ fixture: Fixture, count: Int
    ) throws -> (seller: LedgerReplica, buyer: LedgerReplica, agreed: [LedgerEntry]) {
        let seller = try fixture.server.node.ledgers.replica(with: "BUYER")
        let buyer = try LedgerReplica(
            key: fixture.buyer, header: seller.header, store: InMemoryLedgerStore(), rules: .broker)
        let drafts = (1...count).map {
            EntryDraft(kind: "order.request", refs: ["order": "o-\($0)"], body: [:], time: 1_000 + Int64($0))
        }
        guard case .countersigned(let agreed) = try buyer.receiveBatch(try seller.proposeBatch(drafts)) else {
            throw LedgerError(.divergence, "BUYER did not countersign the seller's batch")
        }
        return (seller, buyer, agreed)
    }

    private func post(
        _ batch: [LedgerEntry], _ fixture: Fixture, to client: some TestClientProtocol, query: String = ""
    ) async throws -> TestResponse {
        let path = NodeRoutes.ledgerEntriesPath(batch[0].ledgerID) + query
        let body = LedgerEntry.wireData(batch)
        return try await client.execute(
            uri: path, method: .post, headers: NodeRouteTests.signed(.post, path, body: body, key: fixture.buyer),
            body: ByteBuffer(bytes: body))
    }

    @Test("a batch on the node's countersigned entries waits for their commit and is countersigned, not refused")
    func heldUntilCommitted() async throws {
        let fixture = try Fixture()
        let (seller, buyer, agreed) = try countersignedBatch(fixture, count: 3)
        // BUYER answers the seller's orders on top of them at once: entries 4 and 5, past the seller's head (0).
        let answers = try buyer.proposeBatch([
            EntryDraft(kind: "order.accepted", refs: ["order": "o-1"], body: [:], time: 2_000),
            EntryDraft(kind: "order.accepted", refs: ["order": "o-2"], body: [:], time: 2_001),
        ])
        try await fixture.server.application().test(.router) { client in
            async let answered = post(answers, fixture, to: client)
            // The seller's lane commits its batch a moment later, once the answer has come back.
            try await Task.sleep(for: .milliseconds(100))
            #expect(seller.head.seq == 0)
            try seller.commitBatch(agreed)
            let response = try await answered
            #expect(response.status == .ok)
            let countersigned = try LedgerEntry.entries(wireData: Data(buffer: response.body))
            #expect(countersigned.map(\.seq) == [4, 5])
            #expect(countersigned.allSatisfy { $0.isAgreed })
        }
        #expect(seller.head.seq == 5)
        #expect(try seller.entries().map(\.entryHash) == (agreed.map(\.entryHash) + answers.map(\.entryHash)))
    }

    @Test("a batch on entries the node never commits is answered with the conflict once the hold limit passes")
    func holdIsBounded() async throws {
        let fixture = try Fixture()
        let (seller, buyer, _) = try countersignedBatch(fixture, count: 2)
        let answers = try buyer.proposeBatch([
            EntryDraft(kind: "order.accepted", refs: ["order": "o-1"], body: [:], time: 2_000)
        ])
        try await fixture.server.application().test(.router) { client in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await post(answers, fixture, to: client)
            #expect(response.status == .conflict)
            #expect(clock.now - start >= NodeRoutes.holdLimit)
            let head = try JSONDecoder().decode(LedgerHead.self, from: Data(buffer: response.body))
            #expect(head.seq == 0)
        }
        #expect(seller.head.seq == 0)
    }

    @Test("asked for the countersignatures alone, the route answers with them, and they commit the author's batch")
    func countersignaturesAnswer() async throws {
        let fixture = try Fixture()
        let seller = try fixture.server.node.ledgers.replica(with: "BUYER")
        let buyer = try LedgerReplica(
            key: fixture.buyer, header: seller.header, store: InMemoryLedgerStore(), rules: .broker)
        let batch = try buyer.proposeBatch(
            (1...3).map { EntryDraft(kind: "poq.request", refs: ["request": "rq-\($0)"], body: [:], time: 1_000) })
        try await fixture.server.application().test(.router) { client in
            let response = try await post(
                batch, fixture, to: client, query: "?answer=" + NodeRoutes.countersignaturesAnswer)
            #expect(response.status == .ok)
            let body = Data(buffer: response.body)
            let items = try #require(try JSONSerialization.jsonObject(with: body) as? [[String: Any]])
            #expect(items.map { $0["seq"] as? Int } == [1, 2, 3])
            #expect(items.allSatisfy { $0["kind"] == nil && $0["body"] == nil })
            try buyer.commitBatch(try LedgerEntry.countersigned(batch, answer: body))
        }
        #expect(buyer.head.seq == 3 && seller.head.seq == 3)
        #expect(try buyer.entries() == seller.entries())
    }
}

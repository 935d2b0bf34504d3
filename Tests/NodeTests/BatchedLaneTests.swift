import CanonicalJSON
import Foundation
import Ledger
import Logging
import Node
import SupplyChain
import Synchronization
import Testing

/// A node's lane agrees what waits in batches (group commit): one message per batch, the entries the same as one at
/// a time would give, and a refused entry in the middle dropped alone.
struct BatchedLaneTests {
    /// Delivers batches straight to the counterparty's copy, in process, counting the messages; the first message
    /// waits until `release` so that entries pile up behind it.
    final class CountingTransport: LedgerTransport, Sendable {
        private let peers = Mutex<[PartyID: NodeLedgers]>([:])
        let messages = Mutex<[Int]>([])
        let gate = Mutex<Bool>(false)

        func connect(_ party: PartyID, _ ledgers: NodeLedgers) { peers.withLock { $0[party] = ledgers } }
        func release() { gate.withLock { $0 = true } }

        private func replica(_ party: PartyID, ledger: LedgerID, other: PartyID) throws -> LedgerReplica {
            guard let peer = peers.withLock({ $0[party] }),
                let replica = try peer.replica(id: ledger, counterparty: other)
            else { throw NodeError(.transport, "no \(party)") }
            return replica
        }

        func propose(_ entry: LedgerEntry, to counterparty: PartyID) async throws -> ProposalOutcome {
            switch try await proposeBatch([entry], to: counterparty) {
            case .countersigned(let agreed): return .countersigned(agreed[0])
            case .conflict(let head): return .conflict(head)
            }
        }

        func proposeBatch(_ entries: [LedgerEntry], to counterparty: PartyID) async throws -> BatchProposalOutcome {
            while !gate.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            messages.withLock { $0.append(entries.count) }
            let replica = try replica(counterparty, ledger: entries[0].ledgerID, other: entries[0].author)
            do {
                switch try replica.receiveBatch(entries) {
                case .countersigned(let agreed): return .countersigned(agreed)
                case .conflict(let head): return .conflict(head)
                }
            } catch {
                throw NodeError(.ledger, "refused: \(error)")
            }
        }

        func entries(of ledger: LedgerID, from seq: UInt64, at counterparty: PartyID) async throws -> [LedgerEntry] {
            let other: PartyID = counterparty == "SELLER" ? "BUYER" : "SELLER"
            return try replica(counterparty, ledger: ledger, other: other).entries(from: seq)
        }
    }

    @Test("200 entries waiting for one counterparty are agreed in a few messages; a refused one is dropped alone")
    func batchedLane() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let seller = PartyKey(party: "SELLER")
        let buyer = PartyKey(party: "BUYER")
        let transport = CountingTransport()
        let keys: [PartyID: Data] = ["SELLER": seller.publicKey, "BUYER": buyer.publicKey]
        let buyerLedgers = try NodeLedgers(
            key: buyer, database: directory.appendingPathComponent("buyer.sqlite").path, withSOF: false,
            peerKeys: keys, transport: transport, logger: Logger(label: "test"), maximumBackoff: .milliseconds(50),
            checkpointInterval: 0, batchLimit: 64)
        let sellerLedgers = try NodeLedgers(
            key: seller, database: directory.appendingPathComponent("seller.sqlite").path, withSOF: false,
            peerKeys: keys, transport: transport, logger: Logger(label: "test"), checkpointInterval: 0)
        transport.connect("SELLER", sellerLedgers)
        transport.connect("BUYER", buyerLedgers)
        let at = Instant(milliseconds: 1_767_603_600_000)
        for index in 1...200 {
            // Entry 101 is one a buyer may not author (a seller's quote): the seller refuses it.
            let record =
                index == 101
                ? LedgerRecord(
                    counterparty: "SELLER", kind: "quote.response", refs: ["request": "rq-100", "quote": "q-1"],
                    body: [:])
                : LedgerRecord(
                    counterparty: "SELLER", kind: "poq.request", refs: ["request": "rq-\(index)"],
                    body: ["n": .number(Double(index))])
            buyerLedgers.submit(record, at: at) { work in Task { await work() } }
        }
        transport.release()
        // Counted in turns of this task, not wall time: under a loaded test run the lane may wait for a thread.
        for _ in 0..<3_000 where !buyerLedgers.isIdle { try await Task.sleep(for: .milliseconds(20)) }
        #expect(buyerLedgers.isIdle)
        let buyerCopy = try buyerLedgers.replica(with: "SELLER").entries()
        let sellerCopy = try sellerLedgers.replica(with: "BUYER").entries()
        // 199 agreed, in submission order, the refused one left out; both copies identical and countersigned.
        #expect(buyerCopy.count == 199)
        #expect(buyerCopy.map { $0.refs["request"] ?? "" } == (1...200).filter { $0 != 101 }.map { "rq-\($0)" })
        #expect(buyerCopy == sellerCopy && buyerCopy.allSatisfy(\.isAgreed))
        // The entries waited behind the first message and went in batches of at most 64 (the refused one alone):
        // far fewer messages than entries.
        let messages = transport.messages.withLock { $0 }
        #expect(messages.allSatisfy { $0 <= 64 })
        #expect(messages.count < 12, "\(messages)")
    }
}

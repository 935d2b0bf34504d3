import CanonicalJSON
import Foundation
import Ledger
import Logging
import Node
import SupplyChain
import Synchronization
import Testing

/// After a restart, the entries the journal recorded are matched against the ledger: only those missing are
/// proposed again.
struct RestartLedgerTests {
    /// Delivers proposals straight to the counterparty's `NodeLedgers`, in process.
    final class Loopback: LedgerTransport, Sendable {
        private let peers = Mutex<[PartyID: NodeLedgers]>([:])

        func connect(_ party: PartyID, _ ledgers: NodeLedgers) { peers.withLock { $0[party] = ledgers } }

        private func peer(_ party: PartyID) throws -> NodeLedgers {
            guard let peer = peers.withLock({ $0[party] }) else { throw NodeError(.transport, "no \(party)") }
            return peer
        }

        func propose(_ entry: LedgerEntry, to counterparty: PartyID) async throws -> ProposalOutcome {
            guard let replica = try peer(counterparty).replica(id: entry.ledgerID, counterparty: entry.author) else {
                throw NodeError(.transport, "no ledger \(entry.ledgerID)")
            }
            switch try replica.receive(entry) {
            case .countersigned(let agreed), .alreadyStored(let agreed): return .countersigned(agreed)
            case .conflict(let head): return .conflict(head)
            }
        }

        func entries(of ledger: LedgerID, from seq: UInt64, at counterparty: PartyID) async throws -> [LedgerEntry] {
            try peer(counterparty).replica(id: ledger, counterparty: asking(counterparty))?.entries(from: seq) ?? []
        }

        func cosign(_ checkpoint: Checkpoint, at counterparty: PartyID) async throws -> Checkpoint {
            // As the checkpoint route does, the counterparty then sends the note to its witness (here at once).
            let peer = try peer(counterparty)
            let cosigned = try peer.countersign(checkpoint, from: asking(counterparty))
            await peer.witnessCountersigned(cosigned, from: asking(counterparty))
            return cosigned
        }

        /// Two parties here: the one asking `counterparty` is the other one.
        private func asking(_ counterparty: PartyID) -> PartyID {
            peers.withLock { peers in peers.keys.first { $0 != counterparty } } ?? counterparty
        }
    }

    @Test("only the recorded entries missing from the ledger are proposed again, each matched once")
    func reproposeOnlyMissing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("restart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let seller = PartyKey(party: "SELLER")
        let buyer = PartyKey(party: "BUYER")
        let transport = Loopback()
        let keys: [PartyID: Data] = ["SELLER": seller.publicKey, "BUYER": buyer.publicKey]
        let sellerLedgers = try NodeLedgers(
            key: seller, database: directory.appendingPathComponent("seller.sqlite").path, withSOF: false,
            peerKeys: keys, transport: transport, logger: Logger(label: "test"))
        let buyerLedgers = try NodeLedgers(
            key: buyer, database: directory.appendingPathComponent("buyer.sqlite").path, withSOF: false,
            peerKeys: keys, transport: transport, logger: Logger(label: "test"))
        transport.connect("SELLER", sellerLedgers)
        transport.connect("BUYER", buyerLedgers)

        let at = Instant(milliseconds: 1_767_603_600_000)
        // The buyer's requests come first: the seller's receipt, answer and acceptance answer them (LEDGER.md §10).
        try await buyerLedgers.append(
            LedgerRecord(counterparty: "SELLER", kind: "poq.request", refs: ["request": "r-1"], body: [:]), at: at)
        try await buyerLedgers.append(
            LedgerRecord(counterparty: "SELLER", kind: "order.request", refs: ["order": "o-1"], body: [:]), at: at)
        let receipt = LedgerRecord(
            counterparty: "BUYER", kind: "poq.receipt", refs: ["request": "r-1"], body: ["receivedAt": "now"])
        let answer = LedgerRecord(
            counterparty: "BUYER", kind: "poq.response", refs: ["request": "r-1"], body: ["state": "READY", "n": 1.5])
        let again = LedgerRecord(
            counterparty: "BUYER", kind: "poq.receipt", refs: ["request": "r-1"], body: ["receivedAt": "now"])
        try await sellerLedgers.append(receipt, at: at)
        try await sellerLedgers.append(answer, at: at)
        // The journal recorded three (the third, equal to the first, never reached the ledger) and one more.
        let lost = LedgerRecord(
            counterparty: "BUYER", kind: "order.accepted", refs: ["order": "o-1"], body: ["at": "later"])
        var started: [@Sendable () async -> Void] = []
        let count = sellerLedgers.reproposeMissing([(receipt, at), (answer, at), (again, at), (lost, at)]) {
            started.append($0)
        }
        #expect(count == 2)
        #expect(sellerLedgers.backlog == 2)
        for job in started { await job() }
        let entries = try sellerLedgers.replica(with: "BUYER").entries()
        #expect(
            entries.map(\.kind) == [
                "poq.request", "order.request", "poq.receipt", "poq.response", "poq.receipt", "order.accepted",
            ])
        #expect(try buyerLedgers.replica(with: "SELLER").entries().map(\.entryHash) == entries.map(\.entryHash))
    }

    @Test("internal entries the journal has and the SOF ledger lacks are recorded again, in order, each once")
    func internalEntriesRecordedAgain() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("restart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let seller = PartyKey(party: "SELLER")
        let database = directory.appendingPathComponent("seller.sqlite").path
        let ledgers = try NodeLedgers(
            key: seller, database: database, withSOF: true, peerKeys: [:], transport: Loopback(),
            logger: Logger(label: "test"))
        let at = Instant(milliseconds: 1_767_603_600_000)
        func answer(_ item: String) -> LedgerRecord {
            LedgerRecord(counterparty: "SELLER#sof", kind: "sof.answer", refs: ["element": item], body: ["ok": true])
        }
        // Before the crash the lane recorded the first answer; the second was still queued.
        var jobs: [@Sendable () async -> Void] = []
        ledgers.submit(answer("i-1"), at: at) { jobs.append($0) }
        for job in jobs { await job() }
        ledgers.submit(answer("i-2"), at: at) { _ in }
        // The restart: a new process on the same files, its journal holding both answers.
        let restarted = try NodeLedgers(
            key: seller, database: database, withSOF: true, peerKeys: [:], transport: Loopback(),
            logger: Logger(label: "test"))
        jobs = []
        let count = restarted.reproposeMissing([(answer("i-1"), at), (answer("i-2"), at)]) { jobs.append($0) }
        #expect(count == 1)
        for job in jobs { await job() }
        let sof = try SQLiteLedgerStore(path: NodeLedgers.sofDatabase(database), durability: .normal)
        let ids = try sof.ledgerIDs()
        try #require(ids.count == 1)
        #expect(try sof.entries(of: ids[0]).map { $0.refs["element"] } == ["i-1", "i-2"])
        #expect(try restarted.store.entries(of: ids[0]).map(\.entryHash) == sof.entries(of: ids[0]).map(\.entryHash))
    }
}

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
    /// A fresh directory for two parties' ledgers (the caller removes it), SELLER's and BUYER's keys, and the public
    /// keys each side knows.
    static func parties() throws -> (directory: URL, seller: PartyKey, buyer: PartyKey, keys: [PartyID: Data]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let seller = PartyKey(party: "SELLER")
        let buyer = PartyKey(party: "BUYER")
        return (directory, seller, buyer, ["SELLER": seller.publicKey, "BUYER": buyer.publicKey])
    }

    /// Delivers batches straight to the counterparty's copy, in process, counting the messages; the first message
    /// waits until `release` so that entries pile up behind it.
    final class CountingTransport: LedgerTransport, Sendable {
        private let peers = Mutex<[PartyID: NodeLedgers]>([:])
        let messages = Mutex<[Int]>([])
        /// Every batch delivered: its author, how many entries it had, and how many the counterparty took (nil: it
        /// answered with a conflict).
        let outcomes = Mutex<[(author: PartyID, sent: Int, taken: Int?)]>([])
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
            // As the live route does: a batch on the receiver's own entries that it has not committed yet (its lane
            // is still verifying the countersignatures) waits for that commit.
            let clock = ContinuousClock()
            let end = clock.now + .seconds(10)
            while clock.now < end, replica.continuesPendingProposal(entries[0]) {
                try await Task.sleep(for: .milliseconds(1))
            }
            do {
                switch try replica.receiveBatch(entries) {
                case .countersigned(let agreed):
                    outcomes.withLock { $0.append((entries[0].author, entries.count, agreed.count)) }
                    return .countersigned(agreed)
                case .conflict(let head):
                    outcomes.withLock { $0.append((entries[0].author, entries.count, nil)) }
                    return .conflict(head)
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
        let (directory, seller, buyer, keys) = try Self.parties()
        defer { try? FileManager.default.removeItem(at: directory) }
        let transport = CountingTransport()
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

    @Test(
        "a seller's answers queued before the buyer's requests are agreed wait for them: every batch the seller sends is taken whole, none refused"
    )
    func answersWaitForTheirRequests() async throws {
        let (directory, seller, buyer, keys) = try Self.parties()
        defer { try? FileManager.default.removeItem(at: directory) }
        let transport = CountingTransport()
        // The seller's lane would wait for the requests as long as the test runs (on a loaded machine its default
        // second may pass first); the buyer's gathers its twenty requests into one batch (a generous linger: a
        // request left for a second batch could meet the seller's receipts at the same seq, a tie-break's 409).
        let ledgers = try [(buyer, "buyer"), (seller, "seller")].map { key, name in
            try NodeLedgers(
                key: key, database: directory.appendingPathComponent("\(name).sqlite").path, withSOF: false,
                peerKeys: keys, transport: transport, logger: Logger(label: "test"), requestWait: .seconds(600),
                maximumBackoff: .milliseconds(50), checkpointInterval: 0, linger: .milliseconds(300))
        }
        let (buyerLedgers, sellerLedgers) = (ledgers[0], ledgers[1])
        transport.connect("BUYER", buyerLedgers)
        transport.connect("SELLER", sellerLedgers)
        transport.release()
        let at = Instant(milliseconds: 1_767_603_600_000)
        // The seller has answered twenty POQs before the buyer's lane records the requests.
        for index in 1...20 {
            sellerLedgers.submit(
                LedgerRecord(counterparty: "BUYER", kind: "poq.receipt", refs: ["request": "rq-\(index)"], body: [:]),
                at: at
            ) { work in Task { await work() } }
        }
        try await Task.sleep(for: .milliseconds(150))
        for index in 1...20 {
            buyerLedgers.submit(
                LedgerRecord(counterparty: "SELLER", kind: "poq.request", refs: ["request": "rq-\(index)"], body: [:]),
                at: at
            ) { work in Task { await work() } }
        }
        for _ in 0..<3_000 where !(buyerLedgers.isIdle && sellerLedgers.isIdle) {
            try await Task.sleep(for: .milliseconds(20))
        }
        let buyerCopy = try buyerLedgers.replica(with: "SELLER").entries()
        #expect(buyerCopy.count == 40)
        #expect(try sellerLedgers.replica(with: "BUYER").entries() == buyerCopy)
        // Each receipt comes after its request on the ledger.
        for index in 1...20 {
            let request = buyerCopy.firstIndex { $0.kind == "poq.request" && $0.refs["request"] == "rq-\(index)" }
            let receipt = buyerCopy.firstIndex { $0.kind == "poq.receipt" && $0.refs["request"] == "rq-\(index)" }
            #expect(try #require(request) < #require(receipt))
        }
        let sellers = transport.outcomes.withLock { $0.filter { $0.author == "SELLER" } }
        #expect(!sellers.isEmpty)
        #expect(
            sellers.allSatisfy { $0.taken == $0.sent },
            "\(sellers.map { "\($0.sent)→\($0.taken.map(String.init) ?? "409")" })")
    }

    /// Delivers a batch to the counterparty, which countersigns and stores it, then dies before the answer reaches
    /// the author (the author's process killed while its batch is in flight).
    final class DyingTransport: LedgerTransport, Sendable {
        let peer: NodeLedgers
        init(peer: NodeLedgers) { self.peer = peer }

        func propose(_ entry: LedgerEntry, to counterparty: PartyID) async throws -> ProposalOutcome {
            throw CancellationError()
        }

        func proposeBatch(_ entries: [LedgerEntry], to counterparty: PartyID) async throws -> BatchProposalOutcome {
            guard let replica = try peer.replica(id: entries[0].ledgerID, counterparty: entries[0].author) else {
                throw NodeError(.transport, "no ledger")
            }
            _ = try replica.receiveBatch(entries)
            throw CancellationError()
        }

        func entries(of ledger: LedgerID, from seq: UInt64, at counterparty: PartyID) async throws -> [LedgerEntry] {
            []
        }
    }

    @Test(
        "the author dies with its batch countersigned but not committed: at restart it fetches the batch, nothing lost")
    func authorDiesMidBatch() async throws {
        let (directory, seller, buyer, keys) = try Self.parties()
        defer { try? FileManager.default.removeItem(at: directory) }
        let buyerPath = directory.appendingPathComponent("buyer.sqlite").path
        let counting = CountingTransport()
        counting.release()
        let sellerLedgers = try NodeLedgers(
            key: seller, database: directory.appendingPathComponent("seller.sqlite").path, withSOF: false,
            peerKeys: keys, transport: counting, logger: Logger(label: "test"), checkpointInterval: 0)
        let dying = try NodeLedgers(
            key: buyer, database: buyerPath, withSOF: false, peerKeys: keys,
            transport: DyingTransport(peer: sellerLedgers),
            logger: Logger(label: "test"), checkpointInterval: 0, batchLimit: 64)
        let at = Instant(milliseconds: 1_767_603_600_000)
        let records = (1...30).map {
            LedgerRecord(
                counterparty: "SELLER", kind: "poq.request", refs: ["request": "rq-\($0)"],
                body: ["n": .number(Double($0))])
        }
        for record in records { dying.submit(record, at: at) { work in Task { await work() } } }
        for _ in 0..<3_000 where !dying.isIdle { try await Task.sleep(for: .milliseconds(5)) }
        // The seller countersigned and stored what it received; the dead author's copy holds none of it: a valid
        // (empty) prefix of the seller's.
        let sellerCopy = try sellerLedgers.replica(with: "BUYER").entries()
        #expect(sellerCopy.count >= 1)
        #expect(try dying.replica(with: "SELLER").entries().isEmpty)
        try dying.flush()

        // Restart on the same file: catch up from the seller, then propose again what the journal says is missing.
        let restarted = try NodeLedgers(
            key: buyer, database: buyerPath, withSOF: false, peerKeys: keys, transport: counting,
            logger: Logger(label: "test"), maximumBackoff: .milliseconds(50), checkpointInterval: 0)
        counting.connect("SELLER", sellerLedgers)
        counting.connect("BUYER", restarted)
        #expect(await restarted.catchUp() == sellerCopy.count)
        _ = restarted.reproposeMissing(records.map { ($0, at) }) { work in Task { await work() } }
        for _ in 0..<3_000 where !restarted.isIdle { try await Task.sleep(for: .milliseconds(5)) }
        let buyerCopy = try restarted.replica(with: "SELLER").entries()
        // Every record exactly once, in order, on both copies; the countersigned batch was not lost or repeated.
        #expect(buyerCopy.map { $0.refs["request"] ?? "" } == (1...30).map { "rq-\($0)" })
        let sellerAfter = try sellerLedgers.replica(with: "BUYER").entries()
        #expect(buyerCopy == sellerAfter)
        #expect(buyerCopy.allSatisfy { $0.isAgreed })
    }

    /// Carries batches between two nodes' copies in process while `up`; while down it keeps what was sent and answers
    /// as an unreachable counterparty. A proposal that shows its receiver behind makes the receiver catch up from the
    /// author, as a live node's `behind` does.
    final class OutageTransport: LedgerTransport, Sendable {
        private let peers = Mutex<[PartyID: NodeLedgers]>([:])
        let up = Mutex(false)
        let sentWhileDown = Mutex<[LedgerEntry]>([])

        func connect(_ party: PartyID, _ ledgers: NodeLedgers) { peers.withLock { $0[party] = ledgers } }

        private func replica(_ party: PartyID, ledger: LedgerID) throws -> LedgerReplica {
            let other: PartyID = party == "SELLER" ? "BUYER" : "SELLER"
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
            guard up.withLock({ $0 }) else {
                sentWhileDown.withLock { $0 += entries }
                throw NodeError(.transport, "\(counterparty) is down")
            }
            let receiver = try replica(counterparty, ledger: entries[0].ledgerID)
            do {
                switch try receiver.receiveBatch(entries) {
                case .countersigned(let agreed):
                    return .countersigned(agreed)
                case .conflict(let head):
                    if entries[0].seq > head.seq + 1 {
                        let author = try replica(entries[0].author, ledger: entries[0].ledgerID)
                        _ = try receiver.catchUp(with: author.entries(from: head.seq + 1))
                    }
                    return .conflict(head)
                }
            } catch {
                throw NodeError(.ledger, "refused: \(error)")
            }
        }

        func entries(of ledger: LedgerID, from seq: UInt64, at counterparty: PartyID) async throws -> [LedgerEntry] {
            try replica(counterparty, ledger: ledger).entries(from: seq)
        }
    }

    @Test(
        "a proposal overtaken while its counterparty was down is made again on the new head: the restarted counterparty, which forgot its own entry at that seq, never countersigns it there (no fork)"
    )
    func overtakenProposalProposedAgain() async throws {
        let (directory, seller, buyer, keys) = try Self.parties()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sellerPath = directory.appendingPathComponent("seller.sqlite").path
        let transport = OutageTransport()
        let buyerLedgers = try NodeLedgers(
            key: buyer, database: directory.appendingPathComponent("buyer.sqlite").path, withSOF: false,
            peerKeys: keys, transport: transport, logger: Logger(label: "test"), maximumBackoff: .milliseconds(20),
            checkpointInterval: 0)
        let sellerLedgers = try NodeLedgers(
            key: seller, database: sellerPath, withSOF: false, peerKeys: keys, transport: transport,
            logger: Logger(label: "test"), checkpointInterval: 0)
        transport.connect("BUYER", buyerLedgers)
        transport.connect("SELLER", sellerLedgers)
        let at = Instant(milliseconds: 1_767_603_600_000)

        // The buyer's entry goes out while the seller is down: proposed at seq 1, waiting for an answer.
        let request = LedgerRecord(counterparty: "SELLER", kind: "poq.request", refs: ["request": "b-1"], body: [:])
        let appended = Task { try await buyerLedgers.appendInOrder(request, at: at) }
        for _ in 0..<3_000 where transport.sentWhileDown.withLock({ $0.isEmpty }) {
            try await Task.sleep(for: .milliseconds(2))
        }
        let waiting = try #require(transport.sentWhileDown.withLock { $0.first })
        #expect(waiting.seq == 1)
        // The seller's own entry at seq 1 wins the tie-break at the buyer (the lower hash): the buyer countersigns and
        // stores it; the seller dies before committing it.
        let sellerCopy = try sellerLedgers.replica(with: "BUYER")
        var attempt = 0
        var theirs: LedgerEntry
        repeat {
            attempt += 1
            theirs = try sellerCopy.proposeBatch([
                EntryDraft(kind: "poq.request", refs: ["request": "s-\(attempt)"], body: [:], time: at.milliseconds)
            ])[0]
        } while theirs.entryHash >= waiting.entryHash
        guard case .countersigned(let agreed) = try buyerLedgers.replica(with: "SELLER").receiveBatch([theirs]) else {
            Issue.record("the buyer did not countersign the seller's entry")
            return
        }
        #expect(agreed.map(\.entryHash) == [theirs.entryHash])

        // The seller restarts on its file (its copy empty, its proposal forgotten) and comes back up.
        let restarted = try NodeLedgers(
            key: seller, database: sellerPath, withSOF: false, peerKeys: keys, transport: transport,
            logger: Logger(label: "test"), checkpointInterval: 0)
        transport.connect("SELLER", restarted)
        transport.up.withLock { $0 = true }
        try await appended.value

        // The buyer's entry went again on top of the seller's, at seq 2; the seller caught up first. Same two
        // entries in both copies, both agreed.
        let buyerCopy = try buyerLedgers.replica(with: "SELLER").entries()
        let sellerAfter = try restarted.replica(with: "BUYER").entries()
        #expect(buyerCopy.map { $0.refs["request"] } == ["s-\(attempt)", "b-1"])
        #expect(buyerCopy == sellerAfter)
        #expect(buyerCopy.allSatisfy { $0.isAgreed })
    }
}

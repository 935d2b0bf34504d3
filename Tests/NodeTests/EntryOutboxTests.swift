import CanonicalJSON
import Crypto
import Foundation
import GRDB
import Ledger
import Logging
import Node
import SupplyChain
import Synchronization
import Testing

/// The entries a node authors that wait for their counterparty are kept in its outbox, signed, until their lane is
/// done with them; at a start, what is still there is proposed again (LEDGER.md §9).
struct EntryOutboxTests {
    static let at = Instant(milliseconds: 1_767_603_600_000)
    static let seller = PartyKey(party: "SELLER")
    static let buyer = PartyKey(party: "BUYER")
    static let keys: [PartyID: Data] = ["SELLER": seller.publicKey, "BUYER": buyer.publicKey]

    static func record(_ kind: String, _ n: Int) -> LedgerRecord {
        LedgerRecord(
            counterparty: "BUYER", kind: kind, refs: ["subscription": "s-\(n)"], body: ["n": .number(Double(n))])
    }

    /// A seller's ledgers with an outbox, a buyer's without, on files in a new directory.
    struct Parties {
        let directory: URL
        let transport = RestartLedgerTests.Loopback()
        let seller: NodeLedgers
        let buyer: NodeLedgers

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            seller = try Self.seller(in: directory, transport: transport)
            buyer = try NodeLedgers(
                key: EntryOutboxTests.buyer, database: directory.appendingPathComponent("buyer.sqlite").path,
                withSOF: false, peerKeys: EntryOutboxTests.keys, transport: transport, logger: Logger(label: "test"))
        }

        /// The seller's ledgers on the files in `directory`: a first start, or a restart.
        static func seller(
            in directory: URL, transport: RestartLedgerTests.Loopback, outbox: Bool = true
        ) throws -> NodeLedgers {
            let database = directory.appendingPathComponent("seller.sqlite").path
            return try NodeLedgers(
                key: EntryOutboxTests.seller, database: database, withSOF: false, peerKeys: EntryOutboxTests.keys,
                transport: transport, logger: Logger(label: "test"), maximumBackoff: .milliseconds(20),
                outbox: outbox
                    ? try EntryOutbox(path: EntryOutbox.path(forDatabase: database), key: EntryOutboxTests.seller)
                    : nil)
        }
    }

    /// Runs every job `body` starts, each as a task, and waits for them.
    static func running(
        _ body: (@escaping (@escaping @Sendable () async -> Void) -> Void) throws -> Void
    )
        async rethrows
    {
        let jobs = Mutex<[Task<Void, Never>]>([])
        try body { job in jobs.withLock { $0.append(Task { await job() }) } }
        for job in jobs.withLock({ $0 }) { await job.value }
    }

    @Test("an entry for a counterparty that is down is kept in the outbox, signed by the node; agreed, its row is gone")
    func keptUntilAgreed() async throws {
        let parties = try Parties()
        let outbox = try #require(parties.seller.outbox)
        let record = Self.record("hub.registered", 1)
        // BUYER is down: the lane's first attempt fails, and the entry is kept while it retries.
        let jobs = Mutex<[Task<Void, Never>]>([])
        parties.seller.submit(record, at: Self.at) { job in jobs.withLock { $0.append(Task { await job() }) } }
        try await waitUntil { try outbox.rows().rows.count == 1 }
        let rows = try outbox.rows()
        #expect(rows.rejected.isEmpty)
        let row = try #require(rows.rows.first)
        #expect(rows.rows.count == 1)
        #expect(row.record == record)
        #expect(row.time == Self.at)
        // The signature is the seller's, over the SHA-256 of the text LEDGER.md §9 gives.
        let text = EntryOutbox.signedText(
            author: "SELLER", counterparty: "BUYER", time: Self.at, kind: "hub.registered",
            refs: Data(#"{"subscription":"s-1"}"#.utf8), body: Data(#"{"n":1}"#.utf8))
        #expect(
            String(decoding: text, as: UTF8.self)
                == "scbroker-outbox-v1\nauthor:SELLER\ncounterparty:BUYER\ntime:1767603600000\nkind:hub.registered\n"
                + "refs:{\"subscription\":\"s-1\"}\nbody-sha256:"
                + Hex.encode(Data(SHA256.hash(data: Data(#"{"n":1}"#.utf8)))) + "\n")
        #expect(
            Ed25519.verify(
                signature: row.signature, of: Data(SHA256.hash(data: text)), publicKey: Self.seller.publicKey))
        try await Task.sleep(for: .milliseconds(100))
        #expect(try outbox.rows().rows.map(\.id) == [row.id])
        #expect(parties.seller.backlog == 1)

        parties.transport.connect("SELLER", parties.seller)
        parties.transport.connect("BUYER", parties.buyer)
        try await waitUntil { parties.seller.backlog == 0 }
        for job in jobs.withLock({ $0 }) { await job.value }
        #expect(try outbox.rows().rows.isEmpty)
        #expect(try parties.seller.replica(with: "BUYER").entries().map(\.kind) == ["hub.registered"])
    }

    @Test(
        "restarted with no journal, a node proposes the entries its outbox holds and its ledger lacks, and drops the rows of entries already agreed"
    )
    func outboxAloneAfterRestart() async throws {
        let parties = try Parties()
        parties.transport.connect("BUYER", parties.buyer)
        let (a, b, c) = (
            Self.record("hub.registered", 1), Self.record("hub.registered", 2), Self.record("fault.notified", 3)
        )
        _ = try #require(parties.seller.outbox).keep([(a, Self.at), (b, Self.at), (c, Self.at)])
        // A and C reached the ledger, and the process died before their rows were removed.
        try await parties.seller.append(a, at: Self.at)
        try await parties.seller.append(c, at: Self.at)

        let restarted = try Parties.seller(in: parties.directory, transport: parties.transport)
        parties.transport.connect("SELLER", restarted)
        var proposed = -1
        try await Self.running { start in proposed = restarted.reproposeMissing([], start: start) }
        #expect(proposed == 1)
        #expect(
            try restarted.replica(with: "BUYER").entries().map { $0.refs["subscription"] } == ["s-1", "s-3", "s-2"])
        #expect(try #require(restarted.outbox).rows().rows.isEmpty)
        #expect(
            try parties.buyer.replica(with: "SELLER").entries().map(\.entryHash)
                == restarted.replica(with: "BUYER").entries().map(\.entryHash))
    }

    @Test(
        "restarted, an entry the journal and the outbox both hold is proposed once, with its row, which goes once agreed"
    )
    func journalAndOutboxAgree() async throws {
        let parties = try Parties()
        parties.transport.connect("BUYER", parties.buyer)
        let (a, b) = (Self.record("hub.registered", 1), Self.record("hub.registered", 2))
        _ = try #require(parties.seller.outbox).keep([(a, Self.at), (b, Self.at)])
        try await parties.seller.append(a, at: Self.at)

        let restarted = try Parties.seller(in: parties.directory, transport: parties.transport)
        parties.transport.connect("SELLER", restarted)
        var proposed = -1
        try await Self.running { start in
            proposed = restarted.reproposeMissing([(a, Self.at), (b, Self.at)], start: start)
        }
        #expect(proposed == 1)
        #expect(try restarted.replica(with: "BUYER").entries().map { $0.refs["subscription"] } == ["s-1", "s-2"])
        #expect(try #require(restarted.outbox).rows().rows.isEmpty)
    }

    @Test("a row changed in the outbox file is not proposed again: its signature no longer verifies")
    func tamperedRowIsSetApart() async throws {
        let parties = try Parties()
        parties.transport.connect("BUYER", parties.buyer)
        let ids = try #require(parties.seller.outbox).keep([(Self.record("hub.registered", 1), Self.at)])
        let path = EntryOutbox.path(forDatabase: parties.directory.appendingPathComponent("seller.sqlite").path)
        let file = try DatabaseQueue(path: path)
        try await file.write { db in
            try db.execute(sql: #"UPDATE outbox SET body = '{"n":1000000}' WHERE id = ?"#, arguments: [ids.first])
        }
        try file.close()

        let restarted = try Parties.seller(in: parties.directory, transport: parties.transport)
        let rows = try #require(restarted.outbox).rows()
        #expect(rows.rows.isEmpty)
        #expect(rows.rejected.map(\.id) == ids)
        #expect(rows.rejected.map(\.reason) == ["its signature does not verify with this node's key"])
        var proposed = -1
        try await Self.running { start in proposed = restarted.reproposeMissing([], start: start) }
        #expect(proposed == 0)
        #expect(try restarted.replica(with: "BUYER").entries().isEmpty)
    }
}

/// The outbox of a live node, through its Sonata route.
@Suite(.serialized)
struct NodeOutboxTests {
    @Test(
        "a POQ the node sources from an unreachable seller: its lane keeps the entry in the outbox, signed; restarted without its journal, the node proposes it again from there"
    )
    func unreachableSellerEntryKept() async throws {
        let fixture = try NodeRouteTests.Fixture(supplier: true)
        let body = SellerAnswerTests.poq(immediate: false, offering: "DIA", completion: "2026-12-30T09:00:00Z")
        let outbox = try #require(fixture.server.node.ledgers.outbox)
        try await BillingHubTests.running(fixture) {
            try await fixture.server.application().test(.router) { client in
                let response = try await SonataConformanceTests.post(body, as: fixture.buyer, to: client)
                #expect(response.status == .created)
            }
            // SUPPLIER (and BUYER's listener) at 127.0.0.1:9: the lanes' first attempts fail.
            try await waitUntil {
                try outbox.rows().rows.contains { $0.record.counterparty == "SUPPLIER" }
            }
        }
        let kept = try outbox.rows()
        #expect(kept.rejected.isEmpty)
        let toSupplier = kept.rows.filter { $0.record.counterparty == "SUPPLIER" }
        #expect(toSupplier.map(\.record.kind) == ["poq.request"])

        // The journal is gone; the outbox alone says what this node owes its ledger with SUPPLIER.
        let journal = InputJournal.path(forDatabase: fixture.directory.appendingPathComponent("seller.sqlite").path)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: journal + suffix) }
        let restarted = try NodeRouteTests.Fixture(restarting: fixture)
        #expect(try await restarted.server.node.restore() == 0)
        _ = await restarted.server.node.reproposeMissing()
        #expect(restarted.server.node.ledgers.waiting(for: "SUPPLIER") == toSupplier.map(\.record))
    }
}

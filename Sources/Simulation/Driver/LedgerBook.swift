import Crypto
import Dispatch
import Foundation
import Ledger
import SupplyChain
import Synchronization

/// What a simulation keeps of its ledgers' entries.
public enum LedgerRetention: String, Sendable, CaseIterable {
    /// Every entry of both copies, in memory or (with a ledger directory) in one SQLite file per party: the
    /// end-of-run audit and the run report read them back.
    case entries
    /// In memory, each copy's head and each ledger's Merkle frontier only (`HeadLedgerStore`); with a ledger
    /// directory the entries still go to the SQLite files, a batch at a time. Memory stays flat however long the
    /// history; without a directory nothing can be audited after the run (both parties verified every entry as
    /// they agreed it).
    case heads
}

/// Every party's keys, ledger stores and bilateral ledgers of one simulation run.
///
/// Keys and genesis nonces derive from the seed, so a run repeats byte for byte. Thread-safe: the writer's lanes
/// record on different ledgers at once (the stores lock themselves; the book's tables are behind one mutex).
final class LedgerBook: Sendable {
    let seed: UInt64
    let directory: URL?
    /// The in-process witness every checkpoint is submitted to (`broker simulate --witness`); nil: none.
    let witness: Witness?
    /// Entries each SQLite store buffers before committing them: with thousands of parties, each holding this
    /// many, a large batch keeps most of a long run's entries in memory.
    let batchSize: Int
    /// What the stores keep of the entries when there is no directory.
    let retention: LedgerRetention
    private let tables = Mutex(Tables())
    /// Per ledger, the leaf hashes of its agreed entries, for the consistency proofs the witness asks for (kept
    /// only with a witness).
    private let leaves = Mutex<[LedgerID: [Data]]>([:])

    /// What the book has opened so far, only touched with the mutex held.
    private struct Tables {
        var keys: [PartyID: PartyKey] = [:]
        var stores: [PartyID: any LedgerStore] = [:]
        var ledgers: [Set<PartyID>: BilateralLedger] = [:]
        var omni: [PartyID: OmniLedger] = [:]
    }

    var keys: [PartyID: PartyKey] { tables.withLock { $0.keys } }
    var ledgers: [Set<PartyID>: BilateralLedger] { tables.withLock { $0.ledgers } }
    /// Each publisher's omni-lateral ledger, once it published.
    var omniLedgers: [PartyID: OmniLedger] { tables.withLock { $0.omni } }

    /// - Parameter witnessed: whether an in-process witness, its key derived from the seed, cosigns every
    ///   checkpoint (in memory; the cosigned notes are stored in both copies).
    /// - Throws: `LedgerError(.storage)` for a witness on head-only ledgers without a directory (its consistency
    ///   proofs need the entries' leaves).
    init(
        seed: UInt64, directory: URL?, witnessed: Bool = false, batchSize: Int = 1_000,
        retention: LedgerRetention = .entries
    ) throws {
        self.seed = seed
        self.directory = directory
        self.batchSize = batchSize
        self.retention = retention
        if witnessed && directory == nil && retention == .heads {
            throw LedgerError(.storage, "a witness needs the entries: write the ledgers to a directory")
        }
        if witnessed {
            var hasher = SHA256()
            hasher.update(data: Array("scbroker-sim-witness\n\(seed)".utf8))
            let key = try PartyKey(party: "witness", seed: Data(hasher.finalize()))
            witness = Witness(key: key, store: InMemoryWitnessStore())
        } else {
            witness = nil
        }
    }

    func key(_ party: PartyID) throws -> PartyKey {
        try tables.withLock { tables in try key(party, in: &tables) }
    }

    func store(_ party: PartyID) throws -> any LedgerStore {
        try tables.withLock { tables in try store(party, in: &tables) }
    }

    func ledger(_ a: PartyID, _ b: PartyID, created: Instant) throws -> BilateralLedger {
        let pair: Set<PartyID> = [a, b]
        return try tables.withLock { tables in
            if let ledger = tables.ledgers[pair] { return ledger }
            let (first, second) = a < b ? (a, b) : (b, a)
            var hasher = SHA256()
            hasher.update(data: Array("scbroker-sim-genesis\n\(seed)\n\(first.rawValue)\n\(second.rawValue)".utf8))
            let ledger = try BilateralLedger(
                partyA: key(first, in: &tables), partyB: key(second, in: &tables),
                genesisNonce: Data(hasher.finalize()), storeA: store(first, in: &tables),
                storeB: store(second, in: &tables), created: created.milliseconds)
            tables.ledgers[pair] = ledger
            return ledger
        }
    }

    private func key(_ party: PartyID, in tables: inout Tables) throws -> PartyKey {
        if let key = tables.keys[party] { return key }
        var hasher = SHA256()
        hasher.update(data: Array("scbroker-sim-key\n\(seed)\n\(party.rawValue)".utf8))
        let key = try PartyKey(party: party, seed: Data(hasher.finalize()))
        tables.keys[party] = key
        return key
    }

    private func store(_ party: PartyID, in tables: inout Tables) throws -> any LedgerStore {
        if let store = tables.stores[party] { return store }
        let store: any LedgerStore
        if let directory {
            let url = directory.appendingPathComponent("\(party.rawValue).sqlite")
            try? FileManager.default.removeItem(at: url)
            store = try SQLiteLedgerStore(path: url.path, durability: .normal, batchSize: batchSize)
        } else if retention == .heads {
            store = HeadLedgerStore()
        } else {
            store = InMemoryLedgerStore()
        }
        tables.stores[party] = store
        return store
    }

    /// Records an agreed entry in both copies, and a co-signed checkpoint every `Checkpoint.interval` entries.
    func record(_ record: LedgerRecord, by author: PartyID, at time: Instant) throws {
        let ledger = try ledger(author, record.counterparty, created: time)
        let agreed = try ledger.record(
            author: author, kind: record.kind, refs: record.refs, body: record.body, time: time.milliseconds)
        if witness != nil {
            leaves.withLock { $0[ledger.id, default: []].append(MerkleTree.leafHashes(of: [agreed])[0]) }
        }
        if let checkpoint = try ledger.checkpointIfDue(every: Checkpoint.interval) {
            try submitToWitness(checkpoint, of: ledger)
        }
    }

    /// Submits a checkpoint to the witness, if any, with the consistency proof from the witness's latest one of
    /// that ledger, and stores the cosigned note in both copies. A refusal is an error: honest parties never get one.
    private func submitToWitness(_ checkpoint: Checkpoint, of ledger: BilateralLedger) throws {
        guard let witness else { return }
        var known = leaves.withLock { $0[ledger.id] ?? [] }
        if known.count < checkpoint.size {
            known = MerkleTree.leafHashes(
                ofEntryHashes: try ledger.copy(of: ledger.header.partyA).store.entryHashes(
                    of: ledger.id, from: 1, limit: .max))
        }
        let oldSize = Int(try witness.latest(of: ledger.id)?.size ?? 0)
        let proof = MerkleTree.consistencyProof(oldSize: oldSize, leafHashes: Array(known.prefix(Int(checkpoint.size))))
        switch try witness.submit(
            WitnessSubmission(checkpoint: checkpoint, consistencyProof: proof, header: ledger.header))
        {
        case .cosigned(let cosigned):
            for party in ledger.header.parties {
                try ledger.copy(of: party).store.saveCheckpoint(cosigned, of: ledger.id)
            }
        case .refused(let refusal):
            throw LedgerError(
                .divergence, "the witness refused checkpoint \(checkpoint.size) of \(ledger.id): \(refusal)")
        }
    }

    /// Appends `record` to `publisher`'s omni-lateral ledger (a file `<publisher>.omni.sqlite` beside the copies,
    /// or in memory), where it waits for the neighbours' answers (`answerOmni`).
    func publish(_ record: OmniRecord, by publisher: PartyID, at time: Instant) throws {
        let omni = try tables.withLock { tables -> OmniLedger in
            if let omni = tables.omni[publisher] { return omni }
            var hasher = SHA256()
            hasher.update(data: Array("scbroker-sim-omni\n\(seed)\n\(publisher.rawValue)".utf8))
            let path = directory.map { $0.appendingPathComponent("\(publisher.rawValue).omni.sqlite").path }
            if let path { try? FileManager.default.removeItem(atPath: path) }
            let omni = try OmniLedger(
                publisher: key(publisher, in: &tables), genesisNonce: Data(hasher.finalize()), path: path,
                created: time.milliseconds)
            tables.omni[publisher] = omni
            return omni
        }
        try omni.append(kind: record.kind, refs: record.refs, body: record.body, time: time.milliseconds)
    }

    /// Whether the entries can be read back after the run (in memory or in the directory's files).
    var keepsEntries: Bool { directory != nil || retention == .entries }

    /// Every neighbour answers every entry of every omni-lateral ledger from its own copy of its ledger with the
    /// publisher (the end of a run, when every copy is written): a countersignature, or a signed refusal. Not on
    /// head-only copies: a neighbour answers from its entries, which they do not keep.
    func answerOmni() throws {
        guard keepsEntries else { return }
        for (publisher, omni) in omniLedgers.sorted(by: { $0.key < $1.key }) {
            var copies: [PartyID: [LedgerEntry]] = [:]
            for entry in try omni.entries() {
                for neighbour in OmniReview.neighbours(of: entry) {
                    if copies[neighbour] == nil {
                        copies[neighbour] =
                            try ledgers[[publisher, neighbour]].map { try store(neighbour).entries(of: $0.id) } ?? []
                    }
                    try omni.record(OmniReview.answer(entry, by: key(neighbour), copy: copies[neighbour] ?? []))
                }
            }
        }
    }

    /// A co-signed checkpoint of every ledger's head not checkpointed yet (the end of a run), stored in both
    /// copies, so that each copy alone proves how long the ledger was.
    func checkpointAll() throws {
        for ledger in ledgers.values.sorted(by: { $0.id < $1.id }) {
            if let checkpoint = try ledger.checkpointIfDue() { try submitToWitness(checkpoint, of: ledger) }
        }
    }

    func flush() throws {
        for store in tables.withLock({ Array($0.stores.values) }) { try store.flush() }
    }

    /// The parties' public keys, as an auditor's trusted directory.
    var keyDirectory: KeyDirectory {
        var directory = KeyDirectory()
        for (party, key) in keys { directory.register(party, publicKey: key.publicKey) }
        return directory
    }
}

/// Appends ledger entries on background lanes, each ledger's entries in the order they were submitted.
///
/// The protocol core never waits for a ledger (its decisions do not depend on what an append returns), so the
/// simulator hands entries to this writer and goes on. A ledger always goes to the same lane (a serial queue), so
/// its entries keep their order and head hashes are the same as with inline appends; different ledgers sign and
/// verify on other cores at the same time. At most `backlog` entries wait per lane, which bounds memory.
///
/// There are two lanes per core: ledgers land on lanes by a hash of their parties, so with one lane per core one
/// lane got more of the work than the other (in `bench simulate` one lane thread was busy 93 % of the time, the
/// other 58 %, and the event loop waited for the busy one's backlog). Two per core let the cores take whichever lane
/// has work: the run's CPU went from 171-172 % to 182-183 % and its share of the two-core bound from 56-58 % to
/// 59-64 % (alternated runs); four per core did worse (55-58 %).
final class LedgerWriter: Sendable {
    let book: LedgerBook
    private let lanes: [DispatchQueue]
    private let slots: [DispatchSemaphore]
    /// The first append that failed.
    private let failure = Mutex<(any Error)?>(nil)

    init(book: LedgerBook, lanes: Int = 2 * ProcessInfo.processInfo.activeProcessorCount, backlog: Int = 4_096) {
        self.book = book
        let count = max(1, lanes)
        self.lanes = (0..<count).map { DispatchQueue(label: "scbroker.simulation.ledger-lane-\($0)") }
        self.slots = (0..<count).map { _ in DispatchSemaphore(value: backlog) }
    }

    func submit(_ record: LedgerRecord, by author: PartyID, at time: Instant) {
        let lane = Self.lane(author, record.counterparty, count: lanes.count)
        slots[lane].wait()
        lanes[lane].async {
            defer { self.slots[lane].signal() }
            guard self.failure.withLock({ $0 == nil }) else { return }
            do {
                try self.book.record(record, by: author, at: time)
            } catch {
                self.failure.withLock { failure in failure = failure ?? error }
            }
        }
    }

    /// Waits for every submitted entry, then checkpoints every ledger (the end of a run); rethrows the first
    /// append that failed.
    func drain() throws {
        for lane in lanes { lane.sync {} }
        if let failure = failure.withLock({ $0 }) { throw failure }
        try book.checkpointAll()
        try book.flush()
        try book.answerOmni()
    }

    /// A stable lane for the pair (FNV-1a over the sorted ids), so one ledger always lands on one lane.
    static func lane(_ a: PartyID, _ b: PartyID, count: Int) -> Int {
        let (first, second) = a < b ? (a, b) : (b, a)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in first.rawValue.utf8 + [0] + second.rawValue.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(count))
    }
}

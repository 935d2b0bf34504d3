import CanonicalJSON
import Crypto
import Foundation
import Ledger
import Logging
import SupplyChain
import Synchronization

/// One party's copies of its ledgers in a live node, and the append protocol with each counterparty.
///
/// Every counterparty has a lane: entries are appended in the order they were submitted, in batches of
/// everything waiting (up to `batchLimit`): propose them chained on the head, send them in one message, commit
/// the countersigned prefix in one transaction; on a conflict, fetch the missing entries, propose again on top. The internal ledger with the provider's own SOF (`P#sof`) is appended locally, both copies
/// on this node. Thread-safe: the replicas and lanes are behind one mutex.
public final class NodeLedgers: Sendable {
    public let key: PartyKey
    public let store: SQLiteLedgerStore
    let sofStore: SQLiteLedgerStore?
    let sofKey: PartyKey?
    private let peerKeys: [PartyID: Data]
    let transport: any LedgerTransport
    let logger: Logger
    private let state = Mutex(State())
    /// The omni-lateral ledger, opened on the first publication (`NodeLedgers+Omni`).
    let omni = Mutex<OmniLedger?>(nil)
    /// How long `append` keeps retrying one entry while its counterparty is unreachable or behind; nil (a node's
    /// lanes): for as long as it takes — an entry is never dropped because its counterparty was away.
    public let retryLimit: Duration?
    /// The longest a lane waits, before proposing, for the requests its first entry answers to be agreed here
    /// (`appendBatch`); then it proposes anyway.
    public let requestWait: Duration
    /// The longest pause between two proposals of one entry.
    public let maximumBackoff: Duration
    /// Counts the entries committed here; `ProviderNode` counts its answers in it too.
    public let metrics: NodeMetrics?
    /// Every this many entries a ledger gets a co-signed checkpoint (`NodeLedgers+Checkpoints`); 0: never.
    public let checkpointInterval: UInt64
    /// Besides every `checkpointInterval` entries, a ledger gets a checkpoint on the first entry this party authors
    /// this long (protocol time) or more after the ledger's last checkpoint (or its first entry); nil: never.
    public let checkpointPeriod: TimeSpan?
    /// Per ledger, the Merkle frontier of the longest prefix a checkpoint was computed over (`root(of:size:)`).
    let frontiers = Mutex<[LedgerID: MerkleFrontier]>([:])
    /// Per ledger, the time of its last checkpoint known here (read from the store on first use).
    let lastCheckpointTimes = Mutex<[LedgerID: Int64]>([:])
    /// The witness each co-signed checkpoint is sent to (`witness:` in the node file); nil: none.
    public let witness: WitnessClient?
    /// The most entries a lane proposes in one message (batched agreement); 1 agrees them one at a time.
    public let batchLimit: Int
    /// How long a lane waits, once it has work, before it proposes (wall clock): the request that queued the entry
    /// goes on to the next hop without ledger work beside it on the cores, and what else arrives meanwhile joins
    /// the batch. Zero: at once.
    public let linger: Duration
    /// The retail buyers' linger in `broker cluster`, and a node's default (`ledgerLinger:` in its file): about one
    /// five-hop request, so a chain's ledger work follows its answer instead of competing with it (README, Speed).
    public static let nodeLinger = Duration.milliseconds(20)
    /// Test only: the moment of batched agreement at which this process kills itself (`CrashPoint`); nil: none.
    public let crashPoint: CrashPoint?
    /// Where the entries waiting for a counterparty are kept, signed, until their lane is done with them (a node's;
    /// nil for a cluster's retail buyers): see `spill` and `reproposeMissing`.
    public let outbox: EntryOutbox?
    /// How long an entry waits in its lane before it is kept in the outbox (`spill`).
    public let keepAfter: Duration

    /// What the node has opened and queued, only touched with the mutex held.
    private struct State {
        var replicas: [PartyID: LedgerReplica] = [:]
        var sofLedger: BilateralLedger?
        /// Numbers the queued entries, so that an outbox row is attached to its entry whatever left the queue.
        var queuedCount: UInt64 = 0
        /// Per counterparty, the entries waiting to be agreed, in order.
        var lanes: [PartyID: Lane] = [:]
    }

    private struct Lane {
        var queue: [Queued] = []
        var draining = false
    }

    private struct Queued {
        var number: UInt64 = 0
        let record: LedgerRecord
        let time: Instant
        let queuedAt: Date
        /// The entry's row in the outbox, removed once the lane is done with it (`beingKept` while it is written).
        var outboxID: Int64? = nil
        /// The mark of an entry whose outbox row is being written (row ids start at 1).
        static let beingKept: Int64 = 0
        /// A caller of `appendInOrder` waiting for the entry to be agreed.
        var waiter: CheckedContinuation<Void, any Error>? = nil
    }

    /// What waits to be agreed with one counterparty: how many entries, and since when the oldest has waited.
    public struct Backlog: Sendable, Hashable, Codable {
        public let counterparty: PartyID
        public let entries: Int
        /// Seconds the oldest entry has waited (wall clock).
        public let oldestAgeSeconds: Double
    }

    /// - Parameters:
    ///   - database: this party's SQLite file; the SOF's copy of the internal ledger goes next to it
    ///     (`…-sof.sqlite`) when `withSOF`.
    ///   - peerKeys: the public keys of every counterparty.
    public init(
        key: PartyKey, database: String, withSOF: Bool, peerKeys: [PartyID: Data], transport: any LedgerTransport,
        logger: Logger, retryLimit: Duration? = nil, requestWait: Duration = .seconds(1),
        maximumBackoff: Duration = .seconds(30),
        metrics: NodeMetrics? = nil, checkpointInterval: UInt64 = Checkpoint.interval,
        checkpointPeriod: TimeSpan? = nil,
        witness: WitnessClient? = nil, batchLimit: Int = 128, linger: Duration = .zero,
        crashPoint: CrashPoint? = nil, outbox: EntryOutbox? = nil, keepAfter: Duration = .seconds(5)
    ) throws {
        self.crashPoint = crashPoint
        self.outbox = outbox
        self.keepAfter = keepAfter
        self.batchLimit = max(1, min(batchLimit, LedgerReplica.largestBatch))
        self.linger = max(.zero, linger)
        self.key = key
        self.store = try SQLiteLedgerStore(path: database, durability: .full, batchSize: 1)
        if withSOF {
            sofKey = try Self.sofKey(of: key)
            sofStore = try SQLiteLedgerStore(path: Self.sofDatabase(database), durability: .full, batchSize: 1)
        } else {
            sofKey = nil
            sofStore = nil
        }
        self.peerKeys = peerKeys
        self.transport = transport
        self.logger = logger
        self.retryLimit = retryLimit
        self.requestWait = requestWait
        self.maximumBackoff = maximumBackoff
        self.metrics = metrics
        self.checkpointInterval = checkpointInterval
        self.checkpointPeriod = checkpointPeriod
        self.witness = witness
    }

    /// A counterparty's public key, as configured.
    func peerKey(of party: PartyID) -> Data? { peerKeys[party] }

    /// The key of the provider's own SOF on its internal ledger, derived from the provider's key.
    public static func sofKey(of key: PartyKey) throws -> PartyKey {
        var hasher = SHA256()
        hasher.update(data: Data("scbroker-live-sof-key\n".utf8))
        hasher.update(data: key.privateKeyRaw)
        return try PartyKey(party: PartyID(key.party.rawValue + "#sof"), seed: Data(hasher.finalize()))
    }

    /// Where the SOF's copy of the internal ledger lives, beside the provider's database.
    public static func sofDatabase(_ database: String) -> String {
        NodeFile.beside(database, "sof")
    }

    /// This party's copy of its ledger with `counterparty`, opened (or created) on first use.
    public func replica(with counterparty: PartyID) throws -> LedgerReplica {
        try state.withLock { state in
            if let replica = state.replicas[counterparty] { return replica }
            guard let publicKey = peerKeys[counterparty] else {
                throw NodeError(.ledger, "no public key for \(counterparty)")
            }
            let header = try LedgerHeader.live(key.party, publicKey: key.publicKey, counterparty, publicKey: publicKey)
            let replica = try LedgerReplica(key: key, header: header, store: store, rules: .broker)
            state.replicas[counterparty] = replica
            return replica
        }
    }

    /// The copy of ledger `id` if this party holds it with `counterparty`.
    public func replica(id: LedgerID, counterparty: PartyID) throws -> LedgerReplica? {
        guard let publicKey = peerKeys[counterparty],
            try LedgerHeader.live(key.party, publicKey: key.publicKey, counterparty, publicKey: publicKey).ledgerID
                == id
        else { return nil }
        return try replica(with: counterparty)
    }

    /// Queues an entry this party authors (`outboxID`: its row in the outbox, when it has one); `start` is called
    /// when the lane needs a task to drain it. An entry on the internal ledger with the SOF has a lane too (both copies
    /// are on this node): its signatures and two commits happen off the node's actor, after the message the input
    /// sends, in the order submitted.
    public func submit(
        _ record: LedgerRecord, at time: Instant, outboxID: Int64? = nil,
        start: (@escaping @Sendable () async -> Void) -> Void
    ) {
        enqueue(Queued(record: record, time: time, queuedAt: Date(), outboxID: outboxID), start: start)
    }

    private func enqueue(_ queued: Queued, start: (@escaping @Sendable () async -> Void) -> Void) {
        let counterparty = queued.record.counterparty
        var queued = queued
        let mustStart = state.withLock { state in
            state.queuedCount += 1
            queued.number = state.queuedCount
            // In place: a lane copied out and back would copy its whole queue on every append.
            state.lanes[counterparty, default: Lane()].queue.append(queued)
            let mustStart = state.lanes[counterparty]?.draining == false
            state.lanes[counterparty]?.draining = true
            return mustStart
        }
        updateBacklogMetric(counterparty)
        if mustStart { start { await self.drain(counterparty: counterparty) } }
    }

    /// The copies opened so far of ledgers with counterparties (the SOF's internal ledger is not among them).
    var openReplicas: [LedgerReplica] { state.withLock { Array($0.replicas.values) } }

    /// True when no entry waits to be agreed.
    public var isIdle: Bool { state.withLock { $0.lanes.values.allSatisfy { !$0.draining } } }

    /// The entries waiting for `counterparty`'s countersignature, oldest first.
    public func queued(for counterparty: PartyID) -> [LedgerRecord] {
        state.withLock { $0.lanes[counterparty]?.queue.map(\.record) ?? [] }
    }

    /// Entries still waiting, all counterparties together.
    public var backlog: Int { state.withLock { $0.lanes.values.reduce(0) { $0 + $1.queue.count } } }

    /// The records waiting to be agreed with `counterparty`, oldest first (what its countersignature would add).
    public func waiting(for counterparty: PartyID) -> [LedgerRecord] {
        state.withLock { $0.lanes[counterparty]?.queue.map(\.record) ?? [] }
    }

    /// Entries still waiting, per counterparty with any, by party id.
    public func backlogs(now: Date = Date()) -> [Backlog] {
        state.withLock { state in
            state.lanes.compactMap { party, lane in
                lane.queue.first.map {
                    Backlog(
                        counterparty: party, entries: lane.queue.count,
                        oldestAgeSeconds: max(0, now.timeIntervalSince($0.queuedAt)))
                }
            }
        }.sorted { $0.counterparty.rawValue < $1.counterparty.rawValue }
    }

    /// The internal ledger with the SOF, opened on first use. Its two copies are committed one after the other
    /// (`BilateralLedger.record`): a crash in between leaves one a valid prefix of the other, so on opening, the
    /// shorter copy takes the entries it lacks from the longer.
    private func sofLedgerOpen() throws -> BilateralLedger {
        try state.withLock { state in
            if let sofLedger = state.sofLedger { return sofLedger }
            guard let sofKey, let sofStore else { throw NodeError(.ledger, "no SOF ledger") }
            let header = try LedgerHeader.live(
                key.party, publicKey: key.publicKey, sofKey.party, publicKey: sofKey.publicKey)
            let (keyA, storeA, keyB, storeB) =
                key.party == header.partyA ? (key, store, sofKey, sofStore) : (sofKey, sofStore, key, store)
            let ledger = try BilateralLedger(
                partyA: keyA, partyB: keyB, genesisNonce: header.genesisNonce, storeA: storeA, storeB: storeB,
                created: header.created, verifiesSignatures: false)
            let repaired = try ledger.reconcileCopies()
            if repaired > 0 {
                logger.notice(
                    "internal ledger: an entry one copy lacked after a crash copied from the other",
                    metadata: ["entries": "\(repaired)"])
            }
            state.sofLedger = ledger
            return ledger
        }
    }

    /// Agrees the lane's entries in order, in batches of whatever waits (up to `batchLimit`). An entry leaves the
    /// lane only once agreed, or once the counterparty refused it outright (422: it breaks a rule there; counted
    /// and logged, never retried); an unreachable or lagging counterparty is waited for as long as it takes. At
    /// shutdown the lane stops where it is, and what is left is kept in the outbox: the next start proposes it again
    /// (`reproposeMissing`).
    private func drain(counterparty: PartyID) async {
        // Beside the lane, while it drains: what has waited `keepAfter` or more is kept in the outbox.
        await withDiscardingTaskGroup { group in
            if outbox != nil {
                group.addTask {
                    while (try? await Task.sleep(for: self.keepAfter)) != nil {
                        await self.spill(counterparty, waitedAtLeast: self.keepAfter)
                    }
                }
            }
            await drainLane(counterparty)
            group.cancelAll()
        }
    }

    private func drainLane(_ counterparty: PartyID) async {
        if linger > .zero { try? await Task.sleep(for: linger) }
        while true {
            let batch: [Queued] = state.withLock { state in
                guard let queue = state.lanes[counterparty]?.queue, !queue.isEmpty else {
                    state.lanes[counterparty]?.draining = false
                    return []
                }
                return Array(queue.prefix(batchLimit))
            }
            guard !batch.isEmpty else { return }
            var done = 1
            var failure: (any Error)?
            do {
                if let sofKey, counterparty == sofKey.party {
                    done = try await recordInternal(batch.map { ($0.record, $0.time) })
                } else {
                    done = try await appendBatch(batch.map { ($0.record, $0.time) }, with: counterparty)
                }
            } catch is CancellationError {
                // Shutdown: what waits is kept in the outbox (and the journal has its inputs): the next start proposes
                // it again. Callers waiting are told.
                if let rows = pendingRows(counterparty) { await attach(keepInOutbox(rows), of: rows, to: counterparty) }
                let waiters = state.withLock { state in
                    state.lanes[counterparty]?.draining = false
                    let waiters = state.lanes[counterparty]?.queue.compactMap(\.waiter) ?? []
                    for index in state.lanes[counterparty]?.queue.indices ?? 0..<0 {
                        state.lanes[counterparty]?.queue[index].waiter = nil
                    }
                    return waiters
                }
                for waiter in waiters { waiter.resume(throwing: CancellationError()) }
                return
            } catch {
                failure = error
                logger.error(
                    counterparty == sofKey?.party
                        ? "internal ledger append failed; entry not recorded"
                        : "ledger entry refused by the counterparty; not proposed again",
                    metadata: [
                        "counterparty": "\(counterparty)", "kind": "\(batch[0].record.kind)", "error": "\(error)",
                    ])
                metrics?.ledgerEntryRefused(counterparty: counterparty)
            }
            let (finished, rows) = state.withLock { state in
                let done = state.lanes[counterparty]?.queue.prefix(done) ?? []
                state.lanes[counterparty]?.queue.removeFirst(done.count)
                return (done.compactMap(\.waiter), done.compactMap(\.outboxID).filter { $0 != Queued.beingKept })
            }
            for waiter in finished {
                if let failure { waiter.resume(throwing: failure) } else { waiter.resume() }
            }
            await removeFromOutbox(rows)
            updateBacklogMetric(counterparty)
            // Little waits: work arrives, but more slowly than it is agreed. The next batch gathers for one linger
            // more, so that many lanes agreeing while requests are answered make batches of tens of entries rather
            // than of a few (each batch costs a round trip, and a transaction and its fsync on each copy).
            if linger > .zero, failure == nil,
                state.withLock({ (1..<max(1, batchLimit / 4)).contains($0.lanes[counterparty]?.queue.count ?? 0) })
            {
                try? await Task.sleep(for: linger)
            }
        }
    }

    /// Keeps in the outbox, signed, the entries waiting for `counterparty` that are not kept yet (`waitedAtLeast`:
    /// those queued that long ago or earlier). A lane does so with what has waited `keepAfter` or more, with
    /// everything once its counterparty could not be reached, and with everything at shutdown: an entry that waits
    /// is then on disk as it will be proposed, whatever happens to the journal (a quarantined input, a replay that
    /// no longer gives the same records after an upgrade). Entries agreed at once, the usual case, never touch the
    /// outbox: kept before its message was sent, every entry cost a busy node about a fifth of its POQ rate and a
    /// five-hop POQ 2 ms (README, Speed), and for that first moment the journal, written before the input is
    /// handled, has what makes the entry again.
    private func spill(_ counterparty: PartyID, waitedAtLeast age: Duration? = nil) async {
        guard let rows = pendingRows(counterparty, waitedAtLeast: age) else { return }
        await attach(await BlockingWork.run { self.keepInOutbox(rows) }, of: rows, to: counterparty)
    }

    /// The entries waiting for `counterparty` without an outbox row (queued at least `age` ago, when given), with
    /// their numbers, each marked as being kept (`Queued.beingKept`) so that a spill beside this one (the lane's and
    /// its watchdog's) does not keep it twice; nil when there are none (or no outbox).
    private func pendingRows(
        _ counterparty: PartyID, waitedAtLeast age: Duration? = nil
    ) -> [(number: UInt64, record: LedgerRecord, time: Instant)]? {
        guard outbox != nil else { return nil }
        let before =
            Date() - (age.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 } ?? 0)
        let rows = state.withLock { state -> [(number: UInt64, record: LedgerRecord, time: Instant)] in
            guard let queue = state.lanes[counterparty]?.queue else { return [] }
            var rows: [(number: UInt64, record: LedgerRecord, time: Instant)] = []
            for index in queue.indices where queue[index].outboxID == nil && queue[index].queuedAt <= before {
                state.lanes[counterparty]?.queue[index].outboxID = Queued.beingKept
                rows.append((queue[index].number, queue[index].record, queue[index].time))
            }
            return rows
        }
        return rows.isEmpty ? nil : rows
    }

    /// Writes `rows` to the outbox; returns each entry's number with its row id (none when the write failed: logged,
    /// the journal still has the inputs).
    private func keepInOutbox(_ rows: [(number: UInt64, record: LedgerRecord, time: Instant)]) -> [UInt64: Int64] {
        guard let outbox else { return [:] }
        do {
            let ids = try outbox.keep(rows.map { ($0.record, $0.time) })
            return Dictionary(uniqueKeysWithValues: zip(rows.map(\.number), ids))
        } catch {
            logger.error("outbox write failed; the entries rely on the journal", metadata: ["error": "\(error)"])
            return [:]
        }
    }

    /// Attaches outbox rows to the entries still queued (an entry marked as being kept and left without a row, its
    /// write having failed, is unmarked); the rows of entries the lane was done with while they were written (the
    /// outbox is written beside the lane) are removed at once.
    private func attach(
        _ ids: [UInt64: Int64], of rows: [(number: UInt64, record: LedgerRecord, time: Instant)],
        to counterparty: PartyID
    ) async {
        let marked = Set(rows.map(\.number))
        let unattached = state.withLock { state -> [Int64] in
            var unattached = ids
            guard let queue = state.lanes[counterparty]?.queue else { return Array(unattached.values) }
            for index in queue.indices {
                if let id = unattached.removeValue(forKey: queue[index].number) {
                    state.lanes[counterparty]?.queue[index].outboxID = id
                } else if queue[index].outboxID == Queued.beingKept, marked.contains(queue[index].number) {
                    state.lanes[counterparty]?.queue[index].outboxID = nil
                }
            }
            return Array(unattached.values)
        }
        await removeFromOutbox(unattached)
    }

    /// Removes the outbox rows of entries a lane is done with; a failure is logged (the rows are matched against
    /// the ledger at the next start and removed then).
    private func removeFromOutbox(_ ids: [Int64]) async {
        guard let outbox, !ids.isEmpty else { return }
        do {
            try await BlockingWork.run { try outbox.remove(ids) }
        } catch {
            logger.error("outbox rows not removed", metadata: ["rows": "\(ids.count)", "error": "\(error)"])
        }
    }

    private func updateBacklogMetric(_ counterparty: PartyID) {
        let count = state.withLock { $0.lanes[counterparty]?.queue.count ?? 0 }
        metrics?.ledgerBacklog(counterparty: counterparty, entries: count)
    }

    /// Appends through the counterparty's lane and returns once the entry is agreed: concurrent callers (a retail
    /// buyer with several requests in flight) are agreed in order, in batches, instead of proposing on the same
    /// head one round trip each.
    /// - Throws: what ended the entry's journey: the counterparty's refusal, `retryLimit` passing, or
    ///   `CancellationError` at shutdown.
    public func appendInOrder(_ record: LedgerRecord, at time: Instant) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            enqueue(Queued(record: record, time: time, queuedAt: Date(), waiter: continuation)) { work in
                Task { await work() }
            }
        }
    }

    /// Records entries on the internal ledger with the SOF, both copies here, in order, as one batch (one commit
    /// per copy), cut where a checkpoint falls due so that each count boundary gets its checkpoint.
    /// - Returns: how many, from the first, were recorded (at least one).
    /// - Throws: what the store threw on the first entry: it is logged and dropped from the lane, as a refused one is.
    private func recordInternal(_ records: [(LedgerRecord, Instant)]) async throws -> Int {
        guard !records.isEmpty, let sofKey else { return 0 }
        let ledger = try sofLedgerOpen()
        var count = records.count
        if checkpointInterval > 0 {
            count = min(count, Int(checkpointInterval - ledger.head.seq % checkpointInterval))
        }
        let drafts = records.prefix(count).map { record, time in
            EntryDraft(kind: record.kind, refs: record.refs, body: record.body, time: time.milliseconds)
        }
        let before = ledger.head.seq
        let agreed: [LedgerEntry]
        do {
            agreed = try await BlockingWork.run { [key] in try ledger.recordBatch(author: key.party, drafts) }
        } catch {
            // One copy may have committed the batch and the other not: reopen (the copies are made one again)
            // and count what the ledger now holds, so nothing is recorded twice or dropped as unrecorded.
            state.withLock { $0.sofLedger = nil }
            let recorded = Int((try? sofLedgerOpen().head.seq).map { $0 - min($0, before) } ?? 0)
            guard recorded > 0 else { throw error }
            for _ in 0..<recorded { metrics?.ledgerEntryAppended(counterparty: sofKey.party) }
            return min(recorded, drafts.count)
        }
        for _ in agreed { metrics?.ledgerEntryAppended(counterparty: sofKey.party) }
        // Recorded: a checkpoint that fails now is made at the next boundary, never a reason to record again.
        if let checkpoint = try? ledger.checkpointIfDue(every: checkpointInterval), let witness {
            await submitInternal(checkpoint, of: ledger, to: witness)
        }
        return agreed.count
    }

    /// Proposes, sends and commits one entry: `appendBatch` with a batch of one.
    /// - Throws: as `appendBatch`.
    public func append(_ record: LedgerRecord, at time: Instant) async throws {
        _ = try await appendBatch([(record, time)], with: record.counterparty)
    }

    /// Proposes `records` (all for `counterparty`) as one batch chained on the head, sends it, and commits the
    /// countersigned prefix in one transaction; on a conflict, catches up and proposes them again on the new head.
    /// Retries while the counterparty is unreachable, with back-off up to `maximumBackoff`, for at most `retryLimit`
    /// (nil: until it answers). A conflict that brings nothing new (the counterparty's copy is behind this one, or
    /// it has not yet seen the request an entry answers) is not retried at once: this side backs off exponentially,
    /// up to 5 s, for at most `retryLimit` — never a loop of proposals. Every conflict is counted.
    /// - Returns: how many of `records`, from the first, are agreed (at least one).
    /// - Throws: `NodeError(.ledger)` when the counterparty refuses the first entry, `.transport` or `.ledger` once
    ///   `retryLimit` has passed, `CancellationError` at shutdown.
    func appendBatch(_ records: [(LedgerRecord, Instant)], with counterparty: PartyID) async throws -> Int {
        let replica = try replica(with: counterparty)
        var drafts = records.map { record, time in
            EntryDraft(kind: record.kind, refs: record.refs, body: record.body, time: time.milliseconds)
        }
        let clock = ContinuousClock()
        // An answer is agreed after the request it answers: entries answering requests this copy does not hold yet
        // would be refused there. Only the prefix that can be taken is proposed; while not even the first entry
        // can, the lane waits for the counterparty's requests to be agreed here (its own lane proposes them), at
        // most `requestWait`, and then proposes anyway: a copy lagging behind the counterparty's learns so from the
        // conflict and catches up.
        var answerable = try replica.answerablePrefix(drafts)
        let waitUntil = clock.now + min(requestWait, retryLimit ?? requestWait)
        while answerable == 0, clock.now < waitUntil {
            let seen = replica.head.seq
            _ = try await Self.wait(
                for: min(waitUntil - clock.now, .milliseconds(100)), orUntil: { replica.head.seq != seen })
            answerable = try replica.answerablePrefix(drafts)
        }
        drafts = Array(drafts.prefix(max(answerable, 1)))
        var entries = try replica.proposeBatch(drafts)
        let giveUp = retryLimit.map { clock.now + $0 }
        var backoff = Duration.milliseconds(20)
        var waiting = Duration.milliseconds(2)
        while true {
            try Task.checkCancellation()
            // This copy moved past the proposal while it waited (the counterparty's entries won those seqs, or a
            // catch-up brought ours back): what is ours there is agreed; anything else makes the proposal stale, so
            // it is made again on the new head. Sent again as it was, a stale proposal could be countersigned by a
            // counterparty that restarted not knowing those seqs were taken: the two copies would fork.
            if let first = entries.first, replica.head.seq >= first.seq {
                let stored = try replica.entryHashes(from: first.seq, limit: entries.count)
                let agreed = zip(entries, stored).prefix { $0.entryHash == $1 }.count
                if agreed > 0 { return agreed }
                logger.debug(
                    "proposal overtaken while it waited; proposed again on the new head",
                    metadata: ["counterparty": "\(counterparty)", "seq": "\(first.seq)", "head": "\(replica.head.seq)"])
                entries = try replica.proposeBatch(drafts)
            }
            do {
                switch try await transport.proposeBatch(entries, to: counterparty) {
                case .countersigned(let agreed)
                where !agreed.isEmpty && agreed.count <= entries.count
                    && zip(agreed, entries).allSatisfy({ $0.entryHash == $1.entryHash }):
                    let before = replica.head.seq
                    crashPoint?.reach(.authorCountersigned, entries: agreed.filter { $0.seq > before }.count)
                    try await BlockingWork.run { try replica.commitBatch(agreed) }
                    if agreed.count < entries.count { replica.dropPending() }
                    for _ in agreed { metrics?.ledgerEntryAppended(counterparty: counterparty) }
                    // A checkpoint at the count boundary the batch crossed, else (time cadence) at its last entry.
                    if let last = agreed.last {
                        let boundary = checkpointInterval > 0 ? last.seq - last.seq % checkpointInterval : 0
                        if boundary > before, let entry = agreed.first(where: { $0.seq == boundary }) {
                            await checkpointIfDue(replica, at: boundary, time: entry.time)
                        } else {
                            await checkpointIfDue(replica, at: last.seq, time: last.time)
                        }
                    }
                    return agreed.count
                case .countersigned:
                    throw NodeError(.ledger, "\(counterparty) answered a batch with entries it was not sent")
                case .conflict(let head):
                    let before = replica.head.seq
                    // Entries to fetch only when the counterparty's copy is ahead of this one (when both proposed
                    // at once and its entry won, it is not: its entries come here as its own proposal).
                    if head.seq > before {
                        let missing = try await transport.entries(
                            of: replica.id, from: replica.head.seq + 1, at: counterparty)
                        try replica.catchUp(with: missing)
                    }
                    let progressed = replica.head.seq > before
                    metrics?.ledgerConflict(counterparty: counterparty, progressed: progressed)
                    if progressed {
                        // Proposed again on the new head at the top of the loop (unless the catch-up brought back
                        // this very proposal, agreed).
                        backoff = .milliseconds(20)
                        waiting = .milliseconds(2)
                        continue
                    }
                    // Nothing moved here either: the proposal stands as made (the same drafts on the same head
                    // would give the same entries and signatures), and goes again after the back-off.
                    guard giveUp.map({ clock.now < $0 }) ?? true else {
                        throw NodeError(
                            .ledger,
                            "\(counterparty)'s copy stays behind this one (its head \(head.seq), ours \(before))")
                    }
                    if waiting >= .seconds(1) { await spill(counterparty) }
                    logger.log(
                        level: waiting >= .seconds(1) ? .notice : .debug,
                        "nothing newer at the counterparty (its copy is behind, or it waits for a request); backing off",
                        metadata: ["counterparty": "\(counterparty)", "theirs": "\(head.seq)", "ours": "\(before)"])
                    // The counterparty's own entries (the requests these answers wait for) move this copy's head
                    // when they are agreed here: the lane goes again then, not at the end of its back-off.
                    if try await Self.wait(for: waiting, orUntil: { replica.head.seq != before }) {
                        waiting = .milliseconds(2)
                    } else {
                        waiting = min(waiting * 2, min(maximumBackoff, .seconds(5)))
                    }
                    continue
                }
            } catch let error as NodeError where error.code == .transport {
                guard giveUp.map({ clock.now < $0 }) ?? true else { throw error }
                await spill(counterparty)
                logger.debug(
                    "counterparty unreachable; retrying",
                    metadata: ["counterparty": "\(counterparty)", "error": "\(error)"])
            }
            try await Task.sleep(for: backoff)
            backoff = min(backoff * 2, maximumBackoff)
        }
    }

    /// Sleeps for `duration`, or less: until `moved` says so, looked at every twentieth of `duration` (at least
    /// every 5 ms, so a short wait ends within 5 ms of the move and a long one within a twentieth of it). Returns
    /// whether it ended early.
    static func wait(for duration: Duration, orUntil moved: () -> Bool) async throws -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + duration
        let step = max(duration / 20, .milliseconds(5))
        while !moved() {
            let left = end - clock.now
            guard left > .zero else { return false }
            try await Task.sleep(for: min(left, step))
        }
        return true
    }

    /// Catches this party's copy with `counterparty` up with the counterparty's; returns the entries added.
    public func catchUp(with counterparty: PartyID) async -> Int {
        guard let replica = try? replica(with: counterparty) else { return 0 }
        do {
            let missing = try await transport.entries(of: replica.id, from: replica.head.seq + 1, at: counterparty)
            return try replica.catchUp(with: missing)
        } catch {
            logger.warning(
                "ledger catch-up failed", metadata: ["counterparty": "\(counterparty)", "error": "\(error)"])
            return 0
        }
    }

    /// Catches every copy up with its counterparty's (after this node was down).
    /// - Returns: the number of entries added.
    public func catchUp() async -> Int {
        var added = 0
        // The internal ledger, if there is one, opened now: its copies are made one again at once after a crash.
        if let sofStore, (try? sofStore.ledgerIDs().isEmpty) == false {
            do {
                _ = try sofLedgerOpen()
            } catch {
                logger.error("internal ledger cannot be opened", metadata: ["error": "\(error)"])
            }
        }
        let ledgers = (try? store.ledgerIDs()) ?? []
        for id in ledgers {
            guard let header = try? store.header(of: id), let counterparty = header.counterparty(of: key.party),
                counterparty != sofKey?.party, let replica = try? replica(with: counterparty), replica.id == id
            else { continue }
            do {
                let missing = try await transport.entries(of: id, from: replica.head.seq + 1, at: counterparty)
                added += try replica.catchUp(with: missing)
            } catch {
                logger.warning(
                    "ledger catch-up failed", metadata: ["counterparty": "\(counterparty)", "error": "\(error)"])
            }
        }
        return added
    }

    /// After a restart (and after `catchUp`): proposes again every entry this party authored before it stopped
    /// that is not on its copy of the ledger — queued for the counterparty's countersignature when the process
    /// died, or not yet recorded on the internal ledger with the SOF.
    ///
    /// Two sources say what was authored: `records`, the entries the node's journal says it recorded, in order, and
    /// the outbox's rows (`spill`: each signed when kept; a row whose signature does not verify is logged and left
    /// out). An entry counts as on the ledger when one authored by this party has the same kind, refs and body
    /// (each such entry answers for one record). A journal record not on the ledger is proposed again with the
    /// outbox row of the same content, if any. A row left over is removed when its entry is on the ledger (the
    /// process died between the commit and the removal), and proposed when the journal does not know it (a
    /// quarantined input), after the journal's. Returns the number proposed again.
    public func reproposeMissing(
        _ records: [(LedgerRecord, Instant)], start: (@escaping @Sendable () async -> Void) -> Void
    ) -> Int {
        struct Key: Hashable {
            let kind: String
            let refs: [String: String]
            let body: JSONValue
            init(_ record: LedgerRecord) { (kind, refs, body) = (record.kind, record.refs, record.body) }
            init(_ entry: LedgerEntry) { (kind, refs, body) = (entry.kind, entry.refs, entry.body) }
        }
        var present: [PartyID: [Key: Int]] = [:]
        var unreadable: Set<PartyID> = []
        /// Loads what `counterparty`'s ledger holds of this party's entries, once; false when it cannot be read.
        func load(_ counterparty: PartyID) -> Bool {
            if unreadable.contains(counterparty) { return false }
            if present[counterparty] != nil { return true }
            do {
                let entries =
                    counterparty == sofKey?.party
                    ? try sofLedgerOpen().copy(of: key.party).entries()
                    : try replica(with: counterparty).entries()
                var counts: [Key: Int] = [:]
                for entry in entries where entry.author == key.party { counts[Key(entry), default: 0] += 1 }
                present[counterparty] = counts
                return true
            } catch {
                // Unreadable is not empty: proposing the whole history again could record it twice.
                logger.error(
                    "ledger unreadable at restart; its entries are not proposed again",
                    metadata: ["counterparty": "\(counterparty)", "error": "\(error)"])
                unreadable.insert(counterparty)
                return false
            }
        }
        var recorded: [PartyID: Set<Key>] = [:]
        var missing: [(record: LedgerRecord, time: Instant)] = []
        for (record, time) in records where load(record.counterparty) {
            let key = Key(record)
            recorded[record.counterparty, default: []].insert(key)
            if let count = present[record.counterparty]?[key], count > 0 {
                present[record.counterparty]?[key] = count - 1
            } else {
                missing.append((record, time))
            }
        }
        // The outbox's rows, by counterparty and content, oldest first.
        var rows: [PartyID: [Key: [EntryOutbox.Row]]] = [:]
        var rowOrder: [EntryOutbox.Row] = []
        if let outbox {
            do {
                let (kept, rejected) = try outbox.rows()
                for row in rejected {
                    logger.error(
                        "outbox row not proposed again", metadata: ["row": "\(row.id)", "reason": "\(row.reason)"])
                }
                for row in kept where load(row.record.counterparty) {
                    rows[row.record.counterparty, default: [:]][Key(row.record), default: []].append(row)
                    rowOrder.append(row)
                }
            } catch {
                logger.error(
                    "outbox unreadable at restart; the journal alone says what is proposed again",
                    metadata: ["error": "\(error)"])
            }
        }
        var proposed = 0
        var paired: Set<Int64> = []
        for (record, time) in missing {
            let key = Key(record)
            if let row = rows[record.counterparty]?[key]?.first {
                rows[record.counterparty]?[key]?.removeFirst()
                paired.insert(row.id)
                submit(record, at: row.time, outboxID: row.id, start: start)
            } else {
                submit(record, at: time, start: start)
            }
            proposed += 1
        }
        var agreed: [Int64] = []
        for row in rowOrder where !paired.contains(row.id) {
            let key = Key(row.record)
            if recorded[row.record.counterparty]?.contains(key) == true
                || (present[row.record.counterparty]?[key] ?? 0) > 0
            {
                agreed.append(row.id)
            } else {
                submit(row.record, at: row.time, outboxID: row.id, start: start)
                proposed += 1
            }
        }
        if let outbox, !agreed.isEmpty {
            do { try outbox.remove(agreed) } catch {
                logger.error("outbox rows not removed", metadata: ["rows": "\(agreed.count)", "error": "\(error)"])
            }
        }
        if proposed > 0 {
            logger.notice("ledger entries proposed again after a restart", metadata: ["entries": "\(proposed)"])
        }
        return proposed
    }

    /// Writes everything to disk.
    public func flush() throws {
        try store.flush()
        try sofStore?.flush()
    }
}

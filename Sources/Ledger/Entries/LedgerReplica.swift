import CanonicalJSON
import Foundation
import Synchronization

/// One party's copy of one bilateral ledger, and that party's half of the append protocol.
///
/// The protocol: the author `propose`s an entry on its head (author-signed, pending) and sends it; the
/// counterparty `receive`s it, verifies hash, chain and author signature, countersigns and stores it; the author
/// `commit`s the countersigned entry after verifying the countersignature. When both propose at the same seq,
/// the entry with the lower entry hash wins on both sides (a deterministic tie-break both copies compute alike);
/// the loser gets `.conflict`, and `rebase`s its entry on top of the winner. Thread-safe: the head, the pending
/// entry and the openers are behind one mutex, held across each protocol step.
public final class LedgerReplica: Sendable {
    /// The ledger's header.
    public let header: LedgerHeader
    /// The party holding this copy.
    public let holder: PartyID
    /// The other party.
    public let counterparty: PartyID
    /// Where this copy lives.
    public let store: any LedgerStore

    let key: PartyKey
    let counterpartyKey: Data
    /// What a countersignature vouches for beyond hash, chain and signature (nil: nothing more).
    public let rules: EntryRules?
    let state: Mutex<ReplicaState>

    /// What the protocol steps change, only touched with the mutex held.
    struct ReplicaState {
        var currentHead: LedgerHead
        var headTime: Int64
        var pendingEntry: LedgerEntry?
        /// This party's proposed batch not yet committed (`proposeBatch`), by seq: its entries need no re-hashing.
        var pendingBatch: [UInt64: LedgerEntry] = [:]
        /// Who opened each correlation on this ledger (`request:rq-7` → its buyer), built on first use.
        var openers: [String: PartyID]?
        /// While a batch step may still be undone (`mark()`): the openers it changed, each with what it was before
        /// (nil: absent), oldest first. Nil otherwise.
        var openerChanges: [(key: String, previous: PartyID?)]?

        mutating func advance(to entry: LedgerEntry, rules: EntryRules?) {
            currentHead = LedgerHead(seq: entry.seq, hash: entry.entryHash)
            headTime = max(headTime, entry.time)
            if let rules, openers != nil, let ref = rules.opens(entry.kind), let value = entry.refs[ref] {
                let key = "\(ref):\(value)"
                let previous = openers?.updateValue(entry.author, forKey: key)
                openerChanges?.append((key, previous))
            }
        }

        /// Where a batch step starts, to go back to if it fails: every field but the openers as it is now, and from
        /// here on a log of the openers' changes, undone one by one. (A copy of the whole state kept aside made the
        /// step's first change to the openers copy the table: every correlation ever opened on the ledger, once
        /// per batch.) End the step with `unmark()`.
        mutating func mark() -> Mark {
            openerChanges = []
            return Mark(
                currentHead: currentHead, headTime: headTime, pendingEntry: pendingEntry, pendingBatch: pendingBatch)
        }

        /// Back to `mark`, the openers' changes since undone; the step goes on from there.
        mutating func rollBack(to mark: Mark) {
            currentHead = mark.currentHead
            headTime = mark.headTime
            pendingEntry = mark.pendingEntry
            pendingBatch = mark.pendingBatch
            for change in (openerChanges ?? []).reversed() { openers?[change.key] = change.previous }
            openerChanges = []
        }

        /// The step is over: its changes stay, and are no longer logged.
        mutating func unmark() { openerChanges = nil }

        /// A batch step's starting point (`mark()`).
        struct Mark {
            let currentHead: LedgerHead
            let headTime: Int64
            let pendingEntry: LedgerEntry?
            let pendingBatch: [UInt64: LedgerEntry]
        }
    }

    /// Opens `key.party`'s copy of the ledger `header` in `store`, creating it there if needed.
    /// - Throws: `LedgerError(.unknownParty)` when the key's party is not a party of the ledger, `.invalidKey`
    ///   when the key differs from the header's, `.headerMismatch` when the store holds another header.
    public init(key: PartyKey, header: LedgerHeader, store: any LedgerStore, rules: EntryRules? = nil) throws {
        guard let counterparty = header.counterparty(of: key.party),
            let counterpartyKey = header.publicKey(of: counterparty)
        else { throw LedgerError(.unknownParty, "\(key.party) is not a party to ledger \(header.ledgerID)") }
        guard header.publicKey(of: key.party) == key.publicKey else {
            throw LedgerError(.invalidKey, "\(key.party)'s key differs from the ledger header's")
        }
        self.header = header
        self.holder = key.party
        self.counterparty = counterparty
        self.counterpartyKey = counterpartyKey
        self.key = key
        self.store = store
        self.rules = rules
        try store.createLedger(header, holder: key.party)
        let head = try store.head(of: header.ledgerID)
        let headTime = try store.entry(of: header.ledgerID, at: head.seq)?.time ?? Int64.min
        state = Mutex(ReplicaState(currentHead: head, headTime: headTime))
    }

    /// The ledger's id.
    public var id: LedgerID { header.ledgerID }

    /// The last agreed entry's seq and hash (0 and 64 zeros when empty).
    public var head: (seq: UInt64, hash: String) {
        let head = state.withLock { $0.currentHead }
        return (head.seq, head.hash)
    }

    /// The head as a value.
    public var ledgerHead: LedgerHead { state.withLock { $0.currentHead } }

    /// This party's proposed entry that is not yet committed, if any.
    public var pending: LedgerEntry? { state.withLock { $0.pendingEntry } }

    /// Whether `entry`, proposed by the counterparty, continues this party's own entries that the counterparty has
    /// countersigned but this copy has not committed yet: it starts past the head, right after an entry of this
    /// party's pending proposal, on that entry's hash. The counterparty chains on what it countersigned as soon as it
    /// stored it; this copy commits it once the answer has come back and its countersignatures are verified. Such a
    /// proposal is worth holding for that commit rather than answering with a conflict.
    public func continuesPendingProposal(_ entry: LedgerEntry) -> Bool {
        guard entry.ledgerID == id, entry.seq >= 2 else { return false }
        return state.withLock { state in
            guard entry.seq > state.currentHead.seq + 1 else { return false }
            let previous =
                state.pendingBatch[entry.seq - 1] ?? state.pendingEntry.flatMap { $0.seq == entry.seq - 1 ? $0 : nil }
            return previous?.entryHash == entry.prevHash
        }
    }

    /// How many of `drafts`, from the first, the counterparty could take now as far as the requests they answer
    /// go: the first entry that answers a request this copy does not hold yet (`EntryRules.Violation.Rule
    /// .requestNotSeen`; a request opened by an earlier draft counts) ends the prefix. All of them without rules.
    /// Agreed entries are the same on both copies, so a request missing here is missing there too, unless this
    /// copy lags the counterparty's.
    public func answerablePrefix(_ drafts: [EntryDraft]) throws -> Int {
        guard let rules else { return drafts.count }
        return try state.withLock { state in
            let openers = try loadOpeners(rules, in: &state)
            // Requests the drafts themselves open, beside the table (a copy of the table would copy all of it).
            var opened: [String: PartyID] = [:]
            for (index, draft) in drafts.enumerated() {
                let violation = rules.check(
                    kind: draft.kind, author: holder, refs: draft.refs, bodyBytes: 0, time: draft.time, now: nil,
                    opener: { opened["\($0):\($1)"] ?? openers["\($0):\($1)"] })
                if violation?.rule == .requestNotSeen { return index }
                if let ref = rules.opens(draft.kind), let value = draft.refs[ref] { opened["\(ref):\(value)"] = holder }
            }
            return drafts.count
        }
    }

    /// Proposes a new entry on top of this copy's head: hashed, author-signed, pending.
    ///
    /// `time` is raised to the head entry's time if earlier, so time never goes backwards along the chain.
    public func propose(kind: String, refs: [String: String], body: JSONValue, time: Int64) throws -> LedgerEntry {
        try state.withLock { state in
            let entry = try LedgerEntry.signed(
                by: key, ledgerID: id, seq: state.currentHead.seq + 1, prevHash: state.currentHead.hash,
                time: max(time, state.headTime),
                kind: kind, refs: refs, body: body)
            state.pendingEntry = entry
            return entry
        }
    }

    /// The counterparty side: verifies a proposed entry and, when it sits on this copy's head, countersigns and
    /// stores it.
    /// - Returns: `.countersigned` (send it back), `.conflict(head:)` when it is not on this head or loses the
    ///   tie-break against this party's own pending entry, `.alreadyStored` for a repeated delivery.
    /// - Parameter now: this party's clock (Unix milliseconds), for `rules`' bound on entry times.
    /// - Throws: `LedgerError` when the entry is not genuine: wrong ledger, not the counterparty's, bad hash,
    ///   bad author signature, time going backwards, or (`.notEntitled`) a rule of `rules` broken.
    public func receive(_ entry: LedgerEntry, now: Int64? = nil) throws -> ReceiveOutcome {
        try state.withLock { state in
            guard entry.ledgerID == id else {
                throw LedgerError(.wrongLedger, "entry of ledger \(entry.ledgerID) sent to \(id)")
            }
            if entry.seq <= state.currentHead.seq {
                if let stored = try store.entry(of: id, at: entry.seq), stored.entryHash == entry.entryHash {
                    return .alreadyStored(stored)
                }
                return .conflict(head: state.currentHead)
            }
            guard entry.seq == state.currentHead.seq + 1, entry.prevHash == state.currentHead.hash else {
                return .conflict(head: state.currentHead)
            }
            guard entry.author == counterparty else {
                throw LedgerError(.unknownParty, "\(holder) countersigns only \(counterparty)'s entries")
            }
            // The tie-break: the lower hash wins — unless this party's own entry answers a request not yet on the
            // ledger (the counterparty would only answer "not yet"), which would deadlock both lanes.
            if let mine = state.pendingEntry, mine.seq == entry.seq, mine.entryHash < entry.entryHash,
                try !awaitsRequest(mine, in: &state)
            {
                return .conflict(head: state.currentHead)
            }
            let hash = try verifiedHash(of: entry)
            guard Ed25519.verify(signature: entry.authorSignature, of: hash, publicKey: counterpartyKey) else {
                throw LedgerError(.badSignature, "entry \(entry.seq): author signature does not verify")
            }
            guard entry.time >= state.headTime else {
                throw LedgerError(.invalidField, "entry \(entry.seq): time goes backwards")
            }
            if let rules {
                let openers = try loadOpeners(rules, in: &state)
                if let violation = rules.check(
                    kind: entry.kind, author: entry.author, refs: entry.refs, bodyBytes: entry.bodyJSON.count,
                    time: entry.time, now: now, opener: { openers["\($0):\($1)"] })
                {
                    // Not yet: the request it answers is still on its way (the other lane); the author retries.
                    if violation.rule == .requestNotSeen { return .conflict(head: state.currentHead) }
                    throw LedgerError(.notEntitled, "entry \(entry.seq): \(violation)")
                }
            }
            var agreed = entry
            agreed.counterSignature = try key.sign(hash)
            try store.append([agreed], to: id)
            state.advance(to: agreed, rules: rules)
            return .countersigned(agreed)
        }
    }

    /// The author side: verifies the counterparty's countersignature on this party's entry and stores it.
    /// Committing an entry already stored is a no-op.
    /// - Throws: `LedgerError(.notOnHead)` when the head moved (rebase first), `.badSignature`, `.badEntryHash`.
    public func commit(_ countersigned: LedgerEntry) throws {
        try state.withLock { state in
            guard countersigned.ledgerID == id else {
                throw LedgerError(.wrongLedger, "entry of ledger \(countersigned.ledgerID) committed to \(id)")
            }
            if countersigned.seq <= state.currentHead.seq,
                let stored = try store.entry(of: id, at: countersigned.seq), stored.entryHash == countersigned.entryHash
            {
                return
            }
            guard countersigned.author == holder else {
                throw LedgerError(.unknownParty, "\(holder) commits only its own entries")
            }
            guard countersigned.seq == state.currentHead.seq + 1, countersigned.prevHash == state.currentHead.hash
            else {
                throw LedgerError(
                    .notOnHead, "entry \(countersigned.seq) is not on head \(state.currentHead); rebase it")
            }
            // This party's own pending entry was hashed when proposed: an identical entry needs no re-hashing.
            var unsigned = countersigned
            unsigned.counterSignature = nil
            let isMine = state.pendingEntry == unsigned || state.pendingBatch[unsigned.seq] == unsigned
            let hash = isMine ? countersigned.entryHashBytes ?? Data() : try verifiedHash(of: countersigned)
            guard isMine || Ed25519.verify(signature: countersigned.authorSignature, of: hash, publicKey: key.publicKey)
            else { throw LedgerError(.badSignature, "entry \(countersigned.seq): author signature does not verify") }
            guard let counterSignature = countersigned.counterSignature else {
                throw LedgerError(.notCountersigned, "entry \(countersigned.seq) is not countersigned")
            }
            guard Ed25519.verify(signature: counterSignature, of: hash, publicKey: counterpartyKey) else {
                throw LedgerError(.badSignature, "entry \(countersigned.seq): countersignature does not verify")
            }
            try store.append([countersigned], to: id)
            state.advance(to: countersigned, rules: rules)
            if isMine {
                if state.pendingEntry?.seq == countersigned.seq { state.pendingEntry = nil }
                state.pendingBatch.removeValue(forKey: countersigned.seq)
            }
        }
    }

    /// The loser of a race: stores the agreed entries it is missing (each fully verified), then re-sequences and
    /// re-signs its pending entry on the new head (its time raised to the head's time if earlier).
    /// - Parameters:
    ///   - agreed: countersigned entries from the counterparty's copy, in any order; ones already stored must
    ///     be identical to the stored ones.
    ///   - pending: this party's entry to move on top.
    /// - Returns: the new pending entry, to send again.
    /// - Throws: `LedgerError(.divergence)` when an agreed entry differs from the stored one at its seq.
    public func rebase(onto agreed: [LedgerEntry], pending: LedgerEntry) throws -> LedgerEntry {
        try state.withLock { state in
            try storeAgreed(agreed, in: &state)
            guard pending.author == holder else {
                throw LedgerError(.unknownParty, "\(holder) rebases only its own entries")
            }
            let entry = try LedgerEntry.signed(
                by: key, ledgerID: id, seq: state.currentHead.seq + 1, prevHash: state.currentHead.hash,
                time: max(pending.time, state.headTime), kind: pending.kind, refs: pending.refs, body: pending.body)
            state.pendingEntry = entry
            return entry
        }
    }

    /// A copy that was behind (its holder was down): stores the agreed entries it is missing, each fully verified.
    /// - Returns: how many entries were added.
    /// - Throws: `LedgerError(.divergence)` when an agreed entry differs from the stored one at its seq.
    @discardableResult
    public func catchUp(with agreed: [LedgerEntry]) throws -> Int {
        try state.withLock { state in
            let before = state.currentHead.seq
            try storeAgreed(agreed, in: &state)
            return Int(state.currentHead.seq - before)
        }
    }

    /// Agreed entries with `seq >= from`, to send to a counterparty that is behind.
    public func entries(from seq: UInt64 = 1) throws -> [LedgerEntry] {
        try store.entries(of: id, from: seq, limit: Int.max)
    }

    /// The hashes of the agreed entries with `seq >= from`, at most `limit` of them (`LedgerStore.entryHashes`).
    public func entryHashes(from seq: UInt64, limit: Int = .max) throws -> [String] {
        try store.entryHashes(of: id, from: seq, limit: limit)
    }

    // MARK: - Private, called with the mutex held (they take its state)

    func storeAgreed(_ agreed: [LedgerEntry], in state: inout ReplicaState) throws {
        for entry in agreed.sorted(by: { $0.seq < $1.seq }) {
            if entry.seq <= state.currentHead.seq {
                guard let stored = try store.entry(of: id, at: entry.seq), stored.entryHash == entry.entryHash
                else {
                    throw LedgerError(.divergence, "entry \(entry.seq) differs from this copy's")
                }
                continue
            }
            guard entry.ledgerID == id, entry.seq == state.currentHead.seq + 1, entry.prevHash == state.currentHead.hash
            else {
                throw LedgerError(.notOnHead, "entry \(entry.seq) does not continue head \(state.currentHead)")
            }
            try verifyAgreed(entry, headTime: state.headTime)
            try store.append([entry], to: id)
            state.advance(to: entry, rules: rules)
        }
    }

    /// True when `entry` answers a request that is not on this copy yet (`EntryRules.Violation.requestNotSeen`).
    func awaitsRequest(_ entry: LedgerEntry, in state: inout ReplicaState) throws -> Bool {
        guard let rules else { return false }
        let openers = try loadOpeners(rules, in: &state)
        let violation = rules.check(
            kind: entry.kind, author: entry.author, refs: entry.refs, bodyBytes: 0, time: entry.time, now: nil,
            opener: { openers["\($0):\($1)"] })
        return violation?.rule == .requestNotSeen
    }

    func loadOpeners(_ rules: EntryRules, in state: inout ReplicaState) throws -> [String: PartyID] {
        if let openers = state.openers { return openers }
        var found: [String: PartyID] = [:]
        for entry in try store.entries(of: id, from: 1, limit: Int.max) {
            if let ref = rules.opens(entry.kind), let value = entry.refs[ref] {
                found["\(ref):\(value)"] = entry.author
            }
        }
        state.openers = found
        return found
    }

    private func verifiedHash(of entry: LedgerEntry) throws -> Data {
        let hash = entry.computeHash()
        guard entry.entryHashBytes == hash else {
            throw LedgerError(.badEntryHash, "entry \(entry.seq): entry hash does not match its fields")
        }
        return hash
    }

    private func verifyAgreed(_ entry: LedgerEntry, headTime: Int64) throws {
        let hash = try verifiedHash(of: entry)
        guard let authorKey = header.publicKey(of: entry.author), let signer = header.counterparty(of: entry.author),
            let signerKey = header.publicKey(of: signer)
        else { throw LedgerError(.unknownParty, "entry \(entry.seq): author \(entry.author) is not a party") }
        guard Ed25519.verify(signature: entry.authorSignature, of: hash, publicKey: authorKey) else {
            throw LedgerError(.badSignature, "entry \(entry.seq): author signature does not verify")
        }
        guard let counterSignature = entry.counterSignature,
            Ed25519.verify(signature: counterSignature, of: hash, publicKey: signerKey)
        else { throw LedgerError(.badSignature, "entry \(entry.seq): countersignature missing or bad") }
        guard entry.time >= headTime else {
            throw LedgerError(.invalidField, "entry \(entry.seq): time goes backwards")
        }
    }
}

import CanonicalJSON
import Dispatch
import Foundation
import Synchronization

/// An entry to propose, before it is sequenced and signed.
public struct EntryDraft: Sendable, Hashable {
    public let kind: String
    public let refs: [String: String]
    public let body: JSONValue
    /// Unix milliseconds; raised to the head's time if earlier.
    public let time: Int64

    public init(kind: String, refs: [String: String], body: JSONValue, time: Int64) {
        self.kind = kind
        self.refs = refs
        self.body = body
        self.time = time
    }
}

/// What the receiving copy did with a proposed batch.
public enum BatchReceiveOutcome: Sendable, Hashable {
    /// The first `entries.count` entries of the batch were verified, countersigned and stored in one transaction
    /// (a repeated delivery returns the stored ones); the rest, if any, were not taken: the first of them conflicts,
    /// waits for a request not yet here, or breaks a rule — the author proposes them again, and a refusal then comes
    /// back for that entry alone.
    case countersigned([LedgerEntry])
    /// The batch's first entry does not sit on this copy's head: here is the head.
    case conflict(head: LedgerHead)
}

/// Batched agreement (group commit): the author proposes every entry it has waiting, chained on its head, in one
/// message; the counterparty verifies the batch (hashes and author signatures on every core), countersigns and
/// stores it in one transaction and answers once; the author verifies the countersignatures and commits them in one
/// transaction. Each entry is the same entry the one-at-a-time protocol would have made — same chain, same
/// signatures, same tie-break on the first entry — so copies made either way audit alike.
extension LedgerReplica {
    /// The largest batch a copy takes in one proposal.
    public static let largestBatch = 256

    /// Proposes `drafts` chained on this copy's head: each hashed (in chain order) and author-signed (on every
    /// core), the batch pending. Times never go backwards along the chain (each raised to the one before it if
    /// earlier).
    public func proposeBatch(_ drafts: [EntryDraft]) throws -> [LedgerEntry] {
        try state.withLock { state in
            var seq = state.currentHead.seq
            var prevHash = state.currentHead.hash
            var time = state.headTime
            var entries: [LedgerEntry] = []
            var hashes: [Data] = []
            entries.reserveCapacity(drafts.count)
            hashes.reserveCapacity(drafts.count)
            for draft in drafts {
                seq += 1
                time = max(draft.time, time)
                let (entry, hash) = try LedgerEntry.hashed(
                    by: holder, ledgerID: id, seq: seq, prevHash: prevHash, time: time, kind: draft.kind,
                    refs: draft.refs, body: draft.body)
                entries.append(entry)
                hashes.append(hash)
                prevHash = entry.entryHash
            }
            for (index, signature) in Self.sign(hashes, with: key).enumerated() {
                entries[index].authorSignature = try signature.get()
            }
            state.pendingEntry = entries.first
            state.pendingBatch = Dictionary(uniqueKeysWithValues: entries.map { ($0.seq, $0) })
            return entries
        }
    }

    /// The counterparty side of a batch: verifies the proposed entries in order, each on the one before, and
    /// countersigns and stores the longest acceptable prefix in one transaction.
    /// - Throws: `LedgerError` when the batch's first entry is not genuine or breaks a rule (nothing is stored);
    ///   a later entry that does is left out of the prefix, to be refused alone when proposed again.
    public func receiveBatch(_ entries: [LedgerEntry], now: Int64? = nil) throws -> BatchReceiveOutcome {
        try receiveBatch(entries, now: now, signedHere: false)
    }

    /// `receiveBatch(_:now:)`; `signedHere` when this process made the author signatures itself a moment before
    /// (`BilateralLedger` holding both keys): they are taken without being verified again.
    func receiveBatch(_ entries: [LedgerEntry], now: Int64?, signedHere: Bool) throws -> BatchReceiveOutcome {
        guard !entries.isEmpty else { return .countersigned([]) }
        guard entries.count <= Self.largestBatch else {
            throw LedgerError(.invalidField, "a batch of \(entries.count) entries; at most \(Self.largestBatch)")
        }
        // A batch that cannot sit on this copy's head is answered at once, before its signatures are verified: the
        // answer is the same (the loop below returns it before any signature counts), and a busy ledger with two
        // authors sees many — an author whose entries were just countersigned here proposes its next batch on them
        // before this copy's own author has committed what it proposed.
        if let first = entries.first, first.ledgerID == id {
            let head = state.withLock { $0.currentHead }
            if first.seq > head.seq + 1 || (first.seq == head.seq + 1 && first.prevHash != head.hash) {
                return .conflict(head: head)
            }
        }
        // Hashes and author signatures do not depend on the chain: checked on every core before the lock, and each
        // genuine entry countersigned in the same pass. Only the prefix taken below gets its countersignatures
        // stored and sent; one made for an entry then left out is dropped.
        let (publicKey, key) = (counterpartyKey, key)
        let checked = Self.concurrentMap(entries) { entry -> CheckedProposal in
            let hash: Result<Data, LedgerError> =
                signedHere
                ? entry.entryHashBytes.map { .success($0) }
                    ?? .failure(LedgerError(.badEntryHash, "entry \(entry.seq): entry hash is not 64 hex digits"))
                : Self.verifyAuthorSignature(entry, publicKey: publicKey)
            guard case .success(let bytes) = hash else { return CheckedProposal(hash: hash, countersignature: nil) }
            return CheckedProposal(hash: hash, countersignature: Result { try key.sign(bytes) })
        }
        return try state.withLock { state in
            let saved = state.mark()
            defer { state.unmark() }
            var agreed: [LedgerEntry] = []
            var countersignatures: [Result<Data, any Error>] = []
            var stored: [LedgerEntry] = []
            entryLoop: for (index, entry) in entries.enumerated() {
                do {
                    guard entry.ledgerID == id else {
                        throw LedgerError(.wrongLedger, "entry of ledger \(entry.ledgerID) sent to \(id)")
                    }
                    if entry.seq <= state.currentHead.seq {
                        // A repeated delivery of entries already stored (never of ones agreed in this batch).
                        guard agreed.isEmpty, let copy = try store.entry(of: id, at: entry.seq),
                            copy.entryHash == entry.entryHash
                        else {
                            if index == 0 { return .conflict(head: state.currentHead) }
                            break entryLoop
                        }
                        stored.append(copy)
                        continue
                    }
                    guard entry.seq == state.currentHead.seq + 1, entry.prevHash == state.currentHead.hash else {
                        if index == 0 { return .conflict(head: state.currentHead) }
                        break entryLoop
                    }
                    guard entry.author == counterparty else {
                        throw LedgerError(.unknownParty, "\(holder) countersigns only \(counterparty)'s entries")
                    }
                    if index == 0, let mine = state.pendingEntry, mine.seq == entry.seq,
                        mine.entryHash < entry.entryHash, try !awaitsRequest(mine, in: &state)
                    {
                        return .conflict(head: state.currentHead)
                    }
                    _ = try checked[index].hash.get()
                    guard entry.time >= state.headTime else {
                        throw LedgerError(.invalidField, "entry \(entry.seq): time goes backwards")
                    }
                    if let rules {
                        let openers = try loadOpeners(rules, in: &state)
                        if let violation = rules.check(
                            kind: entry.kind, author: entry.author, refs: entry.refs,
                            bodyBytes: entry.bodyJSON.count, time: entry.time, now: now,
                            opener: { openers["\($0):\($1)"] })
                        {
                            if violation.rule == .requestNotSeen {
                                if index == 0 { return .conflict(head: state.currentHead) }
                                break entryLoop
                            }
                            throw LedgerError(.notEntitled, "entry \(entry.seq): \(violation)")
                        }
                    }
                    agreed.append(entry)
                    countersignatures.append(checked[index].countersignature!)
                    state.advance(to: entry, rules: rules)
                } catch {
                    // The first entry's refusal is the batch's; a later one's waits for its own proposal.
                    if index == 0 {
                        state.rollBack(to: saved)
                        throw error
                    }
                    break entryLoop
                }
            }
            do {
                // The prefix is settled: its countersignatures attached, then stored in one transaction. A
                // signature that failed ends the prefix there, as a refusal would (the first entry's is the batch's).
                for (index, signature) in countersignatures.enumerated() {
                    do {
                        agreed[index].counterSignature = try signature.get()
                    } catch  where index > 0 {
                        agreed.removeSubrange(index...)
                        state.rollBack(to: saved)
                        for entry in agreed { state.advance(to: entry, rules: rules) }
                        break
                    }
                }
                try store.append(agreed, to: id)
            } catch {
                state.rollBack(to: saved)
                throw error
            }
            return .countersigned(stored + agreed)
        }
    }

    /// The author side of a batch: verifies every countersignature and commits the entries in one transaction.
    /// Entries already stored are skipped.
    /// - Throws: `LedgerError(.notOnHead)` when the first new entry does not continue the head, `.badSignature`
    ///   when a countersignature does not verify (nothing is stored then).
    public func commitBatch(_ countersigned: [LedgerEntry]) throws {
        try commitBatch(countersigned, signedHere: false)
    }

    /// `commitBatch(_:)`; `signedHere` when this process made the countersignatures itself a moment before
    /// (`BilateralLedger` holding both keys): they are taken without being verified again.
    func commitBatch(_ countersigned: [LedgerEntry], signedHere: Bool) throws {
        let checked =
            signedHere
            ? countersigned.map { entry in
                entry.counterSignature == nil
                    ? .failure(LedgerError(.notCountersigned, "entry \(entry.seq) is not countersigned")) : .success(())
            }
            : Self.verifyCountersignatures(countersigned, publicKey: counterpartyKey)
        try state.withLock { state in
            let saved = state.mark()
            defer { state.unmark() }
            var fresh: [LedgerEntry] = []
            do {
                for (index, entry) in countersigned.enumerated() {
                    guard entry.ledgerID == id else {
                        throw LedgerError(.wrongLedger, "entry of ledger \(entry.ledgerID) committed to \(id)")
                    }
                    if entry.seq <= state.currentHead.seq, fresh.isEmpty,
                        let stored = try store.entry(of: id, at: entry.seq), stored.entryHash == entry.entryHash
                    {
                        continue
                    }
                    guard entry.author == holder else {
                        throw LedgerError(.unknownParty, "\(holder) commits only its own entries")
                    }
                    guard entry.seq == state.currentHead.seq + 1, entry.prevHash == state.currentHead.hash else {
                        throw LedgerError(
                            .notOnHead, "entry \(entry.seq) is not on head \(state.currentHead); rebase it")
                    }
                    var unsigned = entry
                    unsigned.counterSignature = nil
                    // This party's own pending entries were hashed and signed here; anything else is verified.
                    if state.pendingBatch[entry.seq] != unsigned {
                        let hash = try verifiedHashOf(entry)
                        guard Ed25519.verify(signature: entry.authorSignature, of: hash, publicKey: key.publicKey)
                        else {
                            throw LedgerError(.badSignature, "entry \(entry.seq): author signature does not verify")
                        }
                    }
                    try checked[index].get()
                    guard entry.time >= state.headTime else {
                        throw LedgerError(.invalidField, "entry \(entry.seq): time goes backwards")
                    }
                    fresh.append(entry)
                    state.advance(to: entry, rules: rules)
                    state.pendingBatch.removeValue(forKey: entry.seq)
                    if state.pendingEntry?.seq == entry.seq { state.pendingEntry = nil }
                }
                try store.append(fresh, to: id)
            } catch {
                state.rollBack(to: saved)
                throw error
            }
        }
    }

    /// Forgets the pending batch (its entries were not all taken: they are proposed again from their drafts).
    public func dropPending() {
        state.withLock { state in
            state.pendingEntry = nil
            state.pendingBatch = [:]
        }
    }

    /// Each entry's hash, checked against its fields, with its author signature verified: on every core for a
    /// batch worth it.
    /// A proposed entry as checked before the lock: its hash (or why it is not genuine), and this copy's
    /// countersignature over it when it is.
    struct CheckedProposal: Sendable {
        let hash: Result<Data, LedgerError>
        let countersignature: Result<Data, any Error>?
    }

    /// The entry's hash, checked against its fields, when its author signature verifies over it.
    static func verifyAuthorSignature(_ entry: LedgerEntry, publicKey: Data) -> Result<Data, LedgerError> {
        let hash = entry.computeHash()
        guard entry.entryHashBytes == hash else {
            return .failure(LedgerError(.badEntryHash, "entry \(entry.seq): entry hash does not match its fields"))
        }
        guard Ed25519.verify(signature: entry.authorSignature, of: hash, publicKey: publicKey) else {
            return .failure(LedgerError(.badSignature, "entry \(entry.seq): author signature does not verify"))
        }
        return .success(hash)
    }

    /// Each entry's countersignature verified over its hash (which the author computed itself when it proposed it,
    /// or checks against the fields in `commitBatch`).
    static func verifyCountersignatures(_ entries: [LedgerEntry], publicKey: Data) -> [Result<Void, LedgerError>] {
        concurrentMap(entries) { entry in
            guard let signature = entry.counterSignature else {
                return .failure(LedgerError(.notCountersigned, "entry \(entry.seq) is not countersigned"))
            }
            guard let hash = entry.entryHashBytes, Ed25519.verify(signature: signature, of: hash, publicKey: publicKey)
            else { return .failure(LedgerError(.badSignature, "entry \(entry.seq): countersignature does not verify")) }
            return .success(())
        }
    }

    /// Each hash signed with `key`, on every core for a batch worth it.
    static func sign(_ hashes: [Data], with key: PartyKey) -> [Result<Data, any Error>] {
        concurrentMap(hashes) { hash in Result { try key.sign(hash) } }
    }

    /// `transform` of every element, on every core when there are enough of them, in order.
    static func concurrentMap<Element: Sendable, Value: Sendable>(
        _ elements: [Element], _ transform: @Sendable (Element) -> Value
    ) -> [Value] {
        ParallelMap.map(count: elements.count, serialBelow: 8) { transform(elements[$0]) }
    }

    /// The entry's hash, checked against its fields.
    func verifiedHashOf(_ entry: LedgerEntry) throws -> Data {
        let hash = entry.computeHash()
        guard entry.entryHashBytes == hash else {
            throw LedgerError(.badEntryHash, "entry \(entry.seq): entry hash does not match its fields")
        }
        return hash
    }
}

import CanonicalJSON
import Foundation
import Synchronization

/// Both copies of one bilateral ledger in one process, as the simulator uses them: `record` runs the whole
/// append protocol (propose → receive and countersign → commit), so both copies are identical after each call.
///
/// The two copies must live in two different stores (a store holds one copy per ledger id).
public final class BilateralLedger: Sendable {
    /// The ledger's header (parties, keys, nonce).
    public let header: LedgerHeader
    private let replicaA: LedgerReplica
    private let replicaB: LedgerReplica
    private let keyA: PartyKey
    private let keyB: PartyKey
    /// Whether each copy verifies the signatures the other made (see `init`).
    private let verifiesSignatures: Bool
    /// The tree of the agreed entries as they are recorded, to checkpoint without reading them back.
    private let tree = Mutex(Tree())

    /// The growing tree and what was last checkpointed; `frontier` is `nil` until known (a ledger opened on
    /// entries recorded earlier, or records that overlapped), then rebuilt from the store.
    private struct Tree {
        var frontier: MerkleFrontier? = MerkleFrontier()
        var headTime: Int64?
        var checkpointedSize: UInt64 = 0
    }

    /// Opens (or creates) the ledger between the two key holders, each copy in its own store.
    /// - Parameter verifiesSignatures: false where one process holds both keys as one provider (its internal ledger
    ///   between SCO and SOF): a batch's signatures, made by this process a moment before, are then stored without
    ///   each copy verifying them again (the chain and the entry rules are still checked; `broker audit`
    ///   verifies every signature and hash). The simulator, which stands for two parties, keeps it true.
    /// - Throws: `LedgerError(.invalidPartyID)` for invalid or equal parties, `.storage` when both stores are the
    ///   same object, `.headerMismatch` when a store holds this ledger id with other keys.
    public init(
        partyA: PartyKey, partyB: PartyKey, genesisNonce: Data, storeA: any LedgerStore, storeB: any LedgerStore,
        created: Int64 = 0, verifiesSignatures: Bool = true
    ) throws {
        guard storeA !== storeB else {
            throw LedgerError(.storage, "the two copies of a ledger need two different stores")
        }
        header = try LedgerHeader(
            partyA.party, publicKey: partyA.publicKey, partyB.party, publicKey: partyB.publicKey,
            genesisNonce: genesisNonce, created: created)
        keyA = partyA
        keyB = partyB
        self.verifiesSignatures = verifiesSignatures
        replicaA = try LedgerReplica(key: partyA, header: header, store: storeA)
        replicaB = try LedgerReplica(key: partyB, header: header, store: storeB)
        if replicaA.ledgerHead.seq > 0 { tree.withLock { $0.frontier = nil } }
    }

    /// The ledger's id.
    public var id: LedgerID { header.ledgerID }

    /// Makes the two copies identical again when one is a strict prefix of the other: what a crash between the
    /// receiver's commit and the author's in `record` leaves. The shorter copy takes the entries it lacks, each
    /// verified as in a catch-up.
    /// - Returns: how many entries were copied.
    /// - Throws: `LedgerError(.notOnHead)` when the copies differ on their common prefix.
    @discardableResult
    public func reconcileCopies() throws -> Int {
        let (headA, headB) = (replicaA.ledgerHead.seq, replicaB.ledgerHead.seq)
        guard headA != headB else { return 0 }
        let (short, long) = headA < headB ? (replicaA, replicaB) : (replicaB, replicaA)
        let added = try short.catchUp(with: try long.entries(from: short.ledgerHead.seq + 1))
        tree.withLock { $0.frontier = nil }
        return added
    }

    /// Records entries written by `author` in both copies as one batch: proposed, countersigned and committed with
    /// one transaction per copy (`LedgerReplica.proposeBatch`), so a party recording many entries at once pays
    /// one commit per copy, not one per entry. At most `LedgerReplica.largestBatch` drafts.
    /// - Returns: the agreed entries, in order: all of them, or the prefix the receiving copy took (the first entry
    ///   it would not take is proposed again by the caller, and refused alone).
    /// - Throws: `LedgerError(.unknownParty)` when `author` is not a party, `.divergence` when the copies are out
    ///   of step or the receiving copy took none; storage errors.
    @discardableResult
    public func recordBatch(author: PartyID, _ drafts: [EntryDraft]) throws -> [LedgerEntry] {
        guard !drafts.isEmpty else { return [] }
        let (authorCopy, receiverCopy) = try replicas(author: author)
        let proposed = try authorCopy.proposeBatch(drafts)
        switch try receiverCopy.receiveBatch(proposed, now: nil, signedHere: !verifiesSignatures) {
        case .countersigned(let agreed)
        where !agreed.isEmpty && agreed.count <= proposed.count
            && agreed.map(\.entryHash) == proposed.prefix(agreed.count).map(\.entryHash):
            try authorCopy.commitBatch(agreed, signedHere: !verifiesSignatures)
            if agreed.count < proposed.count { authorCopy.dropPending() }
            tree.withLock { tree in
                tree.headTime = agreed.last?.time
                for entry in agreed {
                    guard tree.frontier?.size == entry.seq - 1 else {
                        tree.frontier = nil
                        break
                    }
                    tree.frontier?.append(leafHash: MerkleTree.leafHashes(of: [entry])[0])
                }
            }
            return agreed
        case .countersigned:
            authorCopy.dropPending()
            throw LedgerError(.divergence, "the receiving copy took none of a local batch of \(proposed.count)")
        case .conflict(let head):
            authorCopy.dropPending()
            throw LedgerError(
                .divergence, "copies out of step: receiver head \(head), author head \(authorCopy.ledgerHead)")
        }
    }

    /// Records an agreed entry written by `author`, signed and countersigned, in both copies.
    /// - Throws: `LedgerError(.unknownParty)` when `author` is not a party; storage errors.
    @discardableResult
    public func record(
        author: PartyID, kind: String, refs: [String: String], body: JSONValue, time: Int64
    ) throws
        -> LedgerEntry
    {
        let (authorCopy, receiverCopy) = try replicas(author: author)
        let proposed = try authorCopy.propose(kind: kind, refs: refs, body: body, time: time)
        switch try receiverCopy.receive(proposed) {
        case .countersigned(let agreed), .alreadyStored(let agreed):
            try authorCopy.commit(agreed)
            tree.withLock { tree in
                tree.headTime = agreed.time
                guard tree.frontier?.size == agreed.seq - 1 else { return tree.frontier = nil }
                tree.frontier?.append(leafHash: MerkleTree.leafHashes(of: [agreed])[0])
            }
            return agreed
        case .conflict(let head):
            throw LedgerError(
                .divergence, "copies out of step: receiver head \(head), author head \(authorCopy.ledgerHead)")
        }
    }

    /// The hash of the last agreed entry (64 zeros when empty).
    public var headHash: String { replicaA.ledgerHead.hash }

    /// The last agreed entry's seq and hash.
    public var head: LedgerHead { replicaA.ledgerHead }

    /// `party`'s copy. `party` must be one of the two parties.
    public func copy(of party: PartyID) -> LedgerReplica {
        precondition(party == replicaA.holder || party == replicaB.holder, "\(party) is not a party to \(id)")
        return party == replicaA.holder ? replicaA : replicaB
    }

    /// A checkpoint of the current head signed by both parties and saved in both stores (after their buffered
    /// entries, so a stored checkpoint never covers more than the stored copy).
    public func checkpoint(time: Int64?) throws -> Checkpoint {
        try replicaA.store.flush()
        try replicaB.store.flush()
        let known = tree.withLock { $0.frontier }
        let frontier: MerkleFrontier
        if let known, known.size == replicaA.ledgerHead.seq {
            frontier = known
        } else {
            frontier = MerkleFrontier(
                leafHashes: MerkleTree.leafHashes(
                    ofEntryHashes: try replicaA.store.entryHashes(of: id, from: 1, limit: .max)))
            tree.withLock { $0.frontier = frontier }
        }
        var checkpoint = Checkpoint(ledgerID: id, size: frontier.size, root: frontier.root, time: time)
        for key in [keyA, keyB].sorted(by: { $0.party < $1.party }) { try checkpoint.sign(with: key) }
        try replicaA.store.saveCheckpoint(checkpoint, of: id)
        try replicaB.store.saveCheckpoint(checkpoint, of: id)
        tree.withLock { $0.checkpointedSize = max($0.checkpointedSize, checkpoint.size) }
        return checkpoint
    }

    /// Checkpoints the head (as `checkpoint(time:)`, stamped with the last recorded entry's time) when it is a
    /// multiple of `interval` entries, or with `interval` nil whenever entries were recorded since this object's
    /// last checkpoint: the cadence of `Checkpoint.interval` entries and the end of a run.
    /// - Returns: the checkpoint made, or `nil` when none was due.
    @discardableResult
    public func checkpointIfDue(every interval: UInt64? = nil) throws -> Checkpoint? {
        let (size, time, checkpointed) = tree.withLock { tree in
            (tree.frontier?.size ?? replicaA.ledgerHead.seq, tree.headTime, tree.checkpointedSize)
        }
        guard size > checkpointed else { return nil }
        if let interval, interval == 0 || size % interval != 0 { return nil }
        return try checkpoint(time: time)
    }

    private func replicas(author: PartyID) throws -> (LedgerReplica, LedgerReplica) {
        if author == replicaA.holder { return (replicaA, replicaB) }
        if author == replicaB.holder { return (replicaB, replicaA) }
        throw LedgerError(.unknownParty, "\(author) is not a party to ledger \(id)")
    }
}

import CanonicalJSON
import Foundation

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

    /// Opens (or creates) the ledger between the two key holders, each copy in its own store.
    /// - Throws: `LedgerError(.invalidPartyID)` for invalid or equal parties, `.storage` when both stores are the
    ///   same object, `.headerMismatch` when a store holds this ledger id with other keys.
    public init(
        partyA: PartyKey, partyB: PartyKey, genesisNonce: Data, storeA: any LedgerStore, storeB: any LedgerStore,
        created: Int64 = 0
    ) throws {
        guard storeA !== storeB else {
            throw LedgerError(.storage, "the two copies of a ledger need two different stores")
        }
        header = try LedgerHeader(
            partyA.party, publicKey: partyA.publicKey, partyB.party, publicKey: partyB.publicKey,
            genesisNonce: genesisNonce, created: created)
        keyA = partyA
        keyB = partyB
        replicaA = try LedgerReplica(key: partyA, header: header, store: storeA)
        replicaB = try LedgerReplica(key: partyB, header: header, store: storeB)
    }

    /// The ledger's id.
    public var id: LedgerID { header.ledgerID }

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

    /// A checkpoint of the current head signed by both parties and saved in both stores.
    public func checkpoint(time: Int64?) throws -> Checkpoint {
        try replicaA.store.flush()
        let entries = try replicaA.store.entries(of: id)
        var checkpoint = Checkpoint(
            ledgerID: id, size: UInt64(entries.count),
            root: MerkleTree.root(leafHashes: MerkleTree.leafHashes(of: entries)),
            time: time)
        for key in [keyA, keyB].sorted(by: { $0.party < $1.party }) { try checkpoint.sign(with: key) }
        try replicaA.store.saveCheckpoint(checkpoint, of: id)
        try replicaB.store.saveCheckpoint(checkpoint, of: id)
        return checkpoint
    }

    private func replicas(author: PartyID) throws -> (LedgerReplica, LedgerReplica) {
        if author == replicaA.holder { return (replicaA, replicaB) }
        if author == replicaB.holder { return (replicaB, replicaA) }
        throw LedgerError(.unknownParty, "\(author) is not a party to ledger \(id)")
    }
}

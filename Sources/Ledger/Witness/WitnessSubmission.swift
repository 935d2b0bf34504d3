import Foundation

/// What a party sends a witness: a checkpoint both parties signed, the RFC 9162 consistency proof from the last
/// checkpoint the witness holds of that ledger (its size is on `GET /witness/v1/ledgers/{id}`) to this one, and
/// the ledger's header, so the witness can check that the ledger id binds the two signers. No entry bodies.
public struct WitnessSubmission: Sendable, Hashable {
    /// The co-signed checkpoint.
    public var checkpoint: Checkpoint
    /// The consistency proof from the witness's last checkpoint of the ledger to `checkpoint` (empty for the first
    /// one, or for the same size again).
    public var consistencyProof: [Data]
    /// The ledger's parties, keys and genesis nonce.
    public var header: LedgerHeader
    /// The size of the witness's latest checkpoint the proof was computed against (0: none), when the party says:
    /// a witness whose latest has moved since (the other party submitted meanwhile) answers `stale`, an invitation
    /// to ask again, instead of judging a proof made for another size.
    public var proofFrom: UInt64?

    public init(checkpoint: Checkpoint, consistencyProof: [Data], header: LedgerHeader, proofFrom: UInt64? = nil) {
        self.checkpoint = checkpoint
        self.consistencyProof = consistencyProof
        self.header = header
        self.proofFrom = proofFrom
    }
}

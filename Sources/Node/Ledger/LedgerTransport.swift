import Ledger

/// How a ledger copy reaches its counterparty's copy: propose an entry, fetch agreed entries.
///
/// The HTTP implementation is `NodeClient`; tests may use another.
public protocol LedgerTransport: Sendable {
    /// Sends an author-signed entry to the counterparty's copy.
    func propose(_ entry: LedgerEntry, to counterparty: PartyID) async throws -> ProposalOutcome
    /// Sends author-signed entries chained on each other in one message (batched agreement): the counterparty
    /// countersigns the longest acceptable prefix, or answers a conflict when the first does not sit on its head.
    func proposeBatch(_ entries: [LedgerEntry], to counterparty: PartyID) async throws -> BatchProposalOutcome
    /// The counterparty's agreed entries of `ledger` with `seq >= from`.
    func entries(of ledger: LedgerID, from seq: UInt64, at counterparty: PartyID) async throws -> [LedgerEntry]
    /// Has the counterparty check a checkpoint this party signed against its copy and add its signature.
    func cosign(_ checkpoint: Checkpoint, at counterparty: PartyID) async throws -> Checkpoint
    /// Has a neighbour review an entry of this party's omni-lateral ledger: its countersignature or refusal.
    func review(_ entry: LedgerEntry, by neighbour: PartyID) async throws -> OmniVerdict
}

extension LedgerTransport {
    /// A transport without batches: the first entry alone.
    public func proposeBatch(_ entries: [LedgerEntry], to counterparty: PartyID) async throws -> BatchProposalOutcome {
        guard let first = entries.first else { return .countersigned([]) }
        switch try await propose(first, to: counterparty) {
        case .countersigned(let agreed): return .countersigned([agreed])
        case .conflict(let head): return .conflict(head)
        }
    }

    /// A transport that cannot co-sign: no checkpoint is stored for ledgers it carries.
    public func cosign(_ checkpoint: Checkpoint, at counterparty: PartyID) async throws -> Checkpoint {
        throw NodeError(.transport, "this transport does not co-sign checkpoints")
    }

    /// A transport that cannot carry reviews: omni-lateral entries stay pending.
    public func review(_ entry: LedgerEntry, by neighbour: PartyID) async throws -> OmniVerdict {
        throw NodeError(.transport, "this transport does not carry omni-lateral reviews")
    }
}

/// The body of a checkpoint sent to be co-signed, and of the answer: the signed-note text.
struct CheckpointNote: Codable, Sendable {
    var note: String
}

/// What the counterparty's copy answered to a batch: the countersigned prefix, or its head.
public enum BatchProposalOutcome: Sendable {
    case countersigned([LedgerEntry])
    case conflict(LedgerHead)
}

/// What the counterparty's copy answered to a proposal.
public enum ProposalOutcome: Sendable {
    case countersigned(LedgerEntry)
    case conflict(LedgerHead)
}

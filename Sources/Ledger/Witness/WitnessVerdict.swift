import Foundation

/// What a witness answers a submission: the checkpoint with its cosignature added, or a refusal.
///
/// A refusal is a business outcome (a party lied, or sent something stale), so it is a value, not a thrown error.
public enum WitnessVerdict: Sendable, Hashable {
    /// Accepted: the checkpoint with the witness's cosignature line added.
    case cosigned(Checkpoint)
    /// Refused, with the reason and, where a party is caught, the proof.
    case refused(WitnessRefusal)
}

/// Why a witness refused a checkpoint. For `equivocation`, `rollback` and `inconsistent` the refusal carries the
/// note the witness had already cosigned (`witnessed`) and the one presented, both signed by both parties: an
/// auditor checks the signatures on the two notes alone, without the witness.
public struct WitnessRefusal: Sendable, Hashable, CustomStringConvertible {
    /// Stable refusal codes.
    public enum Code: String, Sendable, Hashable, Codable {
        /// Both parties signed a different root for a size the witness already cosigned.
        case equivocation
        /// The checkpoint is smaller than the last one the witness cosigned of that ledger.
        case rollback
        /// The consistency proof does not lead from the last cosigned checkpoint to this one.
        case inconsistent
        /// A party's signature is missing or does not verify.
        case badSignature = "bad_signature"
        /// The header does not bind the ledger id, or its keys are not the ones the witness knows for the ledger.
        case wrongLedger = "wrong_ledger"
        /// The proof was computed against another latest checkpoint than the witness's (it moved meanwhile): no
        /// accusation, the party asks for the latest again and resubmits.
        case stale
    }

    /// What was wrong.
    public let code: Code
    /// For a person.
    public let message: String
    /// The note the witness had cosigned before, when the refusal is about the ledger's history.
    public let witnessed: Checkpoint?
    /// The note presented.
    public let presented: Checkpoint
    /// The consistency proof presented, for `inconsistent`.
    public let consistencyProof: [Data]

    public init(
        code: Code, message: String, witnessed: Checkpoint? = nil, presented: Checkpoint, consistencyProof: [Data] = []
    ) {
        self.code = code
        self.message = message
        self.witnessed = witnessed
        self.presented = presented
        self.consistencyProof = consistencyProof
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

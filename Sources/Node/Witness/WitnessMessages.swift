import Foundation
import Ledger

/// The body of `POST /witness/v1/checkpoints`: the co-signed note, the RFC 9162 consistency proof (hex hashes)
/// from the witness's last checkpoint of the ledger, and the ledger's header (parties, keys, nonce).
public struct WitnessCheckpointRequest: Codable, Sendable, Hashable {
    public var note: String
    public var consistencyProof: [String]
    public var ledger: LedgerHeader
    /// The size of the witness's latest checkpoint the proof was computed against (optional; see
    /// `WitnessSubmission.proofFrom`).
    public var proofFrom: UInt64?

    public init(_ submission: WitnessSubmission) {
        note = submission.checkpoint.text
        consistencyProof = submission.consistencyProof.map(\.hexString)
        ledger = submission.header
        proofFrom = submission.proofFrom
    }

    /// The submission this body describes, or why it is not one.
    public func submission() throws -> WitnessSubmission {
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint.parse(note)
        } catch {
            throw NodeError(.protocolViolation, "note: \(error)")
        }
        var proof: [Data] = []
        for (index, hex) in consistencyProof.enumerated() {
            guard let hash = Data(hexString: hex), hash.count == 32 else {
                throw NodeError(.protocolViolation, "consistencyProof[\(index)]: not 64 hex digits")
            }
            proof.append(hash)
        }
        return WitnessSubmission(checkpoint: checkpoint, consistencyProof: proof, header: ledger, proofFrom: proofFrom)
    }
}

/// The answer of a witness: the cosigned note (200), or a refusal (409 for equivocation, rollback and an
/// inconsistent proof, 422 for signatures and ledger ids) with the notes that prove it.
public struct WitnessAnswer: Codable, Sendable, Hashable {
    /// The cosigned note, on success.
    public var note: String?
    /// The refusal code (`WitnessRefusal.Code`), on refusal.
    public var refusal: String?
    public var message: String?
    /// The note the witness had cosigned before (equivocation, rollback, inconsistent).
    public var witnessed: String?
    /// The note refused.
    public var presented: String?
    /// The consistency proof presented (inconsistent), hex.
    public var consistencyProof: [String]?

    public init(note: String) {
        self.note = note
    }

    public init(_ refusal: WitnessRefusal) {
        self.refusal = refusal.code.rawValue
        message = refusal.message
        witnessed = refusal.witnessed?.text
        presented = refusal.presented.text
        consistencyProof = refusal.consistencyProof.isEmpty ? nil : refusal.consistencyProof.map(\.hexString)
    }

    /// The verdict this answer carries, or `nil` when it is neither a note nor a refusal.
    public func verdict() -> WitnessVerdict? {
        if let note, let checkpoint = try? Checkpoint.parse(note) { return .cosigned(checkpoint) }
        guard let refusal, let code = WitnessRefusal.Code(rawValue: refusal), let presented,
            let presentedNote = try? Checkpoint.parse(presented)
        else { return nil }
        return .refused(
            WitnessRefusal(
                code: code, message: message ?? "", witnessed: witnessed.flatMap { try? Checkpoint.parse($0) },
                presented: presentedNote, consistencyProof: (consistencyProof ?? []).compactMap { Hex.decode($0) }))
    }
}

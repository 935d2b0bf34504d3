import Foundation
import Synchronization

/// A neutral validating node (ETSI PDL §5): a third party that cosigns each ledger's co-signed checkpoints once it
/// has checked that the ledger only grew since the last one it cosigned, and refuses, with the proof, when the
/// parties show it a fork or a step back. It never needs an entry body.
///
/// `submit` checks, in order: the header binds the checkpoint's ledger id (and, after the first checkpoint of a
/// ledger, has the keys the witness learned then; with `trustedKeys`, the directory's keys); both parties' signatures
/// on the note; then, against what it cosigned before: the same size with another root is `equivocation` (both
/// notes are the proof), a proof made against another latest size than the witness's (`proofFrom`) is `stale` (kept
/// nowhere: the party asks again), a smaller size is `rollback` unless it comes with an RFC 9162 consistency proof from it to the
/// last cosigned checkpoint (a party submitting after the other party already submitted a later one), and a larger
/// one needs a consistency proof from the last cosigned checkpoint (`inconsistent` without one). On success it adds its own Ed25519 signature line to the
/// note (a C2SP signed-note cosignature by `key.party`) and remembers the new head in its store.
///
/// Thread-safe: submissions are checked and stored one at a time.
public final class Witness: Sendable {
    /// The witness's signing identity; its party id is the name on its cosignature lines.
    public let key: PartyKey
    /// When set, only ledgers between parties this directory knows, with these keys, are witnessed.
    public let trustedKeys: KeyDirectory?
    private let store: any WitnessStore
    private let gate = Mutex(())

    public init(key: PartyKey, store: any WitnessStore, trustedKeys: KeyDirectory? = nil) {
        self.key = key
        self.store = store
        self.trustedKeys = trustedKeys
    }

    /// The verifier key nodes and auditors check this witness's cosignatures with.
    public var verifierKey: VerifierKey { VerifierKey(key) }

    /// Checks a submission and cosigns its checkpoint, or refuses it (see the type). A refusal about the ledger's
    /// history (equivocation, rollback, inconsistent) is also kept in the store.
    /// - Throws: `LedgerError(.storage)` when the store fails; never for what a party sent.
    public func submit(_ submission: WitnessSubmission) throws -> WitnessVerdict {
        try gate.withLock { _ in
            let verdict = try check(submission)
            switch verdict {
            case .cosigned(let cosigned):
                try store.save(cosigned, header: submission.header)
            case .refused(let refusal) where refusal.witnessed != nil:
                try store.saveRefusal(refusal, ledgerID: submission.header.ledgerID)
            case .refused:
                break
            }
            return verdict
        }
    }

    /// The largest checkpoint this witness cosigned of a ledger, with its cosignature.
    public func latest(of ledgerID: LedgerID) throws -> Checkpoint? {
        try store.latest(of: ledgerID)
    }

    /// The refusals this witness reported about a ledger, oldest first.
    public func refusals(of ledgerID: LedgerID) throws -> [WitnessRefusal] {
        try store.refusals(of: ledgerID)
    }

    private func check(_ submission: WitnessSubmission) throws -> WitnessVerdict {
        let presented = submission.checkpoint
        let header = submission.header
        func refuse(_ code: WitnessRefusal.Code, _ message: String, witnessed: Checkpoint? = nil) -> WitnessVerdict {
            .refused(
                WitnessRefusal(
                    code: code, message: message, witnessed: witnessed, presented: presented,
                    consistencyProof: code == .inconsistent ? submission.consistencyProof : []))
        }
        guard let ledgerID = presented.ledgerID, ledgerID == header.ledgerID,
            LedgerID.derive(between: header.partyA, and: header.partyB, genesisNonce: header.genesisNonce) == ledgerID
        else {
            return refuse(.wrongLedger, "the header does not bind the checkpoint's ledger \(presented.origin)")
        }
        if let known = try store.header(of: ledgerID),
            known.publicKeyA != header.publicKeyA || known.publicKeyB != header.publicKeyB
        {
            return refuse(.wrongLedger, "the parties' keys are not the ones this witness knows for ledger \(ledgerID)")
        }
        if let trustedKeys {
            for party in header.parties where trustedKeys.publicKey(for: party) != header.publicKey(of: party) {
                return refuse(.wrongLedger, "\(party) is not in this witness's key directory with that key")
            }
        }
        for party in header.parties {
            let status = presented.signatureStatus(of: party, publicKey: header.publicKey(of: party)!)
            guard status == .valid else {
                return refuse(
                    .badSignature,
                    status == .missing ? "the note lacks \(party)'s signature" : "\(party)'s signature does not verify")
            }
        }
        if let same = try store.checkpoint(of: ledgerID, size: presented.size) {
            guard same.root == presented.root else {
                return refuse(
                    .equivocation,
                    "both parties signed two roots for size \(presented.size): \(same.root.base64EncodedString()) "
                        + "(cosigned before) and \(presented.root.base64EncodedString())",
                    witnessed: same)
            }
            return .cosigned(same)
        }
        let latest = try store.latest(of: ledgerID)
        if let from = submission.proofFrom, from != latest?.size ?? 0 {
            return refuse(
                .stale,
                "the proof is against a checkpoint of \(from) entries; the latest cosigned here has \(latest?.size ?? 0)"
            )
        }
        if let latest {
            if presented.size < latest.size, presented.size > 0,
                MerkleTree.verifyConsistency(
                    oldSize: presented.size, newSize: latest.size, oldRoot: presented.root, newRoot: latest.root,
                    proof: submission.consistencyProof)
            {
                // History the witness had not seen (the other party submitted a later checkpoint first): a prefix
                // of what it cosigned, proved so, is cosigned too; its latest stays where it is.
                var cosigned = presented
                try cosigned.sign(with: key)
                return .cosigned(cosigned)
            }
            guard presented.size > latest.size else {
                return refuse(
                    .rollback,
                    "checkpoint of \(presented.size) entries, but one of \(latest.size) was already cosigned",
                    witnessed: latest)
            }
            guard
                MerkleTree.verifyConsistency(
                    oldSize: latest.size, newSize: presented.size, oldRoot: latest.root, newRoot: presented.root,
                    proof: submission.consistencyProof)
            else {
                return refuse(
                    .inconsistent,
                    "the consistency proof does not lead from the cosigned checkpoint of \(latest.size) entries "
                        + "to this one of \(presented.size)",
                    witnessed: latest)
            }
        }
        var cosigned = presented
        try cosigned.sign(with: key)
        return .cosigned(cosigned)
    }
}

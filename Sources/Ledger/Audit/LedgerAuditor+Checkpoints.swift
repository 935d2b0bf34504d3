import Foundation

extension LedgerAuditor {
    /// Checks a copy against a signed checkpoint given as text: well-formed, signed by both parties, for this
    /// ledger, not longer than the copy (else `truncated`), and with the root of the copy's first `size` entries.
    public func check(_ copy: LedgerCopy, againstCheckpointText text: String) -> [AuditFinding] {
        do {
            return check(copy, against: try Checkpoint.parse(text))
        } catch {
            return [
                AuditFinding(
                    ledgerID: copy.ledgerID, seq: nil, party: nil, rule: .malformedCheckpoint, detail: "\(error)")
            ]
        }
    }

    /// Checks the checkpoints stored with a copy, each as `check(_:against:)` does, in one pass over the copy's
    /// entries (a copy holds one checkpoint every `Checkpoint.interval` entries).
    public func check(_ copy: LedgerCopy, againstStored checkpoints: [Checkpoint]) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        var frontier = MerkleFrontier()
        for checkpoint in checkpoints.sorted(by: { $0.size < $1.size }) {
            guard checkpoint.ledgerID == copy.ledgerID, checkpoint.size <= UInt64(copy.rows.count) else {
                findings += check(copy, against: checkpoint)
                continue
            }
            while frontier.size < checkpoint.size {
                frontier.append(leafHash: Self.leafHash(of: copy.rows[Int(frontier.size)]))
            }
            findings += check(copy, against: checkpoint, rootOfPrefix: frontier.root)
        }
        return findings
    }

    /// Checks a copy against a parsed checkpoint (see `check(_:againstCheckpointText:)`); `rootOfPrefix` is the
    /// root of the copy's first `checkpoint.size` entries when the caller knows it already.
    public func check(_ copy: LedgerCopy, against checkpoint: Checkpoint, rootOfPrefix: Data? = nil) -> [AuditFinding] {
        let ledgerID = copy.ledgerID
        guard checkpoint.ledgerID == ledgerID else {
            return [
                AuditFinding(
                    ledgerID: ledgerID, seq: nil, party: nil, rule: .checkpointMismatch,
                    detail: "checkpoint origin \"\(checkpoint.origin)\" is not this ledger")
            ]
        }
        var findings = checkSignatures(checkpoint, ledgerID: ledgerID, parties: keys(of: copy))
        findings += checkWitnessCosignatures(checkpoint, ledgerID: ledgerID)
        let count = UInt64(copy.rows.count)
        if checkpoint.size > count {
            findings.append(
                AuditFinding(
                    ledgerID: ledgerID, seq: count + 1, party: copy.holder, rule: .truncated,
                    detail: "checkpoint covers \(checkpoint.size) entries, the copy holds \(count)"))
            return findings
        }
        let root =
            rootOfPrefix ?? MerkleTree.root(leafHashes: copy.rows.prefix(Int(checkpoint.size)).map(Self.leafHash(of:)))
        if root != checkpoint.root {
            findings.append(
                AuditFinding(
                    ledgerID: ledgerID, seq: nil, party: copy.holder, rule: .checkpointMismatch,
                    detail: "root of the first \(checkpoint.size) entries is \(root.base64EncodedString()), "
                        + "checkpoint says \(checkpoint.root.base64EncodedString())"))
        }
        return findings
    }

    /// Detects a rollback: `presented` (claimed current) is older than `known`, a checkpoint of the same ledger
    /// already signed; equal sizes with different roots are equivocation.
    public func checkRollback(presented: Checkpoint, known: Checkpoint, parties: [PartyID: Data]) -> [AuditFinding] {
        let ledgerID = presented.ledgerID ?? LedgerID(rawValue: "-")
        guard presented.origin == known.origin else {
            return [
                AuditFinding(
                    ledgerID: ledgerID, seq: nil, party: nil, rule: .checkpointMismatch,
                    detail: "checkpoints are of different logs (\(presented.origin), \(known.origin))")
            ]
        }
        if presented.size == known.size { return equivocation(presented, known, parties: parties) }
        var findings: [AuditFinding] = []
        if presented.size < known.size || (presented.time ?? .min) < (known.time ?? .min) {
            findings.append(
                AuditFinding(
                    ledgerID: ledgerID, seq: presented.size + 1, party: nil, rule: .rollback,
                    detail: "checkpoint presented as current covers \(presented.size) entries, but one for "
                        + "\(known.size) entries was already signed"))
        }
        return findings
    }

    /// Reports each party that validly signed two different roots for the same ledger and size; both notes are
    /// the proof and appear in the detail.
    public func equivocation(_ first: Checkpoint, _ second: Checkpoint, parties: [PartyID: Data]) -> [AuditFinding] {
        guard first.origin == second.origin, first.size == second.size, first.root != second.root else { return [] }
        let ledgerID = first.ledgerID ?? LedgerID(rawValue: "-")
        return parties.keys.sorted().compactMap { party in
            guard let key = parties[party], first.signatureStatus(of: party, publicKey: key) == .valid,
                second.signatureStatus(of: party, publicKey: key) == .valid
            else { return nil }
            return AuditFinding(
                ledgerID: ledgerID, seq: first.size, party: party, rule: .equivocation,
                detail: "signed two roots for size \(first.size): \(first.root.base64EncodedString()) and "
                    + "\(second.root.base64EncodedString()); notes: \(first.text.debugDescription) "
                    + "\(second.text.debugDescription)")
        }
    }

    /// Verifies that the entry with hash `entryHash` is entry `seq` of the tree `checkpoint` commits to, with an
    /// inclusion proof, without the rest of the ledger. `parties` are the signers the checkpoint must carry.
    public func verifyInclusion(
        entryHash: String, seq: UInt64, proof: [Data], checkpoint: Checkpoint, parties: [PartyID: Data]
    ) -> [AuditFinding] {
        let ledgerID = checkpoint.ledgerID ?? LedgerID(rawValue: "-")
        var findings = checkSignatures(checkpoint, ledgerID: ledgerID, parties: parties)
        guard let hash = Data(hexString: entryHash), hash.count == 32, seq >= 1 else {
            findings.append(
                AuditFinding(
                    ledgerID: ledgerID, seq: seq, party: nil, rule: .badProof,
                    detail: "entry hash must be 64 hex digits and seq at least 1"))
            return findings
        }
        let valid = MerkleTree.verifyInclusion(
            leafHash: MerkleTree.leafHash(hash), index: seq - 1, treeSize: checkpoint.size, proof: proof,
            root: checkpoint.root)
        if !valid {
            findings.append(
                AuditFinding(
                    ledgerID: ledgerID, seq: seq, party: nil, rule: .badProof,
                    detail: "inclusion proof of \(entryHash) at seq \(seq) does not lead to the checkpoint root"))
        }
        return findings
    }

    /// Verifies an inclusion proof (see `verifyInclusion(entryHash:seq:proof:checkpoint:parties:)`) against the
    /// checkpoint's signers that the trusted directory knows; fewer than two such signers is a finding too.
    public func verifyInclusion(
        entryHash: String, seq: UInt64, proof: [Data], checkpoint: Checkpoint
    ) -> [AuditFinding] {
        var parties: [PartyID: Data] = [:]
        for signature in checkpoint.signatures {
            parties[PartyID(signature.name)] = trustedKeys?.publicKey(for: PartyID(signature.name))
        }
        var findings = verifyInclusion(
            entryHash: entryHash, seq: seq, proof: proof, checkpoint: checkpoint, parties: parties)
        if parties.count < 2 {
            findings.append(
                AuditFinding(
                    ledgerID: checkpoint.ledgerID ?? LedgerID(rawValue: "-"), seq: nil, party: nil,
                    rule: .badCheckpointSignature, detail: "fewer than two trusted signers on the checkpoint"))
        }
        return findings
    }

    /// The keys to check a copy's checkpoints with: the trusted directory's where known, else the copy's.
    public func keys(of copy: LedgerCopy) -> [PartyID: Data] {
        var keys: [PartyID: Data] = [:]
        for (party, hex) in [
            (copy.header.partyA, copy.header.publicKeyA), (copy.header.partyB, copy.header.publicKeyB),
        ] {
            keys[PartyID(party)] = trustedKeys?.publicKey(for: PartyID(party)) ?? Data(hexString: hex)
        }
        return keys
    }

    /// Checks that every party in `parties` signed the checkpoint validly.
    public func checkSignatures(
        _ checkpoint: Checkpoint, ledgerID: LedgerID, parties: [PartyID: Data]
    ) -> [AuditFinding] {
        parties.keys.sorted().compactMap { party in
            let status = checkpoint.signatureStatus(of: party, publicKey: parties[party]!)
            guard status != .valid else { return nil }
            return AuditFinding(
                ledgerID: ledgerID, seq: nil, party: party, rule: .badCheckpointSignature,
                detail: status == .missing ? "checkpoint lacks this party's signature" : "signature does not verify")
        }
    }

    /// Checks the cosignature lines of the witnesses in `witnessKeys`: a line by one of them that does not verify
    /// under its key (or has another key hash) is `bad_witness_cosignature`; a checkpoint without a line by one of
    /// them is `unwitnessed_checkpoint` (an auditor who names a witness expects every checkpoint to be witnessed).
    public func checkWitnessCosignatures(_ checkpoint: Checkpoint, ledgerID: LedgerID) -> [AuditFinding] {
        witnessKeys.compactMap { witness in
            switch checkpoint.signatureStatus(of: witness.name, publicKey: witness.publicKey) {
            case .valid:
                return nil
            case .missing:
                return AuditFinding(
                    ledgerID: ledgerID, seq: checkpoint.size, party: witness.name, rule: .unwitnessedCheckpoint,
                    detail: "the checkpoint of \(checkpoint.size) entries carries no cosignature by \(witness.name)")
            case .invalid:
                return AuditFinding(
                    ledgerID: ledgerID, seq: checkpoint.size, party: witness.name, rule: .badWitnessCosignature,
                    detail: "the witness cosignature on the checkpoint of \(checkpoint.size) entries does not verify "
                        + "under \(witness)")
            }
        }
    }

    static func leafHash(of row: LedgerCopy.Row) -> Data {
        MerkleTree.leafHash(Data(hexString: row.entryHash) ?? Data(row.entryHash.utf8))
    }
}

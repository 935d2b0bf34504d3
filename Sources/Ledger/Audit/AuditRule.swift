/// The rule an audit finding breaks; the raw values are stable names auditors and scripts match on.
public enum AuditRule: String, Codable, Sendable, Hashable, CaseIterable {
    /// The stored entry hash is not the SHA-256 of the entry's encoding (a field was altered).
    case badEntryHash = "bad_entry_hash"
    /// `prev_hash` is not the previous entry's hash.
    case brokenChain = "broken_chain"
    /// A sequence number is missing (an entry was deleted).
    case seqGap = "seq_gap"
    /// An entry appears twice (same seq twice, or an entry copied to another seq).
    case seqDuplicate = "seq_duplicate"
    /// A genuine entry sits at the wrong seq (entries were swapped or shifted).
    case reordered = "reordered"
    /// The author's signature does not verify under the author's key.
    case badAuthorSignature = "bad_author_signature"
    /// An entry has no countersignature: it was never agreed.
    case missingCountersignature = "missing_countersignature"
    /// The countersignature does not verify under the counterparty's key.
    case badCountersignature = "bad_countersignature"
    /// A key is not the one in the trusted key directory, or a signature verifies only under such a key.
    case unknownKey = "unknown_key"
    /// An entry's author is not one of the ledger's two parties.
    case unknownAuthor = "unknown_author"
    /// An entry or header belongs to another ledger id (moved or replayed), or the id does not bind its parties.
    case foreignLedgerID = "foreign_ledger_id"
    /// An entry's time is earlier than the previous entry's.
    case timeBackwards = "time_backwards"
    /// Two copies of one ledger differ; the finding names the first differing seq.
    case copiesDiverge = "copies_diverge"
    /// A copy ends before entries that another copy or a signed checkpoint proves exist.
    case truncated = "truncated"
    /// A checkpoint's root or ledger does not match the copy.
    case checkpointMismatch = "checkpoint_mismatch"
    /// A checkpoint presented as current is older than one already signed (a rollback).
    case rollback = "rollback"
    /// One party signed two different roots for the same tree size; both signed notes are the proof.
    case equivocation = "equivocation"
    /// A checkpoint lacks a party's signature or the signature does not verify.
    case badCheckpointSignature = "bad_checkpoint_signature"
    /// A checkpoint carries a cosignature line by a witness the auditor knows (`witnessKeys`) that does not verify.
    case badWitnessCosignature = "bad_witness_cosignature"
    /// A checkpoint carries no cosignature line by a witness the auditor knows (`witnessKeys`): it was never
    /// witnessed, or the line was removed.
    case unwitnessedCheckpoint = "unwitnessed_checkpoint"
    /// A checkpoint is not a well-formed signed note.
    case malformedCheckpoint = "malformed_checkpoint"
    /// An inclusion or consistency proof does not verify against the checkpoint.
    case badProof = "bad_proof"
    /// An entry row cannot be read as an entry (bad hex, JSON that is not canonical, bad types).
    case malformedEntry = "malformed_entry"
    /// A ledger header row cannot be read (bad keys, bad nonce).
    case malformedLedger = "malformed_ledger"
    /// An entry's kind is not 1-64 dot-separated lower-case words (`EntryRules`).
    case kindSyntax = "kind_syntax"
    /// An entry's kind is not one the product writes.
    case unknownKind = "unknown_kind"
    /// The author is not entitled to an entry of that kind: a seller's answer without the other party's request,
    /// a buyer's notice on an order it did not place, an internal kind on a trading ledger.
    case notEntitled = "not_entitled"
    /// An entry's body is larger than the rules allow.
    case bodyTooLarge = "body_too_large"
    /// An entry is dated too far ahead of the countersigner's clock.
    case timeAhead = "time_ahead"
    /// A neighbour's countersignature or refusal of an omni-lateral entry does not verify, or answers an entry
    /// the ledger does not have.
    case badEndorsement = "bad_endorsement"
    /// A neighbour refused to countersign an omni-lateral entry; the detail is its signed reason.
    case refusedEndorsement = "refused_endorsement"
    /// A neighbour whose copy holds records an omni-lateral entry rests on has not countersigned it (pending).
    case missingEndorsement = "missing_endorsement"
    /// The auditor's own recomputation of a published SLA reputation, from a neighbour's copy, disagrees.
    case reputationMismatch = "reputation_mismatch"
}

import Ledger

/// The neighbours' side of the omni-lateral ledger, and the auditor's: who must countersign an entry, what each
/// checks, and an audit of a whole omni-lateral ledger against the copies at hand (LEDGER.md §13).
public enum OmniReview {
    /// The neighbours that must countersign `entry`: the buyers holding the records it rests on.
    public static func neighbours(of entry: LedgerEntry) -> [PartyID] {
        guard case .success(let publication) = ReputationPublication.decode(entry.body) else { return [] }
        return Array(Set(publication.records.map(\.buyer))).sorted()
    }

    /// `neighbour`'s review of `entry` from its copy of its ledger with the publisher: nil to countersign, else
    /// why it refuses.
    public static func review(_ entry: LedgerEntry, by neighbour: PartyID, copy: [LedgerEntry]) -> ReputationRefusal? {
        guard entry.kind == ReputationPublication.kind else {
            return ReputationRefusal("kind \(entry.kind) is not \(ReputationPublication.kind)")
        }
        switch ReputationPublication.decode(entry.body) {
        case .failure(let refusal): return refusal
        case .success(let publication):
            return publication.review(by: neighbour, publisher: entry.author, time: entry.time, copy: copy)
        }
    }

    /// `neighbour`'s signed answer to `entry`: its countersignature, or its refusal with the reason.
    public static func answer(
        _ entry: LedgerEntry, by neighbour: PartyKey, copy: [LedgerEntry]
    ) throws
        -> OmniVerdict
    {
        try OmniVerdict.sign(entry, by: neighbour, refusal: review(entry, by: neighbour.party, copy: copy)?.reason)
    }

    /// The chain and signatures (`OmniLedger.audit`), plus for every entry: each neighbour that must countersign
    /// and has not (`missing_endorsement`), and the auditor's own review from each neighbour's copy it was given
    /// (`reputation_mismatch` when the auditor would refuse).
    /// - Parameter copy: the copy of the ledger between the publisher and a neighbour, as that neighbour holds
    ///   it, when the auditor has it.
    public static func audit(
        _ omni: OmniLedger, trustedKeys: KeyDirectory? = nil, copy: (PartyID) -> [LedgerEntry]?
    ) -> [AuditFinding] {
        var findings = omni.audit(trustedKeys: trustedKeys)
        guard let entries = try? omni.entries(), let verdicts = try? omni.verdicts() else { return findings }
        let answered = Set(verdicts.map { "\($0.seq)|\($0.party.rawValue)" })
        var copies: [PartyID: [LedgerEntry]?] = [:]  // each neighbour's copy read once
        for entry in entries {
            for neighbour in neighbours(of: entry) {
                if copies[neighbour] == nil { copies[neighbour] = .some(copy(neighbour)) }
                if !answered.contains("\(entry.seq)|\(neighbour.rawValue)") {
                    findings.append(
                        AuditFinding(
                            ledgerID: omni.id, seq: entry.seq, party: neighbour, rule: .missingEndorsement,
                            detail: "holds records of this publication and has not countersigned it"))
                }
                if let copy = copies[neighbour] ?? nil, let refusal = review(entry, by: neighbour, copy: copy) {
                    findings.append(
                        AuditFinding(
                            ledgerID: omni.id, seq: entry.seq, party: neighbour, rule: .reputationMismatch,
                            detail: "from \(neighbour)'s copy: \(refusal.reason)"))
                }
            }
        }
        return findings
    }
}

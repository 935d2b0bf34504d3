/// One thing an auditor found wrong: which ledger, which entry, which party, which rule, and the detail.
public struct AuditFinding: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The ledger concerned (`-` when a checkpoint names none).
    public let ledgerID: LedgerID
    /// The entry concerned, when the finding is about one entry.
    public let seq: UInt64?
    /// The party concerned: the signer, the author, or the holder of the copy.
    public let party: PartyID?
    /// The rule broken.
    public let rule: AuditRule
    /// What exactly is wrong, for a person.
    public let detail: String

    public init(ledgerID: LedgerID, seq: UInt64?, party: PartyID?, rule: AuditRule, detail: String) {
        self.ledgerID = ledgerID
        self.seq = seq
        self.party = party
        self.rule = rule
        self.detail = detail
    }

    /// One line: ledger id, seq, party, rule, detail, tab-separated (`-` for an absent field).
    public var description: String {
        [ledgerID.rawValue, seq.map(String.init) ?? "-", party?.rawValue ?? "-", rule.rawValue, detail]
            .joined(separator: "\t")
    }
}

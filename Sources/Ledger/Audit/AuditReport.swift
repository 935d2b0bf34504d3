/// What an audit of ledger copies found (`broker audit` prints it): the findings in the order they were made, and,
/// when the copies were compared with the other party's, how many ledgers both hold.
public struct AuditReport: Sendable, Hashable {
    /// Every finding; empty when the copies are clean.
    public var findings: [AuditFinding]
    /// With the other party's copies: the ledgers compared with their counterpart copy; `nil` without them.
    public var comparedLedgers: Int?

    public init(findings: [AuditFinding] = [], comparedLedgers: Int? = nil) {
        self.findings = findings
        self.comparedLedgers = comparedLedgers
    }

    /// Nothing wrong was found.
    public var isClean: Bool { findings.isEmpty }

    /// The other party's copies were given but share no ledger with these, and nothing else was found: the audit
    /// compared nothing, which is bad input rather than a clean result.
    public var sharesNoLedger: Bool { comparedLedgers == 0 && findings.isEmpty }
}

extension LedgerAuditor {
    /// Audits each holder's copy of `ledger` in its store, with the checkpoints stored with it, and, given both
    /// parties' copies, compares them: the check both drivers make on every ledger after a run.
    /// - Parameters:
    ///   - holders: the party holding each copy, in the order of `stores`.
    ///   - stores: where each copy lives.
    /// - Throws: `LedgerError` when a store does not hold the ledger or cannot be read.
    public func audit(ledger: LedgerID, holders: [PartyID], stores: [any LedgerStore]) throws -> [AuditFinding] {
        let copies = try zip(holders, stores).map { holder, store in
            try LedgerCopy(store: store, ledgerID: ledger, holder: holder)
        }
        var findings: [AuditFinding] = []
        for (copy, store) in zip(copies, stores) {
            findings += audit(copy)
            findings += check(copy, againstStored: try store.checkpoints(of: ledger))
        }
        if copies.count == 2 { findings += compare(copies[0], copies[1]) }
        return findings
    }
}

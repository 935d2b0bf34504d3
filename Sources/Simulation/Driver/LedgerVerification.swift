import Ledger

/// After a run, the auditor's verdict on every ledger: each copy clean against the parties' keys, and the two
/// copies identical.
public enum LedgerVerification {
    public static func verify(
        ledger: LedgerID, parties: [PartyID], stores: [any LedgerStore], keys: KeyDirectory
    ) throws -> [String] {
        let auditor = LedgerAuditor(trustedKeys: keys, rules: .broker)
        let copies = try zip(parties, stores).map { party, store in
            try LedgerCopy(store: store, ledgerID: ledger, holder: party)
        }
        var findings = copies.flatMap { auditor.audit($0) }
        if copies.count == 2 { findings += auditor.compare(copies[0], copies[1]) }
        return findings.map(\.description)
    }
}

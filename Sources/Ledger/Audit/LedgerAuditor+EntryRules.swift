import CanonicalJSON
import Foundation

extension LedgerAuditor {
    /// The entries of a trading ledger that break `rules` (who may say what): a malformed or unknown kind, an
    /// internal kind on a ledger with another party, a seller's answer without the other party's request, a
    /// buyer's notice on an order it did not place, an oversized body. A provider's internal ledger with its
    /// own SOF (a party whose id ends in `#sof`) is checked for kind syntax only. Time against a clock is the
    /// countersigner's check (`LedgerReplica.receive`); an auditor has only the chain's own order of times.
    func entryRuleFindings(_ copy: LedgerCopy, rules: EntryRules) -> [AuditFinding] {
        let isInternal = [copy.header.partyA, copy.header.partyB].contains { $0.hasSuffix("#sof") }
        // Live, the two parties' lanes race, so an answer may precede its request: the whole ledger counts.
        func refs(_ row: LedgerCopy.Row) -> [String: String] {
            (try? JSONValue.parse(Data(row.refs.utf8)))?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        }
        var openers: [String: PartyID] = [:]
        for row in copy.rows {
            if let ref = rules.opens(row.kind), let value = refs(row)[ref], openers["\(ref):\(value)"] == nil {
                openers["\(ref):\(value)"] = PartyID(row.author)
            }
        }
        var findings: [AuditFinding] = []
        for row in copy.rows {
            let refs = refs(row)
            let violation: EntryRules.Violation?
            if isInternal {
                violation =
                    EntryRules.isWellFormed(kind: row.kind)
                    ? nil
                    : EntryRules.Violation(rule: .kindSyntax, detail: "kind \"\(row.kind.prefix(80))\" is malformed")
            } else {
                violation = rules.check(
                    kind: row.kind, author: PartyID(row.author), refs: refs, bodyBytes: row.body.utf8.count,
                    time: row.time, now: nil, opener: { openers["\($0):\($1)"] })
            }
            guard let violation else { continue }
            let rule: AuditRule =
                switch violation.rule {
                case .kindSyntax: .kindSyntax
                case .unknownKind: .unknownKind
                case .notEntitled, .requestNotSeen: .notEntitled
                case .bodyTooLarge: .bodyTooLarge
                case .timeAhead: .timeAhead
                }
            findings.append(
                AuditFinding(
                    ledgerID: copy.ledgerID, seq: UInt64(clamping: row.seq), party: PartyID(row.author), rule: rule,
                    detail: violation.detail))
        }
        return findings
    }
}

import Foundation

extension LedgerAuditor {
    /// Audits every ledger of `files` and, given the other party's file, compares each ledger the two files share:
    /// the first differing seq, or the shorter copy as truncated. A ledger of `files` that names the other file's
    /// holder as a party but is missing there is truncated too; ledgers with third parties are not compared.
    public func audit(_ files: [LedgerFile], against other: LedgerFile? = nil) -> AuditReport {
        var report = AuditReport(findings: files.flatMap { audit($0) })
        guard let other else { return report }
        report.findings += audit(other)
        let otherHolders = Set(other.copies.compactMap(\.holder))
        var compared = 0
        for copy in files.flatMap(\.copies) {
            guard let theirs = other.copy(of: copy.ledgerID) else {
                let parties = [PartyID(copy.header.partyA), PartyID(copy.header.partyB)]
                guard parties.contains(where: otherHolders.contains) else { continue }
                report.findings.append(
                    AuditFinding(
                        ledgerID: copy.ledgerID, seq: nil, party: nil, rule: .truncated,
                        detail: "\(other.path) holds no copy of this ledger"))
                continue
            }
            report.findings += compare(copy, theirs)
            compared += 1
        }
        report.comparedLedgers = compared
        return report
    }

    /// Checks co-signed checkpoints presented for `copies`: each against the copy of its ledger, then every two of
    /// one size with different roots as equivocation, then each against `known`, a checkpoint seen before, as a
    /// rollback when it is older.
    public func check(
        _ presented: [PresentedCheckpoint], known: PresentedCheckpoint? = nil, copies: [LedgerCopy]
    ) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        var parsed: [Checkpoint] = []
        for checkpoint in presented {
            let note: Checkpoint
            switch checkpoint.parsed() {
            case .checkpoint(let value): note = value
            case .malformed(let finding):
                findings.append(finding)
                continue
            }
            parsed.append(note)
            guard let copy = copies.first(where: { $0.ledgerID == note.ledgerID }) else {
                findings.append(
                    AuditFinding(
                        ledgerID: note.ledgerID ?? LedgerID(rawValue: "-"), seq: nil, party: nil,
                        rule: .checkpointMismatch,
                        detail: "\(checkpoint.source): no copy of this checkpoint's ledger was given"))
                continue
            }
            findings += check(copy, against: note)
        }
        func parties(_ checkpoint: Checkpoint) -> [PartyID: Data] {
            copies.first { $0.ledgerID == checkpoint.ledgerID }.map(keys(of:)) ?? [:]
        }
        for (index, first) in parsed.enumerated() {
            for second in parsed.dropFirst(index + 1) {
                findings += equivocation(first, second, parties: parties(first))
            }
        }
        if let known {
            switch known.parsed() {
            case .checkpoint(let knownNote):
                for note in parsed {
                    findings += checkRollback(presented: note, known: knownNote, parties: parties(note))
                }
            case .malformed(let finding):
                findings.append(finding)
            }
        }
        return findings
    }
}

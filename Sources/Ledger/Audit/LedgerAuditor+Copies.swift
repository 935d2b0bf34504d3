import Foundation

extension LedgerAuditor {
    /// Audits every ledger of `files` and, given the other party's file, compares each ledger the two files share:
    /// the first differing seq, or the shorter copy as truncated. A ledger of `files` that names the other file's
    /// holder as a party but is missing there is truncated too; ledgers with third parties are not compared.
    ///
    /// Without `other`, the copies are paired across `files` instead (`audit(pairing:)`), and `comparedLedgers`
    /// stays `nil`.
    /// - Parameter audited: findings already made on some of the files alone (by path, as `read(path:)` gives
    ///   them); those files are not audited again.
    public func audit(
        _ files: [LedgerFile], against other: LedgerFile? = nil, audited: [String: [AuditFinding]] = [:]
    ) -> AuditReport {
        guard let other else { return audit(pairing: files, audited: audited) }
        var report = AuditReport(findings: files.flatMap { audited[$0.path] ?? audit($0) })
        report.findings += audited[other.path] ?? audit(other)
        var compared = 0
        for copy in files.flatMap(\.copies) {
            guard let theirs = other.copy(of: copy.ledgerID) else {
                report.findings += missingCopy(of: copy, in: other)
                continue
            }
            report.findings += compare(copy, theirs)
            compared += 1
        }
        report.comparedLedgers = compared
        return report
    }

    /// Audits every ledger of `files` alone, then finds the copies of each ledger across all the files (by ledger
    /// id) and compares them: the first differing seq, or the shorter copy as truncated. A ledger held in one file
    /// only is truncated (a copy missing) when another of the files holds the other party's copies; when the other
    /// party's file is not among `files`, there is nothing to compare it with.
    ///
    /// Pairing findings follow the files' own, by ledger id; with more than two copies of a ledger, each is
    /// compared with the first.
    public func audit(pairing files: [LedgerFile], audited: [String: [AuditFinding]] = [:]) -> AuditReport {
        var report = AuditReport(findings: files.flatMap { audited[$0.path] ?? audit($0) })
        var copies: [LedgerID: [LedgerCopy]] = [:]
        for file in files {
            for copy in file.copies { copies[copy.ledgerID, default: []].append(copy) }
        }
        for ledgerID in copies.keys.sorted() {
            let group = copies[ledgerID]!
            if group.count > 1 {
                for other in group.dropFirst() { report.findings += compare(group[0], other) }
                continue
            }
            for file in files where file.path != group[0].source {
                report.findings += missingCopy(of: group[0], in: file)
            }
        }
        return report
    }

    /// The `truncated` finding (seq `-`) for a ledger whose other party holds `file` but no copy of it there;
    /// nothing when neither party of the ledger holds `file`.
    func missingCopy(of copy: LedgerCopy, in file: LedgerFile) -> [AuditFinding] {
        let parties = [PartyID(copy.header.partyA), PartyID(copy.header.partyB)]
        guard let holder = parties.first(where: file.holders.contains), holder != copy.holder else { return [] }
        return [
            AuditFinding(
                ledgerID: copy.ledgerID, seq: nil, party: holder, rule: .truncated,
                detail: "\(file.path) holds no copy of this ledger")
        ]
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

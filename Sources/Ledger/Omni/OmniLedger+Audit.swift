import Foundation

extension OmniLedger {
    /// Verifies the chain and every answer: each entry's seq, link, time, hash and the publisher's signature, and
    /// each neighbour's countersignature or signed refusal (under `trustedKeys` when given, else the recorded
    /// key). A refusal that verifies is itself a finding (`refused_endorsement`, its reason as the detail): the
    /// neighbour says the entry is wrong. What the entries say is checked by the layer that understands them
    /// (`ReputationPublication.review`).
    public func audit(trustedKeys: KeyDirectory? = nil) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        func report(_ seq: UInt64?, _ party: PartyID?, _ rule: AuditRule, _ detail: String) {
            findings.append(AuditFinding(ledgerID: id, seq: seq, party: party, rule: rule, detail: detail))
        }
        var publisherKey = publicKey
        if let trustedKeys {
            if let trusted = trustedKeys.publicKey(for: publisher) {
                if trusted != publicKey {
                    report(nil, publisher, .unknownKey, "recorded key \(publicKey.hexString) is not the trusted key")
                }
                publisherKey = trusted
            } else {
                report(nil, publisher, .unknownKey, "publisher is not in the trusted key directory")
            }
        }
        let entries: [LedgerEntry]
        do {
            entries = try self.entries()
        } catch {
            report(nil, publisher, .malformedEntry, "entries cannot be read: \(error)")
            return findings
        }
        var previousHash = LedgerEntry.genesisPrevHash
        var previousTime = Int64.min
        var hashes: [UInt64: String] = [:]
        for (index, entry) in entries.enumerated() {
            let expected = UInt64(index + 1)
            if entry.seq != expected { report(entry.seq, entry.author, .seqGap, "expected seq \(expected)") }
            if entry.prevHash != previousHash {
                report(entry.seq, entry.author, .brokenChain, "prev_hash is not entry \(entry.seq - 1)'s hash")
            }
            if entry.author != publisher {
                report(entry.seq, entry.author, .unknownAuthor, "only \(publisher) writes its omni-lateral ledger")
            }
            if entry.time < previousTime {
                report(entry.seq, entry.author, .timeBackwards, "time \(entry.time) is before \(previousTime)")
            }
            let computed = entry.computeHash()
            if entry.entryHashBytes != computed {
                report(entry.seq, entry.author, .badEntryHash, "recomputed \(computed.hexString)")
            } else if !Ed25519.verify(signature: entry.authorSignature, of: computed, publicKey: publisherKey) {
                report(entry.seq, entry.author, .badAuthorSignature, "the publisher's signature does not verify")
            }
            hashes[entry.seq] = entry.entryHash
            previousHash = entry.entryHash
            previousTime = entry.time
        }
        let verdicts: [OmniVerdict]
        do {
            verdicts = try self.verdicts()
        } catch {
            report(nil, nil, .malformedEntry, "answers cannot be read: \(error)")
            return findings
        }
        for verdict in verdicts {
            let key = trustedKeys?.publicKey(for: verdict.party)
            if trustedKeys != nil, key == nil {
                report(verdict.seq, verdict.party, .unknownKey, "neighbour is not in the trusted key directory")
            }
            guard hashes[verdict.seq] == verdict.entryHash else {
                report(verdict.seq, verdict.party, .badEndorsement, "answers an entry hash this ledger does not have")
                continue
            }
            guard verdict.verifies(under: key) else {
                report(verdict.seq, verdict.party, .badEndorsement, "the signature does not verify")
                continue
            }
            if let refusal = verdict.refusal { report(verdict.seq, verdict.party, .refusedEndorsement, refusal) }
        }
        return findings
    }
}

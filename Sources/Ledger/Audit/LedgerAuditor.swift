import CanonicalJSON
import Crypto
import Foundation

/// Verifies ledger copies and checkpoints and names every entry and rule that is wrong.
///
/// Keys: each copy records both parties' public keys; an auditor may also hold a trusted `KeyDirectory`. With a
/// directory, signatures are checked against the directory's keys, and a copy whose recorded key differs (or a
/// signature that verifies only under the recorded key) is reported as `unknown_key`. Signature checks run on
/// every core.
public struct LedgerAuditor: Sendable {
    /// Keys the auditor trusts, if any; otherwise the keys recorded in each copy are used.
    public var trustedKeys: KeyDirectory?
    /// How many threads verify signatures (default: every core).
    public var cores: Int?
    /// Who may say what (`EntryRules.broker` for the product's ledgers); nil checks only the chain's integrity.
    public var rules: EntryRules?
    /// Witnesses whose cosignature every checkpoint must carry: `unwitnessed_checkpoint` when a checkpoint has no
    /// line by one of them, `bad_witness_cosignature` when its line does not verify.
    public var witnessKeys: [VerifierKey]

    public init(
        trustedKeys: KeyDirectory? = nil, cores: Int? = nil, rules: EntryRules? = nil, witnessKeys: [VerifierKey] = []
    ) {
        self.trustedKeys = trustedKeys
        self.cores = cores
        self.rules = rules
        self.witnessKeys = witnessKeys
    }

    // MARK: - Files

    /// Audits every ledger in a SQLite file, its orphan rows and its stored checkpoints.
    /// - Throws: `LedgerError(.storage)` when the file is unreadable.
    public func audit(file path: String) throws -> [AuditFinding] {
        let file = try LedgerFile(path: path)
        return audit(file)
    }

    /// Audits every ledger of a read file, its orphan rows and its stored checkpoints.
    public func audit(_ file: LedgerFile) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        let ids = file.copies.map(\.header.ledgerID)
        for copy in file.copies {
            findings += audit(copy, otherLedgerIDs: ids.filter { $0 != copy.header.ledgerID })
            var stored: [Checkpoint] = []
            for note in file.checkpointNotes[copy.header.ledgerID] ?? [] {
                guard let checkpoint = try? Checkpoint.parse(note) else {
                    findings += check(copy, againstCheckpointText: note)
                    continue
                }
                stored.append(checkpoint)
            }
            findings += check(copy, againstStored: stored)
        }
        for row in file.orphanRows {
            let home = ids.first { row.computeHash(ledgerID: $0).hexString == row.entryHash }
            findings.append(
                AuditFinding(
                    ledgerID: LedgerID(rawValue: row.ledgerID), seq: UInt64(clamping: row.seq),
                    party: PartyID(row.author),
                    rule: .foreignLedgerID,
                    detail: "entry of a ledger with no header in this file"
                        + (home.map { "; it was made for ledger \($0)" } ?? "")))
        }
        return findings
    }

    // MARK: - One copy

    private enum SignatureCheck: Equatable {
        case valid, bad, missing, untrustedKey, noKey
    }

    private struct RowCheck {
        var computedHash: Data
        var hashMatches: Bool
        var malformed: String?
        var author: SignatureCheck
        var counter: SignatureCheck
    }

    /// Audits one copy: header, every hash, link, seq, time and signature.
    /// - Parameter otherLedgerIDs: ids of other ledgers, to recognise an entry moved from one of them.
    public func audit(_ copy: LedgerCopy, otherLedgerIDs: [String] = []) -> [AuditFinding] {
        let ledgerID = copy.ledgerID
        var findings: [AuditFinding] = []
        func report(_ seq: Int64?, _ party: String?, _ rule: AuditRule, _ detail: String) {
            findings.append(
                AuditFinding(
                    ledgerID: ledgerID, seq: seq.map { UInt64(clamping: $0) }, party: party.map { PartyID($0) },
                    rule: rule,
                    detail: detail))
        }

        // The header: keys, nonce, and an id that binds the parties.
        let header = copy.header
        let fileKeyA = Data(hexString: header.publicKeyA).flatMap { $0.count == 32 ? $0 : nil }
        let fileKeyB = Data(hexString: header.publicKeyB).flatMap { $0.count == 32 ? $0 : nil }
        if fileKeyA == nil { report(nil, header.partyA, .malformedLedger, "public_key_a is not 32 bytes of hex") }
        if fileKeyB == nil { report(nil, header.partyB, .malformedLedger, "public_key_b is not 32 bytes of hex") }
        if let nonce = Data(hexString: header.genesisNonce) {
            let derived = LedgerID.derive(
                between: PartyID(header.partyA), and: PartyID(header.partyB), genesisNonce: nonce)
            if derived.rawValue != header.ledgerID {
                report(nil, nil, .foreignLedgerID, "ledger id does not bind parties and nonce (expected \(derived))")
            }
        } else {
            report(nil, nil, .malformedLedger, "genesis_nonce is not hex")
        }
        var fileKeys: [String: Data] = [:]
        fileKeys[header.partyA] = fileKeyA
        fileKeys[header.partyB] = fileKeyB
        var trusted: [String: Data] = fileKeys
        if let directory = trustedKeys {
            for party in [header.partyA, header.partyB] {
                guard let key = directory.publicKey(for: PartyID(party)) else {
                    report(nil, party, .unknownKey, "party is not in the trusted key directory")
                    trusted[party] = nil
                    continue
                }
                if let fileKey = fileKeys[party], fileKey != key {
                    report(nil, party, .unknownKey, "recorded key \(fileKey.hexString) is not the trusted key")
                }
                trusted[party] = key
            }
        }
        let parsedTrusted = trusted.compactMapValues { Ed25519.publicKey($0) }
        let parsedFile = fileKeys.compactMapValues { Ed25519.publicKey($0) }
        let counterparty = [header.partyA: header.partyB, header.partyB: header.partyA]

        // Hashes and signatures: independent per row, so on every core.
        let rows = copy.rows
        let checks = ParallelMap.map(count: rows.count, cores: cores) { index -> RowCheck in
            let row = rows[index]
            let computed = row.computeHash()
            let stored = Hex.isCanonical(row.entryHash, byteCount: 32) ? Data(hexString: row.entryHash) : nil
            var malformed: String?
            if stored == nil { malformed = "entry_hash is not 64 lower-case hex digits" }
            if !Self.isCanonicalJSON(row.body) { malformed = "body is not RFC 8785 canonical JSON" }
            if !Self.isCanonicalJSON(row.refs) { malformed = "refs is not RFC 8785 canonical JSON" }
            let message = stored ?? computed
            func check(_ signatureHex: String?, _ party: String?) -> SignatureCheck {
                guard let signatureHex else { return .missing }
                guard let party, let key = parsedTrusted[party] else { return .noKey }
                guard let signature = Data(hexString: signatureHex), signature.count == 64 else { return .bad }
                if key.isValidSignature(signature, for: message) { return .valid }
                if let fileKey = parsedFile[party], fileKey.rawRepresentation != key.rawRepresentation,
                    fileKey.isValidSignature(signature, for: message)
                {
                    return .untrustedKey
                }
                return .bad
            }
            let isParty = counterparty[row.author] != nil
            return RowCheck(
                computedHash: computed, hashMatches: stored == computed, malformed: malformed,
                author: isParty ? check(row.authorSig, row.author) : .noKey,
                counter: isParty ? check(row.counterSig, counterparty[row.author]) : .noKey)
        }

        // Where each genuine entry belongs: its depth along the prev_hash links (needed only for bad rows).
        var indexByHash: [String: Int] = [:]
        for (index, row) in rows.enumerated() where indexByHash[row.entryHash] == nil {
            indexByHash[row.entryHash] = index
        }
        var depthMemo = [Int64?](repeating: nil, count: rows.count)
        func chainDepth(_ start: Int) -> Int64? {
            var path: [Int] = []
            var visited = Set<Int>()
            var current = start
            var base: Int64?
            while true {
                if let known = depthMemo[current] {
                    base = known
                    break
                }
                guard visited.insert(current).inserted else { return nil }
                path.append(current)
                let prev = rows[current].prevHash
                if prev == LedgerEntry.genesisPrevHash {
                    base = 0
                    break
                }
                guard let next = indexByHash[prev] else { return nil }
                current = next
            }
            guard var depth = base else { return nil }
            for index in path.reversed() {
                depth += 1
                depthMemo[index] = depth
            }
            return depthMemo[start]
        }

        // The sequential pass: seq, chain and time, and a precise rule for each bad hash.
        var expectedSeq: Int64 = 1
        var previousHash = LedgerEntry.genesisPrevHash
        var previousTime = Int64.min
        var previousDisplaced = false
        var firstIndexOfSeq: [Int64: Int] = [:]
        for (index, row) in rows.enumerated() {
            let check = checks[index]
            if row.ledgerID != header.ledgerID {
                report(row.seq, row.author, .foreignLedgerID, "row names ledger \(row.ledgerID)")
            }
            if let malformed = check.malformed { report(row.seq, row.author, .malformedEntry, malformed) }
            if row.seq < expectedSeq {
                let first = firstIndexOfSeq[row.seq].map { rows[$0].entryHash == row.entryHash } ?? false
                report(
                    row.seq, row.author, .seqDuplicate,
                    first ? "entry stored twice at this seq" : "a second, different entry at this seq")
                continue
            }
            firstIndexOfSeq[row.seq] = index
            var displaced = false
            if !check.hashMatches && check.malformed == nil {
                if let depth = chainDepth(index), depth != row.seq,
                    row.computeHash(seq: depth).hexString == row.entryHash
                {
                    displaced = true
                    let original = indexByHash[row.entryHash].map { $0 != index } ?? false
                    if original {
                        report(row.seq, row.author, .seqDuplicate, "copy of the entry at seq \(depth)")
                    } else {
                        report(row.seq, row.author, .reordered, "entry made for seq \(depth) found at seq \(row.seq)")
                    }
                } else if let home = otherLedgerIDs.first(where: {
                    row.computeHash(ledgerID: $0).hexString == row.entryHash
                }) {
                    displaced = true
                    report(row.seq, row.author, .foreignLedgerID, "entry was made for ledger \(home)")
                } else {
                    report(
                        row.seq, row.author, .badEntryHash,
                        "stored \(row.entryHash), computed \(check.computedHash.hexString)")
                }
            }
            if row.seq > expectedSeq {
                let missing = expectedSeq == row.seq - 1 ? "\(expectedSeq)" : "\(expectedSeq)-\(row.seq - 1)"
                report(expectedSeq, nil, .seqGap, "seq \(missing) missing before seq \(row.seq)")
            } else if !displaced && !previousDisplaced && row.prevHash != previousHash {
                report(row.seq, row.author, .brokenChain, "prev_hash \(row.prevHash) is not \(previousHash)")
            }
            if !displaced && row.time < previousTime {
                report(row.seq, row.author, .timeBackwards, "time \(row.time) is before \(previousTime)")
            }
            if displaced {
                // A genuine entry in the wrong place: its signatures belong to where it was made.
            } else if counterparty[row.author] == nil {
                report(row.seq, row.author, .unknownAuthor, "author is not a party to this ledger")
            } else {
                let signer = counterparty[row.author]!
                switch check.author {
                case .bad: report(row.seq, row.author, .badAuthorSignature, "author signature does not verify")
                case .untrustedKey:
                    report(row.seq, row.author, .unknownKey, "author signature made with a key not in the directory")
                case .missing: report(row.seq, row.author, .badAuthorSignature, "author signature missing")
                case .valid, .noKey: break
                }
                switch check.counter {
                case .bad: report(row.seq, signer, .badCountersignature, "countersignature does not verify")
                case .untrustedKey:
                    report(row.seq, signer, .unknownKey, "countersignature made with a key not in the directory")
                case .missing: report(row.seq, signer, .missingCountersignature, "entry was never countersigned")
                case .valid, .noKey: break
                }
            }
            expectedSeq = row.seq + 1
            previousHash = row.entryHash
            previousTime = max(previousTime, row.time)
            previousDisplaced = displaced
        }
        if let rules { findings += entryRuleFindings(copy, rules: rules) }
        return findings
    }

    static func isCanonicalJSON(_ text: String) -> Bool {
        let data = Data(text.utf8)
        guard let value = try? JSONValue.parse(data) else { return false }
        return value.canonicalData == data
    }

    // MARK: - Two copies

    /// Compares two copies of one ledger: the first differing seq, or that one is a strict prefix (truncation).
    public func compare(_ first: LedgerCopy, _ second: LedgerCopy) -> [AuditFinding] {
        let ledgerID = first.ledgerID
        guard first.header.ledgerID == second.header.ledgerID else {
            return [
                AuditFinding(
                    ledgerID: ledgerID, seq: nil, party: nil, rule: .copiesDiverge,
                    detail: "copies are of different ledgers (\(first.ledgerID) and \(second.ledgerID))")
            ]
        }
        var findings: [AuditFinding] = []
        var headerA = first.header
        var headerB = second.header
        headerA.holder = nil
        headerB.holder = nil
        if headerA != headerB {
            findings.append(
                AuditFinding(
                    ledgerID: ledgerID, seq: nil, party: nil, rule: .copiesDiverge,
                    detail: "headers differ (parties, keys or nonce)"))
        }
        let nameA = first.holder?.rawValue ?? first.source
        let nameB = second.holder?.rawValue ?? second.source
        for (rowA, rowB) in zip(first.rows, second.rows) where rowA != rowB {
            let field = Self.firstDifferingField(rowA, rowB)
            findings.append(
                AuditFinding(
                    ledgerID: ledgerID, seq: UInt64(clamping: min(rowA.seq, rowB.seq)), party: nil,
                    rule: .copiesDiverge,
                    detail: "first difference: \(field) differs between \(nameA) and \(nameB)"))
            return findings
        }
        if first.rows.count != second.rows.count {
            let (short, long) = first.rows.count < second.rows.count ? (first, second) : (second, first)
            let seq = (short.rows.last?.seq ?? 0) + 1
            findings.append(
                AuditFinding(
                    ledgerID: ledgerID, seq: UInt64(clamping: seq), party: short.holder, rule: .truncated,
                    detail: "copy \(short.holder?.rawValue ?? short.source) ends at seq \(seq - 1), a strict prefix of "
                        + "\(long.holder?.rawValue ?? long.source) with \(long.rows.count) entries"))
        }
        return findings
    }

    private static func firstDifferingField(_ a: LedgerCopy.Row, _ b: LedgerCopy.Row) -> String {
        if a.seq != b.seq { return "seq" }
        if a.prevHash != b.prevHash { return "prev_hash" }
        if a.entryHash != b.entryHash { return "entry_hash" }
        if a.time != b.time { return "time" }
        if a.author != b.author { return "author" }
        if a.kind != b.kind { return "kind" }
        if a.refs != b.refs { return "refs" }
        if a.body != b.body { return "body" }
        if a.authorSig != b.authorSig { return "author_sig" }
        return "counter_sig"
    }
}

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

    /// Audits every ledger in a SQLite file, its orphan rows and its stored checkpoints, checking each block of rows
    /// on the other cores while the next is read (`read(path:)`).
    /// - Throws: `LedgerError(.storage)` when the file is unreadable, `.notALedgerFile` when it has no ledger tables.
    public func audit(file path: String) throws -> [AuditFinding] {
        try read(path: path).findings
    }

    /// Reads a ledger file and audits it as it is read: the hashes and signatures of each block of rows are checked
    /// on every core while the next block is read, then the copies are audited as `audit(_:)` does.
    /// - Throws: `LedgerError(.storage)` when the file is unreadable, `.notALedgerFile` when it has no ledger tables.
    public func read(path: String) throws -> (file: LedgerFile, findings: [AuditFinding]) {
        let (file, findings, _) = try readCounting(path: path)
        return (file, findings)
    }

    /// `read(path:)`, and how many copies were audited with the checks made while reading (the rest, if any, were
    /// checked again after the read: tests assert there are none).
    func readCounting(path: String) throws -> (file: LedgerFile, findings: [AuditFinding], streamedCopies: Int) {
        var pipeline: BlockPipeline<[LedgerCopy.Row], [RowCheck?]>?
        let file: LedgerFile
        do {
            file = try LedgerFile(path: path) { headers, block in
                let blocks =
                    pipeline
                    ?? {
                        let keys = Dictionary(headers.map { ($0.ledgerID, keyContext(of: $0).context) }) { first, _ in
                            first
                        }
                        return BlockPipeline(cores: cores) { rows in
                            rows.map { row in keys[row.ledgerID].map { Self.check(row, keys: $0) } }
                        }
                    }()
                pipeline = blocks
                blocks.submit(block)
            }
        } catch {
            // A read that fails part way still lets the helper threads finish and end.
            pipeline?.cancel()
            throw error
        }
        // The blocks hold every row in the order read (ledger by ledger); orphan rows have no check.
        var checks: [String: [RowCheck]] = [:]
        for block in pipeline?.finish() ?? [] {
            for case let check? in block { checks[check.ledgerID, default: []].append(check) }
        }
        let streamed = file.copies.filter { checks[$0.header.ledgerID]?.count == $0.rows.count }.count
        return (file, audit(file, checks: checks), streamed)
    }

    /// Audits every ledger of a read file, its orphan rows and its stored checkpoints.
    public func audit(_ file: LedgerFile) -> [AuditFinding] {
        audit(file, checks: [:])
    }

    /// `audit(_:)` with the row checks of some copies already made (by ledger id, one per row, in order).
    private func audit(_ file: LedgerFile, checks: [String: [RowCheck]]) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        let ids = file.copies.map(\.header.ledgerID)
        for copy in file.copies {
            findings += audit(
                copy, otherLedgerIDs: ids.filter { $0 != copy.header.ledgerID },
                checks: checks[copy.header.ledgerID])
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

    private enum SignatureCheck: Equatable, Sendable {
        case valid, bad, missing, untrustedKey, noKey
    }

    private struct RowCheck: Sendable {
        var ledgerID: String
        var computedHash: Data
        var hashMatches: Bool
        var malformed: String?
        var author: SignatureCheck
        var counter: SignatureCheck
    }

    /// The keys a copy's signatures are checked with: the trusted ones (the directory's, else the recorded ones)
    /// and the recorded ones, parsed, and each party's counterparty. Immutable once made, so shared with the
    /// threads that check rows (swift-crypto's key type is a value wrapping bytes but is not marked `Sendable`).
    private struct KeyContext: @unchecked Sendable {
        var trusted: [String: Curve25519.Signing.PublicKey]
        var recorded: [String: Curve25519.Signing.PublicKey]
        var counterparty: [String: String]
    }

    /// The key context of a copy's header, and what is wrong with the header's keys (party, rule, detail).
    private func keyContext(
        of header: LedgerCopy.Header
    ) -> (
        context: KeyContext, problems: [(party: String, rule: AuditRule, detail: String)]
    ) {
        var problems: [(party: String, rule: AuditRule, detail: String)] = []
        let fileKeyA = Data(hexString: header.publicKeyA).flatMap { $0.count == 32 ? $0 : nil }
        let fileKeyB = Data(hexString: header.publicKeyB).flatMap { $0.count == 32 ? $0 : nil }
        if fileKeyA == nil { problems.append((header.partyA, .malformedLedger, "public_key_a is not 32 bytes of hex")) }
        if fileKeyB == nil { problems.append((header.partyB, .malformedLedger, "public_key_b is not 32 bytes of hex")) }
        var fileKeys: [String: Data] = [:]
        fileKeys[header.partyA] = fileKeyA
        fileKeys[header.partyB] = fileKeyB
        var trusted: [String: Data] = fileKeys
        if let directory = trustedKeys {
            for party in [header.partyA, header.partyB] {
                guard let key = directory.publicKey(for: PartyID(party)) else {
                    problems.append((party, .unknownKey, "party is not in the trusted key directory"))
                    trusted[party] = nil
                    continue
                }
                if let fileKey = fileKeys[party], fileKey != key {
                    problems.append((party, .unknownKey, "recorded key \(fileKey.hexString) is not the trusted key"))
                }
                trusted[party] = key
            }
        }
        let context = KeyContext(
            trusted: trusted.compactMapValues { Ed25519.publicKey($0) },
            recorded: fileKeys.compactMapValues { Ed25519.publicKey($0) },
            counterparty: [header.partyA: header.partyB, header.partyB: header.partyA])
        return (context, problems)
    }

    /// One row's hash, form and signatures: independent of every other row, so checked on every core.
    private static func check(_ row: LedgerCopy.Row, keys: KeyContext) -> RowCheck {
        let computed = row.computeHash()
        let stored = Hex.isCanonical(row.entryHash, byteCount: 32) ? Data(hexString: row.entryHash) : nil
        var malformed: String?
        if stored == nil { malformed = "entry_hash is not 64 lower-case hex digits" }
        if !JSONValue.isCanonical(row.body) { malformed = "body is not RFC 8785 canonical JSON" }
        if !JSONValue.isCanonical(row.refs) { malformed = "refs is not RFC 8785 canonical JSON" }
        let message = stored ?? computed
        func check(_ signatureHex: String?, _ party: String?) -> SignatureCheck {
            guard let signatureHex else { return .missing }
            guard let party, let key = keys.trusted[party] else { return .noKey }
            guard let signature = Data(hexString: signatureHex), signature.count == 64 else { return .bad }
            if key.isValidSignature(signature, for: message) { return .valid }
            if let fileKey = keys.recorded[party], fileKey.rawRepresentation != key.rawRepresentation,
                fileKey.isValidSignature(signature, for: message)
            {
                return .untrustedKey
            }
            return .bad
        }
        let isParty = keys.counterparty[row.author] != nil
        return RowCheck(
            ledgerID: row.ledgerID, computedHash: computed, hashMatches: stored == computed, malformed: malformed,
            author: isParty ? check(row.authorSig, row.author) : .noKey,
            counter: isParty ? check(row.counterSig, keys.counterparty[row.author]) : .noKey)
    }

    /// Audits one copy: header, every hash, link, seq, time and signature.
    /// - Parameter otherLedgerIDs: ids of other ledgers, to recognise an entry moved from one of them.
    public func audit(_ copy: LedgerCopy, otherLedgerIDs: [String] = []) -> [AuditFinding] {
        audit(copy, otherLedgerIDs: otherLedgerIDs, checks: nil)
    }

    /// `audit(_:otherLedgerIDs:)`, with each row's check already made when `checks` holds one per row.
    private func audit(_ copy: LedgerCopy, otherLedgerIDs: [String], checks made: [RowCheck]?) -> [AuditFinding] {
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
        let (keys, problems) = keyContext(of: header)
        for problem in problems where problem.rule == .malformedLedger {
            report(nil, problem.party, problem.rule, problem.detail)
        }
        if let nonce = Data(hexString: header.genesisNonce) {
            let derived = LedgerID.derive(
                between: PartyID(header.partyA), and: PartyID(header.partyB), genesisNonce: nonce)
            if derived.rawValue != header.ledgerID {
                report(nil, nil, .foreignLedgerID, "ledger id does not bind parties and nonce (expected \(derived))")
            }
        } else {
            report(nil, nil, .malformedLedger, "genesis_nonce is not hex")
        }
        for problem in problems where problem.rule != .malformedLedger {
            report(nil, problem.party, problem.rule, problem.detail)
        }
        let counterparty = keys.counterparty

        // Hashes and signatures: independent per row, so on every core (or made already while the file was read).
        let rows = copy.rows
        let checks =
            made.flatMap { $0.count == rows.count ? $0 : nil }
            ?? ParallelMap.map(count: rows.count, cores: cores) { Self.check(rows[$0], keys: keys) }

        // Where each genuine entry belongs: its depth along the prev_hash links (needed only for bad rows, so the
        // index by hash is built at the first one).
        var rowIndexByHash: [String: Int]?
        func indexByHash(_ hash: String) -> Int? {
            if rowIndexByHash == nil {
                var index: [String: Int] = [:]
                for (position, row) in rows.enumerated() where index[row.entryHash] == nil {
                    index[row.entryHash] = position
                }
                rowIndexByHash = index
            }
            return rowIndexByHash?[hash]
        }
        var depthMemo: [Int64?] = []
        func chainDepth(_ start: Int) -> Int64? {
            if depthMemo.isEmpty { depthMemo = [Int64?](repeating: nil, count: rows.count) }
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
                guard let next = indexByHash(prev) else { return nil }
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
                    let original = indexByHash(row.entryHash).map { $0 != index } ?? false
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

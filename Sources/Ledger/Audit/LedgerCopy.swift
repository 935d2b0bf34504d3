import CanonicalJSON
import Foundation
import GRDB

/// One copy of one ledger exactly as stored, text and all, for the auditor: nothing is trusted or decoded
/// until the auditor checks it, so a tampered row is still read and reported rather than refused.
public struct LedgerCopy: Sendable, Hashable {
    /// A stored header row.
    public struct Header: Sendable, Hashable {
        public var ledgerID: String
        public var partyA: String
        public var partyB: String
        public var publicKeyA: String
        public var publicKeyB: String
        public var genesisNonce: String
        public var holder: String?
    }

    /// A stored entry row, columns as text (signatures and hashes in hex).
    public struct Row: Sendable, Hashable {
        public var ledgerID: String
        public var seq: Int64
        public var prevHash: String
        public var entryHash: String
        public var time: Int64
        public var author: String
        public var kind: String
        public var refs: String
        public var body: String
        public var authorSig: String
        public var counterSig: String?
    }

    /// Where the copy was read from (a path, or a description).
    public var source: String
    public var header: Header
    /// The entry rows of this ledger id, by seq (ties by row order).
    public var rows: [Row]

    /// The ledger id as stored.
    public var ledgerID: LedgerID { LedgerID(rawValue: header.ledgerID) }

    /// The RFC 9162 inclusion proof of entry `seq` (1-based) in the tree of the copy's first `size` entries.
    /// - Precondition: `1 <= seq <= size <= rows.count`.
    public func inclusionProof(seq: UInt64, size: Int) -> [Data] {
        let leaves = rows.prefix(size).map { MerkleTree.leafHash(Data(hexString: $0.entryHash) ?? Data()) }
        return MerkleTree.inclusionProof(index: Int(seq - 1), leafHashes: Array(leaves))
    }

    /// The holder as stored, if recorded.
    public var holder: PartyID? { header.holder.map { PartyID($0) } }

    public init(source: String, header: Header, rows: [Row]) {
        self.source = source
        self.header = header
        self.rows = rows
    }

    /// The copy of `ledgerID` held in `store` (any implementation), as the auditor sees stored rows.
    public init(store: any LedgerStore, ledgerID: LedgerID, holder: PartyID? = nil) throws {
        guard let header = try store.header(of: ledgerID) else {
            throw LedgerError(.wrongLedger, "no ledger \(ledgerID) in the store")
        }
        self.source = "store"
        self.header = Header(
            ledgerID: ledgerID.rawValue, partyA: header.partyA.rawValue, partyB: header.partyB.rawValue,
            publicKeyA: header.publicKeyA.hexString, publicKeyB: header.publicKeyB.hexString,
            genesisNonce: header.genesisNonce.hexString, holder: holder?.rawValue)
        self.rows = try store.entries(of: ledgerID).map(Row.init(entry:))
    }
}

extension LedgerCopy.Row {
    /// The row a store writes for `entry`.
    public init(entry: LedgerEntry) {
        self.init(
            ledgerID: entry.ledgerID.rawValue, seq: Int64(clamping: entry.seq), prevHash: entry.prevHash,
            entryHash: entry.entryHash, time: entry.time, author: entry.author.rawValue, kind: entry.kind,
            refs: String(decoding: entry.refsJSON, as: UTF8.self),
            body: String(decoding: entry.bodyJSON, as: UTF8.self),
            authorSig: entry.authorSignature.hexString, counterSig: entry.counterSignature?.hexString)
    }

    /// The entry hash recomputed from the stored text, with the given ledger id and seq.
    func computeHash(ledgerID: String? = nil, seq: Int64? = nil) -> Data {
        EntryEncoding.hash(
            ledgerID: ledgerID ?? self.ledgerID, seq: UInt64(clamping: seq ?? self.seq), prevHash: prevHash, time: time,
            author: author, kind: kind, refsJSON: Data(refs.utf8), bodyJSON: Data(body.utf8))
    }
}

/// Everything in one ledger SQLite file, read through a read-only connection.
public struct LedgerFile: Sendable {
    /// The file.
    public let path: String
    /// One copy per row of `ledgers`.
    public let copies: [LedgerCopy]
    /// Entry rows whose ledger id has no header in `ledgers`.
    public let orphanRows: [LedgerCopy.Row]
    /// Signed-note texts from the `checkpoints` table, by ledger id.
    public let checkpointNotes: [String: [String]]

    /// How many entry rows `init(path:onBlock:)` hands over at a time.
    public static let readBlock = 128

    /// Reads a ledger file without modifying it.
    /// - Parameter onBlock: given the headers and each block of up to `readBlock` entry rows as they are read, in
    ///   order (ledger by ledger), so a reader can work on one block while the next is read.
    /// - Throws: `LedgerError(.storage)` when the file is not a readable SQLite file, `.notALedgerFile` when it is
    ///   one without the `ledgers` and `entries` tables.
    public init(
        path: String, onBlock: ((_ headers: [LedgerCopy.Header], _ rows: [LedgerCopy.Row]) -> Void)? = nil
    ) throws {
        self.path = path
        let store = try SQLiteLedgerStore(readOnlyPath: path)
        let (headers, rows, notes) = try store.read {
            db -> ([LedgerCopy.Header], [LedgerCopy.Row], [String: [String]]) in
            let tables = try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            guard tables.contains("ledgers"), tables.contains("entries") else {
                throw LedgerError(.notALedgerFile, "\(path) has no ledgers and entries tables")
            }
            let headers = try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT CAST(ledger_id AS TEXT), CAST(party_a AS TEXT), CAST(party_b AS TEXT),
                        CAST(public_key_a AS TEXT), CAST(public_key_b AS TEXT), CAST(genesis_nonce AS TEXT),
                        CAST(holder AS TEXT) FROM ledgers ORDER BY ledger_id
                    """
            ).map { row in
                LedgerCopy.Header(
                    ledgerID: row[0] ?? "", partyA: row[1] ?? "", partyB: row[2] ?? "", publicKeyA: row[3] ?? "",
                    publicKeyB: row[4] ?? "", genesisNonce: row[5] ?? "", holder: row[6])
            }
            var rows: [LedgerCopy.Row] = []
            var block: [LedgerCopy.Row] = []
            func handOver() {
                guard let onBlock, !block.isEmpty else { return }
                onBlock(headers, block)
                rows.append(contentsOf: block)
                block.removeAll(keepingCapacity: true)
            }
            let cursor = try GRDB.Row.fetchCursor(
                db,
                sql: """
                    SELECT CAST(ledger_id AS TEXT), CAST(seq AS INTEGER), CAST(prev_hash AS TEXT),
                        CAST(entry_hash AS TEXT), CAST(time AS INTEGER), CAST(author AS TEXT), CAST(kind AS TEXT),
                        CAST(refs AS TEXT), CAST(body AS TEXT), CAST(author_sig AS TEXT), CAST(counter_sig AS TEXT)
                    FROM entries ORDER BY ledger_id, seq, rowid
                    """)
            while let row = try cursor.next() {
                let read = LedgerCopy.Row(
                    ledgerID: row[0] ?? "", seq: row[1] ?? 0, prevHash: row[2] ?? "", entryHash: row[3] ?? "",
                    time: row[4] ?? 0, author: row[5] ?? "", kind: row[6] ?? "", refs: row[7] ?? "",
                    body: row[8] ?? "", authorSig: row[9] ?? "", counterSig: row[10])
                guard onBlock != nil else {
                    rows.append(read)
                    continue
                }
                block.append(read)
                if block.count == Self.readBlock { handOver() }
            }
            handOver()
            var notes: [String: [String]] = [:]
            if tables.contains("checkpoints") {
                for row in try GRDB.Row.fetchAll(
                    db,
                    sql: "SELECT CAST(ledger_id AS TEXT), CAST(note AS TEXT) FROM checkpoints ORDER BY ledger_id, size")
                {
                    notes[row[0] ?? "", default: []].append(row[1] ?? "")
                }
            }
            return (headers, rows, notes)
        }
        var byLedger = Dictionary(grouping: rows, by: \.ledgerID)
        copies = headers.map { header in
            LedgerCopy(source: path, header: header, rows: byLedger.removeValue(forKey: header.ledgerID) ?? [])
        }
        orphanRows = byLedger.values.flatMap { $0 }.sorted { ($0.ledgerID, $0.seq) < ($1.ledgerID, $1.seq) }
        checkpointNotes = notes
    }

    /// Reads a file given to the auditor: the ledger file, or `nil` when it is a readable SQLite file without the
    /// ledger tables (a node's `…-journal.sqlite` or `…-replay.sqlite`), which an audit skips.
    /// - Throws: `LedgerError(.storage)` when the file is not a readable SQLite file.
    public static func open(path: String) throws -> LedgerFile? {
        do {
            return try LedgerFile(path: path)
        } catch let error as LedgerError where error.code == .notALedgerFile {
            return nil
        }
    }

    /// The parties whose copies this file holds, as recorded in its headers.
    public var holders: Set<PartyID> { Set(copies.compactMap(\.holder)) }

    /// The copy of `ledgerID`, if the file holds it.
    public func copy(of ledgerID: LedgerID) -> LedgerCopy? {
        copies.first { $0.header.ledgerID == ledgerID.rawValue }
    }

    /// The stored checkpoint of `ledgerID` for tree size `size`, or the largest stored one without a size.
    public func checkpoint(of ledgerID: LedgerID, size: UInt64? = nil) -> Checkpoint? {
        let checkpoints = (checkpointNotes[ledgerID.rawValue] ?? []).compactMap { try? Checkpoint.parse($0) }
        guard let size else { return checkpoints.last }
        return checkpoints.first { $0.size == size }
    }
}

extension LedgerCopy {
    /// The rows that read as entries (refs and body parse as JSON; hashes and signatures as stored), in seq order:
    /// what a reader of the ledger's content — such as an omni-lateral review — needs. The integrity of each row is
    /// the auditor's business (`LedgerAuditor.audit`).
    public var entries: [LedgerEntry] {
        rows.compactMap { row in
            guard let refs = try? JSONValue.parse(Data(row.refs.utf8)), case .object(let members) = refs,
                let body = try? JSONValue.parse(Data(row.body.utf8)), let signature = Data(hexString: row.authorSig)
            else { return nil }
            return LedgerEntry(
                ledgerID: LedgerID(rawValue: row.ledgerID), seq: UInt64(clamping: row.seq), prevHash: row.prevHash,
                time: row.time, author: PartyID(row.author), kind: row.kind,
                refs: members.compactMapValues { $0.stringValue }, body: body, entryHash: row.entryHash,
                authorSignature: signature, counterSignature: row.counterSig.flatMap { Data(hexString: $0) })
        }
    }
}

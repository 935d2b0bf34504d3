import CanonicalJSON
import Crypto
import Foundation
import GRDB
import Synchronization

/// A provider's omni-lateral ledger (ETSI PDL §5, §66): an append-only, hash-chained log that only its publisher
/// writes — its SLA reputation, for the whole ecosystem to read — and that each immediate neighbour countersigns
/// after checking the entry against its own copy of their bilateral ledger, or refuses with a signed reason.
///
/// Entries are `LedgerEntry` values with the bilateral hash rule (LEDGER.md §2) and no `counterSignature`; the
/// neighbours' answers are `OmniVerdict`s beside them. One SQLite file (through GRDB) per omni ledger, or an
/// in-memory database; the schema is a public contract (LEDGER.md §13): tables `omni_ledger`, `omni_entries`
/// and `omni_verdicts`.
public final class OmniLedger: Sendable {
    /// The ledger's id: SHA-256 of `"scbroker-omni-v1\npublisher:<id>\nnonce:<hex>\n"`.
    public let id: LedgerID
    public let publisher: PartyID
    /// The publisher's public key (raw 32 bytes).
    public let publicKey: Data
    /// Where the file is, nil in memory.
    public let path: String?
    private let key: PartyKey?
    private let database: DatabaseQueue
    private let head = Mutex<(seq: UInt64, hash: String, time: Int64)>((0, LedgerEntry.genesisPrevHash, .min))

    /// The schema, public contract for auditors.
    public static let schema = """
        CREATE TABLE IF NOT EXISTS omni_ledger (
            ledger_id TEXT PRIMARY KEY NOT NULL,
            publisher TEXT NOT NULL,
            public_key TEXT NOT NULL,
            genesis_nonce TEXT NOT NULL,
            created INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS omni_entries (
            ledger_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            prev_hash TEXT NOT NULL,
            entry_hash TEXT NOT NULL,
            time INTEGER NOT NULL,
            author TEXT NOT NULL,
            kind TEXT NOT NULL,
            refs TEXT NOT NULL,
            body TEXT NOT NULL,
            author_sig TEXT NOT NULL,
            PRIMARY KEY (ledger_id, seq)
        );
        CREATE TABLE IF NOT EXISTS omni_verdicts (
            ledger_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            entry_hash TEXT NOT NULL,
            party TEXT NOT NULL,
            public_key TEXT NOT NULL,
            refusal TEXT,
            signature TEXT NOT NULL,
            PRIMARY KEY (ledger_id, seq, party)
        );
        """

    /// The id of `publisher`'s omni-lateral ledger with this nonce.
    public static func derivedID(publisher: PartyID, genesisNonce: Data) -> LedgerID {
        let text = "scbroker-omni-v1\npublisher:\(publisher.rawValue)\nnonce:\(genesisNonce.hexString)\n"
        return LedgerID(rawValue: Hex.encode(SHA256.hash(data: Data(text.utf8))))
    }

    /// Creates (or reopens) the publisher's omni-lateral ledger, in the file at `path` or in memory.
    /// - Throws: `LedgerError(.storage)` when the file cannot be opened; `.headerMismatch` when it holds another
    ///   publisher's ledger or another key.
    public init(publisher key: PartyKey, genesisNonce: Data, path: String?, created: Int64 = 0) throws {
        self.key = key
        publisher = key.party
        publicKey = key.publicKey
        self.path = path
        id = Self.derivedID(publisher: key.party, genesisNonce: genesisNonce)
        var configuration = Configuration()
        configuration.label = "omni"
        do {
            database = try path.map { try DatabaseQueue(path: $0, configuration: configuration) } ?? DatabaseQueue()
            try database.write { db in
                try db.execute(sql: Self.schema)
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO omni_ledger (ledger_id, publisher, public_key, genesis_nonce, created)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [id.rawValue, publisher.rawValue, publicKey.hexString, genesisNonce.hexString, created])
            }
        } catch {
            throw LedgerError(.storage, "cannot open omni-lateral ledger \(path ?? "in memory"): \(error)")
        }
        let stored = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT ledger_id, publisher, public_key FROM omni_ledger")
        }
        guard stored.count == 1, stored[0]["ledger_id"] == id.rawValue, stored[0]["public_key"] == publicKey.hexString
        else {
            throw LedgerError(.headerMismatch, "\(path ?? "in memory") holds another omni-lateral ledger")
        }
        if let last = try entries().last { head.withLock { $0 = (last.seq, last.entryHash, last.time) } }
    }

    /// Opens an omni-lateral ledger file read-only, as the auditor does; nil when the file has no omni tables.
    public init?(readOnlyPath path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "omni-readonly"
        let database: DatabaseQueue
        let row: Row?
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            row = try database.read { db in
                guard try db.tableExists("omni_ledger"), try db.tableExists("omni_entries") else { return nil }
                return try Row.fetchOne(db, sql: "SELECT * FROM omni_ledger")
            }
        } catch {
            throw LedgerError(.storage, "\(path) is not a readable SQLite file: \(error)")
        }
        guard let row else { return nil }
        self.database = database
        self.path = path
        key = nil
        id = LedgerID(rawValue: row["ledger_id"])
        publisher = PartyID(row["publisher"] as String)
        publicKey = Data(hexString: row["public_key"] as String) ?? Data()
        if let last = try? entries().last { head.withLock { $0 = (last.seq, last.entryHash, last.time) } }
    }

    /// The last entry's seq (0 when empty).
    public var size: UInt64 { head.withLock { $0.seq } }

    /// Appends an entry signed by the publisher; it stays pending until the neighbours answer.
    /// - Throws: `LedgerError(.invalidField)` for a bad kind, `.storage` on a read-only ledger or a write error.
    @discardableResult
    public func append(kind: String, refs: [String: String], body: JSONValue, time: Int64) throws -> LedgerEntry {
        guard let key else { throw LedgerError(.storage, "\(path ?? "omni ledger") is open read-only") }
        return try head.withLock { head in
            let entry = try LedgerEntry.signed(
                by: key, ledgerID: id, seq: head.seq + 1, prevHash: head.hash, time: max(time, head.time), kind: kind,
                refs: refs, body: body)
            try write { db in
                try db.execute(
                    sql: """
                        INSERT INTO omni_entries (ledger_id, seq, prev_hash, entry_hash, time, author, kind, refs,
                            body, author_sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id.rawValue, Int64(entry.seq), entry.prevHash, entry.entryHash, entry.time,
                        entry.author.rawValue, entry.kind, String(decoding: entry.refsJSON, as: UTF8.self),
                        String(decoding: entry.bodyJSON, as: UTF8.self), entry.authorSignature.hexString,
                    ])
            }
            head = (entry.seq, entry.entryHash, entry.time)
            return entry
        }
    }

    /// Stores a neighbour's countersignature or refusal of one of the entries.
    /// - Throws: `LedgerError(.badSignature)` when it does not verify, `.invalidField` when it names no entry of
    ///   this ledger.
    public func record(_ verdict: OmniVerdict) throws {
        guard verdict.verifies() else {
            throw LedgerError(.badSignature, "\(verdict.party)'s answer to omni entry \(verdict.seq) does not verify")
        }
        guard let entry = try entry(seq: verdict.seq), entry.entryHash == verdict.entryHash else {
            throw LedgerError(.invalidField, "omni ledger \(id) has no entry \(verdict.seq) with that hash")
        }
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO omni_verdicts (ledger_id, seq, entry_hash, party, public_key, refusal,
                        signature) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id.rawValue, Int64(verdict.seq), verdict.entryHash, verdict.party.rawValue,
                    verdict.publicKey.hexString, verdict.refusal, verdict.signature.hexString,
                ])
        }
    }

    /// Every entry, by seq.
    public func entries() throws -> [LedgerEntry] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT *, NULL AS counter_sig FROM omni_entries WHERE ledger_id = ? ORDER BY seq",
                arguments: [id.rawValue]
            ).map(SQLiteLedgerStore.entry(from:))
        }
    }

    /// The entry at `seq`, if any.
    public func entry(seq: UInt64) throws -> LedgerEntry? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT *, NULL AS counter_sig FROM omni_entries WHERE ledger_id = ? AND seq = ?",
                arguments: [id.rawValue, Int64(clamping: seq)]
            ).map(SQLiteLedgerStore.entry(from:))
        }
    }

    /// The neighbours' answers, by seq then party.
    public func verdicts() throws -> [OmniVerdict] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM omni_verdicts WHERE ledger_id = ? ORDER BY seq, party",
                arguments: [id.rawValue]
            ).map { row in
                OmniVerdict(
                    seq: UInt64(clamping: row["seq"] as Int64), entryHash: row["entry_hash"],
                    party: PartyID(row["party"] as String),
                    publicKey: Data(hexString: row["public_key"] as String) ?? Data(), refusal: row["refusal"],
                    signature: Data(hexString: row["signature"] as String) ?? Data())
            }
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.read(body) } catch let error as LedgerError { throw error } catch {
            throw LedgerError(.storage, "omni ledger \(path ?? "in memory"): \(error)")
        }
    }

    private func write(_ body: (Database) throws -> Void) throws {
        do { try database.write(body) } catch let error as LedgerError { throw error } catch {
            throw LedgerError(.storage, "omni ledger \(path ?? "in memory"): \(error)")
        }
    }
}

import CanonicalJSON
import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// A `LedgerStore` in one SQLite file (through GRDB), whose schema is a public contract (LEDGER.md):
/// tables `ledgers`, `entries` and `checkpoints`, hashes, keys and signatures as lower-case hex text.
///
/// The file is in WAL mode; `durability` sets `PRAGMA synchronous` and the initializer reads it back, so
/// `.full` is never silently downgraded. Appends are validated before anything is written, and written one
/// transaction per batch: with `batchSize` 1 every `append` call commits at once; with a larger `batchSize`
/// appends are buffered (visible to this store's reads) and committed together every `batchSize` entries, on
/// `flush()`, or at the end of `transaction { }`. A crash loses at most the unflushed buffer and leaves a
/// valid prefix. One writing process per file. The buffer and the cached heads are behind one mutex.
public final class SQLiteLedgerStore: LedgerStore, Sendable {
    /// The file.
    public let path: String
    /// The `synchronous` setting asked for (`nil` for a read-only store).
    public let durability: Durability?
    /// Entries buffered before a commit; 1 commits every `append` at once.
    public let batchSize: Int

    private let database: DatabaseQueue
    private let state = Mutex(BufferState())

    /// What appends change before a commit, only touched with the mutex held.
    private struct BufferState {
        var buffer: [LedgerEntry] = []
        var heads: [LedgerID: LedgerHead] = [:]
        var holdDepth = 0
    }

    /// Opens (creating if needed) a store for reading and writing.
    /// - Parameters:
    ///   - path: the SQLite file.
    ///   - durability: `.full` sets `PRAGMA synchronous=FULL`, `.normal` sets NORMAL; read back and checked.
    ///   - batchSize: how many appended entries to buffer before committing them in one transaction.
    /// - Throws: `LedgerError(.storage)` when the file cannot be opened, `.durability` when the pragma did not
    ///   take effect.
    public init(path: String, durability: Durability = .full, batchSize: Int = 1) throws {
        self.path = path
        self.durability = durability
        self.batchSize = max(1, batchSize)
        var configuration = Configuration()
        configuration.label = "ledger"
        let synchronous = durability == .full ? "FULL" : "NORMAL"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode=WAL")
            try db.execute(sql: "PRAGMA synchronous=\(synchronous)")
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try database.write { db in try db.execute(sql: Self.schema) }
        } catch {
            throw LedgerError(.storage, "cannot open ledger store \(path): \(error)")
        }
        let expected = durability == .full ? 2 : 1
        let actual = try synchronousLevel()
        guard actual == expected else {
            throw LedgerError(.durability, "PRAGMA synchronous is \(actual), expected \(expected)")
        }
    }

    /// Opens an existing file read-only, as the auditor does: nothing in it can change through this store.
    public init(readOnlyPath path: String) throws {
        self.path = path
        self.durability = nil
        self.batchSize = 1
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw LedgerError(.storage, "cannot read \(path)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "ledger-readonly"
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try database.read { db in _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
        } catch {
            throw LedgerError(.storage, "\(path) is not a readable SQLite file: \(error)")
        }
    }

    deinit {
        try? flush()
    }

    /// The schema, public contract for auditors.
    public static let schema = """
        CREATE TABLE IF NOT EXISTS ledgers (
            ledger_id TEXT PRIMARY KEY NOT NULL,
            party_a TEXT NOT NULL,
            party_b TEXT NOT NULL,
            public_key_a TEXT NOT NULL,
            public_key_b TEXT NOT NULL,
            genesis_nonce TEXT NOT NULL,
            created INTEGER NOT NULL,
            holder TEXT
        );
        CREATE TABLE IF NOT EXISTS entries (
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
            counter_sig TEXT,
            PRIMARY KEY (ledger_id, seq)
        );
        CREATE TABLE IF NOT EXISTS checkpoints (
            ledger_id TEXT NOT NULL,
            size INTEGER NOT NULL,
            root TEXT NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (ledger_id, size)
        );
        """

    /// `PRAGMA synchronous` as SQLite reports it: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    public func synchronousLevel() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// `PRAGMA journal_mode` as SQLite reports it (`wal` for a writable store).
    public func journalMode() throws -> String {
        try database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    public func createLedger(_ header: LedgerHeader, holder: PartyID?) throws {
        try state.withLock { state in
            try storageErrors(dropping: &state) {
                try database.write { db in
                    guard try header.isNew(besides: Self.readHeader(db, header.ledgerID)) else { return }
                    try db.execute(
                        sql: """
                            INSERT INTO ledgers (ledger_id, party_a, party_b, public_key_a, public_key_b,
                                genesis_nonce, created, holder) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            header.ledgerID.rawValue, header.partyA.rawValue, header.partyB.rawValue,
                            header.publicKeyA.hexString, header.publicKeyB.hexString, header.genesisNonce.hexString,
                            header.created, holder?.rawValue,
                        ])
                }
            }
        }
    }

    public func header(of ledgerID: LedgerID) throws -> LedgerHeader? {
        try storageErrors { try database.read { db in try Self.readHeader(db, ledgerID) } }
    }

    public func append(_ entries: [LedgerEntry], to ledgerID: LedgerID) throws {
        guard !entries.isEmpty else { return }
        try state.withLock { state in
            let head = try head(of: ledgerID, in: &state)
            let newHead = try AppendValidation.check(entries, of: ledgerID, onto: head)
            state.buffer.append(contentsOf: entries)
            state.heads[ledgerID] = newHead
            if state.holdDepth == 0 && state.buffer.count >= batchSize {
                try flush(&state)
            }
        }
    }

    /// Commits buffered appends in one transaction.
    public func flush() throws {
        try state.withLock { state in try flush(&state) }
    }

    /// Runs `body` with appends held in the buffer, then commits them all in one transaction.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        state.withLock { $0.holdDepth += 1 }
        let result: T
        do {
            result = try body()
        } catch {
            state.withLock { $0.holdDepth -= 1 }
            throw error
        }
        try state.withLock { state in
            state.holdDepth -= 1
            if state.holdDepth == 0 { try flush(&state) }
        }
        return result
    }

    public func entries(of ledgerID: LedgerID, from seq: UInt64, limit: Int) throws -> [LedgerEntry] {
        guard limit > 0 else { return [] }
        return try state.withLock { state in
            var result = try storageErrors(dropping: &state) {
                try database.read { db in
                    let rows = try Row.fetchCursor(
                        db, sql: "SELECT * FROM entries WHERE ledger_id = ? AND seq >= ? ORDER BY seq LIMIT ?",
                        arguments: [ledgerID.rawValue, Int64(clamping: seq), Int64(clamping: limit)])
                    var entries: [LedgerEntry] = []
                    while let row = try rows.next() { entries.append(try Self.entry(from: row)) }
                    return entries
                }
            }
            for entry in state.buffer where entry.ledgerID == ledgerID && entry.seq >= seq && result.count < limit {
                result.append(entry)
            }
            return result
        }
    }

    public func entryHashes(of ledgerID: LedgerID, from seq: UInt64, limit: Int) throws -> [String] {
        guard limit > 0 else { return [] }
        return try state.withLock { state in
            var result = try storageErrors(dropping: &state) {
                try database.read { db in
                    try String.fetchAll(
                        db, sql: "SELECT entry_hash FROM entries WHERE ledger_id = ? AND seq >= ? ORDER BY seq LIMIT ?",
                        arguments: [ledgerID.rawValue, Int64(clamping: seq), Int64(clamping: limit)])
                }
            }
            for entry in state.buffer where entry.ledgerID == ledgerID && entry.seq >= seq && result.count < limit {
                result.append(entry.entryHash)
            }
            return result
        }
    }

    public func head(of ledgerID: LedgerID) throws -> LedgerHead {
        try state.withLock { state in try head(of: ledgerID, in: &state) }
    }

    public func ledgerIDs() throws -> [LedgerID] {
        try storageErrors {
            try database.read { db in
                try String.fetchAll(db, sql: "SELECT ledger_id FROM ledgers ORDER BY ledger_id").map(LedgerID.init)
            }
        }
    }

    public func saveCheckpoint(_ checkpoint: Checkpoint, of ledgerID: LedgerID) throws {
        try flush()
        try storageErrors {
            try database.write { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO checkpoints (ledger_id, size, root, note) VALUES (?, ?, ?, ?)",
                    arguments: [
                        ledgerID.rawValue, Int64(clamping: checkpoint.size), checkpoint.root.hexString,
                        checkpoint.text,
                    ])
            }
        }
    }

    public func checkpoints(of ledgerID: LedgerID) throws -> [Checkpoint] {
        let notes = try storageErrors {
            try database.read { db in
                try String.fetchAll(
                    db, sql: "SELECT note FROM checkpoints WHERE ledger_id = ? ORDER BY size",
                    arguments: [ledgerID.rawValue])
            }
        }
        return try notes.map { try Checkpoint.parse($0) }
    }

    /// Runs a read on the underlying database (the auditor reads the raw rows through this).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try storageErrors { try database.read(body) }
    }

    // MARK: - Private, called with the mutex held (they take its state)

    private func head(of ledgerID: LedgerID, in state: inout BufferState) throws -> LedgerHead {
        if let head = state.heads[ledgerID] { return head }
        let head = try storageErrors(dropping: &state) {
            try database.read { db -> LedgerHead? in
                guard try Self.readHeader(db, ledgerID) != nil else { return nil }
                let row = try Row.fetchOne(
                    db, sql: "SELECT seq, entry_hash FROM entries WHERE ledger_id = ? ORDER BY seq DESC LIMIT 1",
                    arguments: [ledgerID.rawValue])
                guard let row else { return .genesis }
                return LedgerHead(seq: UInt64(row["seq"] as Int64), hash: row["entry_hash"])
            }
        }
        guard let head else { throw LedgerError(.wrongLedger, "no ledger \(ledgerID) in \(path)") }
        state.heads[ledgerID] = head
        return head
    }

    private func flush(_ state: inout BufferState) throws {
        guard !state.buffer.isEmpty else { return }
        let batch = state.buffer
        try storageErrors(dropping: &state) {
            try database.write { db in
                let insert = try db.cachedStatement(
                    sql: """
                        INSERT INTO entries (ledger_id, seq, prev_hash, entry_hash, time, author, kind, refs, body,
                            author_sig, counter_sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                // Bound straight from the entry's strings and canonical bytes (GRDB's arguments made a value per
                // column and a string of each body first). Every column is bound before each step, and a binding
                // that fails stops the batch: a step must never reuse the previous entry's value.
                let statement = insert.sqliteStatement
                defer { sqlite3_reset(statement) }
                func check(_ code: Int32) throws {
                    guard code != SQLITE_OK && code != SQLITE_DONE else { return }
                    throw DatabaseError(
                        resultCode: ResultCode(rawValue: code),
                        message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                var hex: [UInt8] = []
                hex.reserveCapacity(128)
                for entry in batch {
                    guard let seq = Int64(exactly: entry.seq) else {
                        throw LedgerError(.invalidField, "entry seq \(entry.seq) does not fit SQLite's integers")
                    }
                    sqlite3_reset(statement)
                    try check(Self.bindText(entry.ledgerID.rawValue, 1, statement))
                    try check(sqlite3_bind_int64(statement, 2, seq))
                    try check(Self.bindText(entry.prevHash, 3, statement))
                    try check(Self.bindText(entry.entryHash, 4, statement))
                    try check(sqlite3_bind_int64(statement, 5, entry.time))
                    try check(Self.bindText(entry.author.rawValue, 6, statement))
                    try check(Self.bindText(entry.kind, 7, statement))
                    try check(Self.bindText(entry.refsJSON, 8, statement))
                    try check(Self.bindText(entry.bodyJSON, 9, statement))
                    try check(Self.bindHex(entry.authorSignature, 10, statement, buffer: &hex))
                    try check(
                        entry.counterSignature.map { Self.bindHex($0, 11, statement, buffer: &hex) }
                            ?? sqlite3_bind_null(statement, 11))
                    try check(sqlite3_step(statement))
                }
            }
        }
        state.buffer.removeAll(keepingCapacity: true)
    }

    /// Binds UTF-8 text to parameter `index` (SQLite copies the bytes); SQLite's result code.
    private static func bindText(_ text: String, _ index: Int32, _ statement: SQLiteStatement) -> Int32 {
        var text = text
        return text.withUTF8 { bindText(UnsafeRawBufferPointer($0), index, statement) }
    }

    /// Binds the lower-case hex of `bytes` (a signature) as text to parameter `index`, written in `buffer` (reused
    /// from entry to entry) rather than in a new string.
    private static func bindHex(
        _ bytes: Data, _ index: Int32, _ statement: SQLiteStatement, buffer: inout [UInt8]
    ) -> Int32 {
        buffer.removeAll(keepingCapacity: true)
        Hex.append(bytes, to: &buffer)
        return buffer.withUnsafeBytes { bindText($0, index, statement) }
    }

    /// Binds canonical JSON bytes as text to parameter `index`.
    private static func bindText(_ bytes: Data, _ index: Int32, _ statement: SQLiteStatement) -> Int32 {
        bytes.withUnsafeBytes { bindText($0, index, statement) }
    }

    private static func bindText(_ raw: UnsafeRawBufferPointer, _ index: Int32, _ statement: SQLiteStatement) -> Int32 {
        guard let length = Int32(exactly: raw.count) else { return SQLITE_TOOBIG }
        // A zero-length value still needs a pointer, or SQLite binds NULL.
        let start = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        return sqlite3_bind_text(
            statement, index, start.assumingMemoryBound(to: CChar.self), length,
            unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    /// Runs `body` with the mutex held; a storage failure leaves the buffer and the cached heads unreliable, so it
    /// drops the cached heads (the next `head(of:)` reads them from the file).
    private func storageErrors<T>(dropping state: inout BufferState, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LedgerError {
            throw error
        } catch {
            state.heads.removeAll()
            throw LedgerError(.storage, "\(path): \(error)")
        }
    }

    /// Runs `body` without the mutex (reads of the file and checkpoint writes, which change no entry and so leave
    /// the cached heads right), turning a storage failure into a `LedgerError`.
    private func storageErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(.storage, "\(path): \(error)")
        }
    }

    static func readHeader(_ db: Database, _ ledgerID: LedgerID) throws -> LedgerHeader? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM ledgers WHERE ledger_id = ?", arguments: [ledgerID.rawValue])
        else { return nil }
        guard let keyA = Data(hexString: row["public_key_a"]), let keyB = Data(hexString: row["public_key_b"]),
            let nonce = Data(hexString: row["genesis_nonce"])
        else {
            throw LedgerError(.storage, "ledger \(ledgerID): keys or nonce are not hex")
        }
        return LedgerHeader(
            ledgerID: ledgerID, partyA: PartyID(row["party_a"] as String), partyB: PartyID(row["party_b"] as String),
            publicKeyA: keyA, publicKeyB: keyB, genesisNonce: nonce, created: row["created"])
    }

    static func entry(from row: Row) throws -> LedgerEntry {
        let seq: Int64 = row["seq"]
        guard let authorSignature = Data(hexString: row["author_sig"]) else {
            throw LedgerError(.storage, "entry \(seq): author_sig is not hex")
        }
        let counterText: String? = row["counter_sig"]
        let counterSignature = counterText.flatMap { Data(hexString: $0) }
        let refs: [String: String]
        do {
            refs = try EntryEncoding.refs(from: try JSONValue.parse(Data((row["refs"] as String).utf8)))
        } catch EntryEncoding.RefsProblem.notAnObject {
            throw LedgerError(.storage, "entry \(seq): refs is not a JSON object")
        } catch EntryEncoding.RefsProblem.notAString(let name) {
            throw LedgerError(.storage, "entry \(seq): ref \(name) is not a string")
        }
        return LedgerEntry(
            ledgerID: LedgerID(rawValue: row["ledger_id"]), seq: UInt64(seq), prevHash: row["prev_hash"],
            time: row["time"], author: PartyID(row["author"] as String), kind: row["kind"], refs: refs,
            body: try JSONValue.parse(Data((row["body"] as String).utf8)), entryHash: row["entry_hash"],
            authorSignature: authorSignature, counterSignature: counterSignature)
    }
}

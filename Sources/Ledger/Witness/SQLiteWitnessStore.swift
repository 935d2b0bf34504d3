import Foundation
import GRDB

/// A `WitnessStore` in one SQLite file (through GRDB, WAL, `synchronous=FULL`), so a restarted witness still
/// refuses what contradicts what it cosigned before. Tables (LEDGER.md §5, "The witness"):
///
///     witnessed_ledgers (ledger_id PRIMARY KEY, party_a, party_b, public_key_a, public_key_b, genesis_nonce)
///     witnessed_checkpoints (ledger_id, size, root, note, PRIMARY KEY (ledger_id, size))
///     witness_refusals (id INTEGER PRIMARY KEY, ledger_id, code, message, witnessed_note, presented_note, proof)
///
/// Keys, nonces and roots are lower-case hex; notes are the signed-note text with the witness's cosignature.
public final class SQLiteWitnessStore: WitnessStore {
    /// The file.
    public let path: String
    private let database: DatabaseQueue

    /// The schema.
    public static let schema = """
        CREATE TABLE IF NOT EXISTS witnessed_ledgers (
            ledger_id TEXT PRIMARY KEY NOT NULL,
            party_a TEXT NOT NULL,
            party_b TEXT NOT NULL,
            public_key_a TEXT NOT NULL,
            public_key_b TEXT NOT NULL,
            genesis_nonce TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS witnessed_checkpoints (
            ledger_id TEXT NOT NULL,
            size INTEGER NOT NULL,
            root TEXT NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (ledger_id, size)
        );
        CREATE TABLE IF NOT EXISTS witness_refusals (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            ledger_id TEXT NOT NULL,
            code TEXT NOT NULL,
            message TEXT NOT NULL,
            witnessed_note TEXT,
            presented_note TEXT NOT NULL,
            proof TEXT NOT NULL
        );
        """

    /// Opens (creating if needed) the witness's file.
    /// - Throws: `LedgerError(.storage)` when it cannot be opened.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.label = "witness"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode=WAL")
            try db.execute(sql: "PRAGMA synchronous=FULL")
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try database.write { db in try db.execute(sql: Self.schema) }
        } catch {
            throw LedgerError(.storage, "cannot open witness store \(path): \(error)")
        }
    }

    public func header(of ledgerID: LedgerID) throws -> LedgerHeader? {
        let row = try read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM witnessed_ledgers WHERE ledger_id = ?", arguments: [ledgerID.rawValue])
        }
        guard let row else { return nil }
        guard let keyA = Data(hexString: row["public_key_a"]), let keyB = Data(hexString: row["public_key_b"]),
            let nonce = Data(hexString: row["genesis_nonce"])
        else { throw LedgerError(.storage, "\(path): unreadable header of ledger \(ledgerID)") }
        return LedgerHeader(
            ledgerID: ledgerID, partyA: PartyID(row["party_a"] as String),
            partyB: PartyID(row["party_b"] as String), publicKeyA: keyA, publicKeyB: keyB, genesisNonce: nonce,
            created: 0)
    }

    public func latest(of ledgerID: LedgerID) throws -> Checkpoint? {
        try note(
            sql: "SELECT note FROM witnessed_checkpoints WHERE ledger_id = ? ORDER BY size DESC LIMIT 1",
            arguments: [ledgerID.rawValue])
    }

    public func checkpoint(of ledgerID: LedgerID, size: UInt64) throws -> Checkpoint? {
        try note(
            sql: "SELECT note FROM witnessed_checkpoints WHERE ledger_id = ? AND size = ?",
            arguments: [ledgerID.rawValue, Int64(clamping: size)])
    }

    public func save(_ checkpoint: Checkpoint, header: LedgerHeader) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO witnessed_ledgers
                    (ledger_id, party_a, party_b, public_key_a, public_key_b, genesis_nonce) VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    header.ledgerID.rawValue, header.partyA.rawValue, header.partyB.rawValue,
                    header.publicKeyA.hexString, header.publicKeyB.hexString, header.genesisNonce.hexString,
                ])
            try db.execute(
                sql: "INSERT OR REPLACE INTO witnessed_checkpoints (ledger_id, size, root, note) VALUES (?, ?, ?, ?)",
                arguments: [
                    header.ledgerID.rawValue, Int64(clamping: checkpoint.size), checkpoint.root.hexString,
                    checkpoint.text,
                ])
        }
    }

    public func saveRefusal(_ refusal: WitnessRefusal, ledgerID: LedgerID) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO witness_refusals (ledger_id, code, message, witnessed_note, presented_note, proof)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    ledgerID.rawValue, refusal.code.rawValue, refusal.message, refusal.witnessed?.text,
                    refusal.presented.text, refusal.consistencyProof.map(\.hexString).joined(separator: "\n"),
                ])
        }
    }

    public func refusals(of ledgerID: LedgerID) throws -> [WitnessRefusal] {
        let rows = try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM witness_refusals WHERE ledger_id = ? ORDER BY id",
                arguments: [ledgerID.rawValue])
        }
        return try rows.map { row in
            guard let code = WitnessRefusal.Code(rawValue: row["code"]) else {
                throw LedgerError(.storage, "\(path): unknown refusal code")
            }
            let witnessed: String? = row["witnessed_note"]
            let proof: String = row["proof"]
            return WitnessRefusal(
                code: code, message: row["message"], witnessed: try witnessed.map(Checkpoint.parse),
                presented: try Checkpoint.parse(row["presented_note"]),
                consistencyProof: proof.split(separator: "\n").compactMap { Hex.decode($0) })
        }
    }

    private func note(sql: String, arguments: StatementArguments) throws -> Checkpoint? {
        let text = try read { db in try String.fetchOne(db, sql: sql, arguments: arguments) }
        return try text.map(Checkpoint.parse)
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch {
            throw LedgerError(.storage, "\(path): \(error)")
        }
    }

    private func write(_ body: (Database) throws -> Void) throws {
        do {
            try database.write(body)
        } catch {
            throw LedgerError(.storage, "\(path): \(error)")
        }
    }
}

import CanonicalJSON
import Crypto
import Foundation
import GRDB
import Ledger
import SupplyChain

/// The entries a node authors that wait for their counterparty, kept signed on disk until their ledger takes them
/// (LEDGER.md §9, "What a live node guarantees"; when a lane keeps them: `NodeLedgers.spill`).
///
/// An entry's own signature covers its place on the chain (its `seq` and `prevHash`), and that place is fixed only
/// when its lane proposes it: both parties append to one chain, so a place chosen earlier would often be taken by
/// the counterparty's entries first. What is kept here is the entry's content — the counterparty, kind, refs, body
/// and time it will have — signed by the node's key over a text of its own
/// (`signedText`), so that a row cannot be added or changed by anyone without the key. A row leaves once its lane
/// is done with the entry: agreed, or refused outright by the counterparty (logged and counted there). At a start,
/// every row still here is proposed again unless its entry is already on the ledger (a crash between the commit and
/// the removal).
///
/// The rows live beside the node's database (`…-outbox.sqlite`), in WAL mode with `synchronous=NORMAL`, as the
/// journal does: a row whose write returned survives the process being killed. Thread-safe.
public final class EntryOutbox: Sendable {
    /// One kept entry, its signature checked when read back.
    public struct Row: Sendable, Hashable {
        public let id: Int64
        public let record: LedgerRecord
        public let time: Instant
        public let signature: Data
    }

    /// A row that is not proposed again, with why (a signature that does not verify, a field that does not parse).
    public struct Rejected: Sendable, Hashable {
        public let id: Int64
        public let reason: String
    }

    /// The domain-separation tag on the first line of the signed text.
    public static let tag = "scbroker-outbox-v1"

    private let queue: DatabaseQueue
    private let key: PartyKey

    /// Where the outbox of the node whose database is `database` lives.
    public static func path(forDatabase database: String) -> String {
        NodeFile.beside(database, "outbox")
    }

    /// - Parameter key: the node's key, which signs every row and checks them when they are read back.
    public init(path: String, key: PartyKey) throws {
        self.key = key
        queue = try NodeFile.open(path)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        counterparty TEXT NOT NULL,
                        time INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        refs TEXT NOT NULL,
                        body TEXT NOT NULL,
                        signature BLOB NOT NULL
                    )
                    """)
        }
    }

    /// Keeps entries, each signed, in one transaction; returns their ids, in order.
    public func keep(_ entries: [(record: LedgerRecord, time: Instant)]) throws -> [Int64] {
        guard !entries.isEmpty else { return [] }
        let rows = try entries.map { record, time in
            let refs = EntryEncoding.refsJSON(record.refs)
            let body = record.body.canonicalData
            let signature = try key.sign(
                Self.digest(
                    author: key.party, counterparty: record.counterparty, time: time, kind: record.kind, refs: refs,
                    body: body))
            return (record, time, refs, body, signature)
        }
        return try queue.write { db in
            try rows.map { record, time, refs, body, signature in
                try db.cachedStatement(
                    sql:
                        "INSERT INTO outbox (counterparty, time, kind, refs, body, signature) VALUES (?, ?, ?, ?, ?, ?)"
                ).execute(arguments: [
                    record.counterparty.rawValue, time.milliseconds, record.kind, String(decoding: refs, as: UTF8.self),
                    String(decoding: body, as: UTF8.self), signature,
                ])
                return db.lastInsertedRowID
            }
        }
    }

    /// Removes the rows of entries their lane is done with.
    public func remove(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        try queue.write { db in
            for id in ids {
                try db.cachedStatement(sql: "DELETE FROM outbox WHERE id = ?").execute(arguments: [id])
            }
        }
    }

    /// Every row, oldest first; a row whose signature does not verify with this node's key, or whose refs or body
    /// do not parse, is set apart with the reason (and left in the file for whoever looks into it).
    public func rows() throws -> (rows: [Row], rejected: [Rejected]) {
        let stored = try queue.read { db in
            try GRDB.Row.fetchAll(
                db, sql: "SELECT id, counterparty, time, kind, refs, body, signature FROM outbox ORDER BY id")
        }
        var rows: [Row] = []
        var rejected: [Rejected] = []
        for row in stored {
            let id: Int64 = row["id"]
            let counterparty = PartyID(row["counterparty"] as String)
            let time = Instant(milliseconds: row["time"])
            let kind: String = row["kind"]
            let refsText: String = row["refs"]
            let bodyText: String = row["body"]
            let signature: Data = row["signature"]
            let digest = Self.digest(
                author: key.party, counterparty: counterparty, time: time, kind: kind, refs: Data(refsText.utf8),
                body: Data(bodyText.utf8))
            guard Ed25519.verify(signature: signature, of: digest, publicKey: key.publicKey) else {
                rejected.append(Rejected(id: id, reason: "its signature does not verify with this node's key"))
                continue
            }
            do {
                let refs = try EntryEncoding.refs(from: try JSONValue.parse(Data(refsText.utf8)))
                let body = try JSONValue.parse(Data(bodyText.utf8))
                rows.append(
                    Row(
                        id: id, record: LedgerRecord(counterparty: counterparty, kind: kind, refs: refs, body: body),
                        time: time, signature: signature))
            } catch {
                rejected.append(Rejected(id: id, reason: "it does not parse: \(error)"))
            }
        }
        return (rows, rejected)
    }

    /// The text a row's signature is made over (its SHA-256, as entries are signed over their hash): the tag, then
    /// one line per field, the refs as their canonical JSON and the body by the SHA-256 of its canonical JSON.
    public static func signedText(
        author: PartyID, counterparty: PartyID, time: Instant, kind: String, refs: Data, body: Data
    ) -> Data {
        var text = Data("\(tag)\nauthor:\(author.rawValue)\ncounterparty:\(counterparty.rawValue)\n".utf8)
        text.append(contentsOf: "time:\(time.milliseconds)\nkind:\(kind)\nrefs:".utf8)
        text.append(refs)
        text.append(contentsOf: "\nbody-sha256:\(Hex.encode(Data(SHA256.hash(data: body))))\n".utf8)
        return text
    }

    private static func digest(
        author: PartyID, counterparty: PartyID, time: Instant, kind: String, refs: Data, body: Data
    ) -> Data {
        Data(
            SHA256.hash(
                data: signedText(
                    author: author, counterparty: counterparty, time: time, kind: kind, refs: refs, body: body)))
    }
}

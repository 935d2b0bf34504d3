import CanonicalJSON
import Foundation
import GRDB
import Ledger
import Sonata
import SupplyChain

/// The node's write-ahead journal of what its core was told: every input, with the protocol time and the entropy
/// seed it was handled with, written before the input's effects are carried out.
///
/// The core is a pure function of its inputs, `now` and its entropy, so replaying the journal rebuilds it exactly
/// — open requests, quotes, orders, services in operation and their terms — after a restart or a crash. It lives
/// beside the node's database (`…-journal.sqlite`), in WAL mode with `synchronous=NORMAL`: an input whose write
/// returned survives the process being killed. Thread-safe.
public final class InputJournal: Sendable {
    /// One line of the journal.
    public enum Entry: Codable, Sendable, Hashable {
        /// An input to the core, with what the HTTP side knew about it (where the buyer takes answers, the trace).
        case input(ProviderInput, replyTo: String?, trace: String?)
        /// A buyer removed a hub (node state, not the core's).
        case hubDeleted(String)
        /// A buyer registered a listener for its product order notifications.
        case orderHubRegistered(buyer: PartyID, EventSubscription)
        /// A buyer removed one.
        case orderHubDeleted(String)
        /// A buyer registered a listener for its trouble ticket notifications.
        case ticketHubRegistered(buyer: PartyID, EventSubscription)
        /// A buyer removed one.
        case ticketHubDeleted(String)
        /// A buyer registered a listener for its bill notifications (Sonata billing v2 hub).
        case billingHubRegistered(buyer: PartyID, EventSubscription)
        /// A buyer removed one.
        case billingHubDeleted(String)
        /// A buyer registered a listener for its quote notifications (Sonata Quote v8 hub).
        case quoteHubRegistered(buyer: PartyID, EventSubscription)
        /// A buyer removed one.
        case quoteHubDeleted(String)
        /// A buyer's performance job as it sent it, before the schedule was handed to the core.
        case performanceJobRequested(id: String, JSONValue)
        /// A buyer registered a listener for its performance notifications.
        case performanceHubRegistered(buyer: PartyID, EventSubscription)
        /// A buyer removed one.
        case performanceHubDeleted(String)
    }

    /// A journal line as read back.
    public struct Line: Sendable {
        public let seq: Int64
        public let at: Instant
        public let seed: UInt64
        /// The core's id counter when the line was written, before the input was handled (nil in older lines):
        /// replay raises the core's counter to it, so ids stay unique even around a quarantined line.
        public let idCounter: Int?
        public let entry: Entry
    }

    /// A line replay will not hand to the core again, with why.
    public struct Quarantined: Sendable, Hashable, Codable {
        public let seq: Int64
        public let reason: String
    }

    /// What `replayable()` found: the lines to replay, oldest first, and the lines set aside.
    public struct Contents: Sendable {
        public let lines: [Line]
        public let quarantined: [Quarantined]
    }

    private let queue: DatabaseQueue

    /// Where the journal of the node whose database is `database` lives.
    public static func path(forDatabase database: String) -> String {
        NodeFile.beside(database, "journal")
    }

    public init(path: String) throws {
        queue = try NodeFile.open(path)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS journal (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at INTEGER NOT NULL,
                        seed INTEGER NOT NULL,
                        entry TEXT NOT NULL
                    )
                    """)
            let columns = try db.columns(in: "journal").map(\.name)
            if !columns.contains("id_counter") {
                try db.execute(sql: "ALTER TABLE journal ADD COLUMN id_counter INTEGER")
            }
            if !columns.contains("quarantine") {
                try db.execute(sql: "ALTER TABLE journal ADD COLUMN quarantine TEXT")
            }
            if !columns.contains("format") {
                try db.execute(sql: "ALTER TABLE journal ADD COLUMN format TEXT")
            }
            try db.execute(
                sql: "CREATE TABLE IF NOT EXISTS replay (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL)")
        }
    }

    /// Appends one line; returns once it is written. `idCounter` is the core's id counter before the input.
    public func append(_ entry: Entry, at: Instant, seed: UInt64, idCounter: Int? = nil) throws {
        let (text, format) = try Self.text(of: entry)
        // One statement in autocommit, compiled once: every input passes here before its effects.
        try queue.writeWithoutTransaction { db in
            try db.cachedStatement(
                sql: "INSERT INTO journal (at, seed, entry, id_counter, format) VALUES (?, ?, ?, ?, ?)"
            ).execute(arguments: [at.milliseconds, Int64(bitPattern: seed), text, idCounter, format?.rawValue])
        }
    }

    /// How a line's text was written, and so how it is read (the `format` column).
    enum Format: String {
        /// The canonical text of the entry's JSON tree, read by parsing it and decoding the tree.
        case tree
        // nil: `JSONEncoder`'s text, read by `JSONDecoder` (every line before this column, and the fallback).
    }

    /// The JSON text of a line and its format, checked to read back: what cannot be decoded would be lost at the
    /// next start, so it is refused (throws).
    ///
    /// It is written from the entry's JSON tree (`JSONValue(exactlyEncoding:)`), and read back from that tree, when
    /// the tree decodes as the same entry: the canonical text parses back to the same tree. Otherwise (a value
    /// the tree cannot carry exactly, such as an integer beyond 2^53) `JSONEncoder` writes it and `JSONDecoder`
    /// must read it back.
    static func text(of entry: Entry) throws -> (String, Format?) {
        if let tree = try? JSONValue(exactlyEncoding: entry), let back = try? tree.decode(Entry.self), back == entry {
            return (tree.canonicalString, .tree)
        }
        let data = try JSONEncoder().encode(entry)
        _ = try JSONDecoder.exactlyTyped().decode(Entry.self, from: data)
        return (String(decoding: data, as: UTF8.self), nil)
    }

    /// Every line, oldest first, including quarantined ones (throws on the first line that does not decode).
    public func lines() throws -> [Line] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, at, seed, id_counter, entry, format FROM journal ORDER BY seq").map {
                try Self.line($0)
            }
        }
    }

    /// The lines to replay at a start, and those set aside: a line that does not decode, and the line a previous
    /// start was replaying when the process died (it crashed the core; see `replaying(_:)`), are quarantined —
    /// kept in the journal with the reason, never handed to the core again.
    public func replayable() throws -> Contents {
        try queue.write { db in
            if let crashed = try Int64.fetchOne(db, sql: "SELECT seq FROM replay WHERE id = 1") {
                try db.execute(
                    sql: "UPDATE journal SET quarantine = ? WHERE seq = ? AND quarantine IS NULL",
                    arguments: ["the process stopped while replaying this input", crashed])
                try db.execute(sql: "DELETE FROM replay")
            }
            var lines: [Line] = []
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT seq, at, seed, id_counter, entry, format FROM journal WHERE quarantine IS NULL ORDER BY seq"
            ) {
                do {
                    lines.append(try Self.line(row))
                } catch {
                    try db.execute(
                        sql: "UPDATE journal SET quarantine = ? WHERE seq = ?",
                        arguments: [
                            "the line does not decode: \(MEFError.describe(error).problem)", row["seq"] as Int64,
                        ])
                }
            }
            let quarantined = try Row.fetchAll(
                db, sql: "SELECT seq, quarantine FROM journal WHERE quarantine IS NOT NULL ORDER BY seq"
            ).map { Quarantined(seq: $0["seq"], reason: $0["quarantine"]) }
            return Contents(lines: lines, quarantined: quarantined)
        }
    }

    /// Marks line `seq` as being replayed (nil: replay finished). Written before the core sees the line, so that
    /// if the core stops the process on it, the next start quarantines it instead of crashing again.
    public func replaying(_ seq: Int64?) throws {
        try queue.write { db in
            if let seq {
                try db.execute(sql: "INSERT OR REPLACE INTO replay (id, seq) VALUES (1, ?)", arguments: [seq])
            } else {
                try db.execute(sql: "DELETE FROM replay")
            }
        }
    }

    private static func line(_ row: Row) throws -> Line {
        let text: String = row["entry"]
        let entry: Entry =
            switch (row["format"] as String?).flatMap(Format.init(rawValue:)) {
            case .tree: try JSONValue.parse(Data(text.utf8)).decode(Entry.self)
            case nil: try JSONDecoder.exactlyTyped().decode(Entry.self, from: Data(text.utf8))
            }
        return Line(
            seq: row["seq"], at: Instant(milliseconds: row["at"]), seed: UInt64(bitPattern: row["seed"] as Int64),
            idCounter: row["id_counter"], entry: entry)
    }
}

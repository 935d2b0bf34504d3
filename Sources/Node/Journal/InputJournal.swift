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
    }

    /// A journal line as read back.
    public struct Line: Sendable {
        public let seq: Int64
        public let at: Instant
        public let seed: UInt64
        public let entry: Entry
    }

    private let queue: DatabaseQueue

    /// Where the journal of the node whose database is `database` lives.
    public static func path(forDatabase database: String) -> String {
        (database.hasSuffix(".sqlite") ? String(database.dropLast(7)) : database) + "-journal.sqlite"
    }

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        }
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
        }
    }

    /// Appends one line; returns once it is written.
    public func append(_ entry: Entry, at: Instant, seed: UInt64) throws {
        let text = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
        try queue.write { db in
            try db.execute(
                sql: "INSERT INTO journal (at, seed, entry) VALUES (?, ?, ?)",
                arguments: [at.milliseconds, Int64(bitPattern: seed), text])
        }
    }

    /// Every line, oldest first.
    public func lines() throws -> [Line] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, at, seed, entry FROM journal ORDER BY seq").map { row in
                let text: String = row["entry"]
                return Line(
                    seq: row["seq"], at: Instant(milliseconds: row["at"]),
                    seed: UInt64(bitPattern: row["seed"] as Int64),
                    entry: try JSONDecoder().decode(Entry.self, from: Data(text.utf8)))
            }
        }
    }
}

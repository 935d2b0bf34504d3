import Foundation
import GRDB

/// The request signatures a node has accepted, kept for as long as a replay could still pass the timestamp check.
///
/// In memory by default; given a path it also keeps them in SQLite (WAL, `synchronous=NORMAL`: a signature whose
/// insert returned survives the process being killed), so a request accepted just before a restart cannot be
/// replayed just after it. Not thread-safe on its own: `RequestVerifier` calls it under its lock.
public final class SeenSignatures: @unchecked Sendable {
    private var memory: [Data: Int64] = [:]
    private var lastPurge: Int64 = .min
    private let queue: DatabaseQueue?

    /// A cache that forgets everything when the process stops.
    public init() { queue = nil }

    /// A cache kept in the SQLite file at `path` (created if needed); loads the signatures seen in the last
    /// `window` milliseconds before `now`.
    public init(path: String, now: Int64 = Int64(Date().timeIntervalSince1970 * 1000), window: Int64 = 60_000) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS seen (signature BLOB PRIMARY KEY, at INTEGER NOT NULL)")
            try db.execute(sql: "DELETE FROM seen WHERE at < ?", arguments: [now &- window])
        }
        for row in try queue.read({ try Row.fetchAll($0, sql: "SELECT signature, at FROM seen") }) {
            memory[row["signature"]] = row["at"]
        }
        self.queue = queue
    }

    /// Where the replay cache of the node whose database is `database` lives.
    public static func path(forDatabase database: String) -> String {
        (database.hasSuffix(".sqlite") ? String(database.dropLast(7)) : database) + "-replay.sqlite"
    }

    /// Remembers `signature` as seen at `now`; false when it was already seen within `keepFor` milliseconds.
    func insert(_ signature: Data, at now: Int64, keepFor: Int64) -> Bool {
        if now &- lastPurge > keepFor / 2 {
            memory = memory.filter { now &- $0.value <= keepFor }
            try? queue?.write { db in try db.execute(sql: "DELETE FROM seen WHERE at < ?", arguments: [now &- keepFor])
            }
            lastPurge = now
        }
        guard memory[signature] == nil else { return false }
        memory[signature] = now
        try? queue?.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO seen (signature, at) VALUES (?, ?)", arguments: [signature, now])
        }
        return true
    }

    /// How many signatures are remembered now.
    var count: Int { memory.count }
}

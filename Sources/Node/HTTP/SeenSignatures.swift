import Foundation
import GRDB
import Synchronization

/// The request signatures a node has accepted, kept for as long as a replay could still pass the timestamp check.
///
/// In memory by default; given a path it also keeps them in SQLite (WAL, `synchronous=NORMAL`: a signature whose
/// insert returned survives the process being killed), so a request accepted just before a restart cannot be
/// replayed just after it. Thread-safe: the signatures in memory are behind a mutex, the file is written after it
/// is let go (SQLite orders its own writes), so a request's file write never holds up another's check.
public final class SeenSignatures: Sendable {
    private struct Cache {
        var memory: [Data: Int64] = [:]
        var lastPurge: Int64 = .min
    }

    private let cache: Mutex<Cache>
    private let file: SignatureFile?

    /// A cache that forgets everything when the process stops.
    public init() {
        file = nil
        cache = Mutex(Cache())
    }

    /// A cache kept in the SQLite file at `path` (created if needed); loads the signatures seen in the last
    /// `window` milliseconds before `now`.
    public init(path: String, now: Int64 = Int64(Date().timeIntervalSince1970 * 1000), window: Int64 = 60_000) throws {
        let queue = try NodeFile.open(path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS seen (signature BLOB PRIMARY KEY, at INTEGER NOT NULL)")
            try db.execute(sql: "DELETE FROM seen WHERE at < ?", arguments: [now &- window])
        }
        var memory: [Data: Int64] = [:]
        for row in try queue.read({ try Row.fetchAll($0, sql: "SELECT signature, at FROM seen") }) {
            memory[row["signature"]] = row["at"]
        }
        file = SignatureFile(queue: queue)
        cache = Mutex(Cache(memory: memory))
    }

    /// Where the replay cache of the node whose database is `database` lives.
    public static func path(forDatabase database: String) -> String {
        NodeFile.beside(database, "replay")
    }

    /// Remembers `signature` as seen at `now`; false when it was already seen within `keepFor` milliseconds. With
    /// a file, returns once the signature is in it.
    func insert(_ signature: Data, at now: Int64, keepFor: Int64) -> Bool {
        let (fresh, purgeBefore) = cache.withLock { cache -> (Bool, Int64?) in
            var purgeBefore: Int64?
            if now &- cache.lastPurge > keepFor / 2 {
                cache.memory = cache.memory.filter { now &- $0.value <= keepFor }
                cache.lastPurge = now
                purgeBefore = now &- keepFor
            }
            guard cache.memory[signature] == nil else { return (false, purgeBefore) }
            cache.memory[signature] = now
            return (true, purgeBefore)
        }
        if let purgeBefore { file?.purge(before: purgeBefore) }
        if fresh { file?.insert(signature, at: now) }
        return fresh
    }

    /// How many signatures are remembered now.
    var count: Int { cache.withLock { $0.memory.count } }
}

/// The SQLite copy of the seen signatures: one statement in autocommit per signature, compiled once (every signed
/// request passes here). A write that fails is not retried: the signatures stay in memory, which guards the
/// running process.
private struct SignatureFile: Sendable {
    let queue: DatabaseQueue

    func insert(_ signature: Data, at: Int64) {
        try? queue.writeWithoutTransaction { db in
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO seen (signature, at) VALUES (?, ?)")
                .execute(arguments: [signature, at])
        }
    }

    func purge(before: Int64) {
        try? queue.write { db in try db.execute(sql: "DELETE FROM seen WHERE at < ?", arguments: [before]) }
    }
}

import GRDB

/// The files a node keeps beside its database (`METRO.sqlite`): the SOF's copy of the internal ledger, the input
/// journal, the replay cache, the outbox, the omni-lateral ledger.
enum NodeFile {
    /// The file named `suffix` beside `database`: `METRO.sqlite` and `journal` give `METRO-journal.sqlite`.
    static func beside(_ database: String, _ suffix: String) -> String {
        (database.hasSuffix(".sqlite") ? String(database.dropLast(7)) : database) + "-\(suffix).sqlite"
    }

    /// Opens (or creates) a node's own SQLite file in WAL mode with `synchronous=NORMAL`: a write that returned
    /// survives the process being killed.
    static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        return queue
    }
}

import GRDB

extension SQLiteLedgerStore {
    /// Runs raw SQL on a ledger file outside the store's validation. Internal: the tamper tests use it (through
    /// `@testable import`) to alter files the way an attacker with the file would; the product never does.
    static func executeRawSQL(_ sql: String, onFileAt path: String) throws {
        let database = try DatabaseQueue(path: path)
        try database.write { db in try db.execute(sql: sql) }
    }
}

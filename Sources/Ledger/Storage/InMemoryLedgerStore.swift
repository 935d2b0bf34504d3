import Foundation

/// A `LedgerStore` in memory, for tests and fast simulations. Thread-safe through a lock.
public final class InMemoryLedgerStore: LedgerStore, @unchecked Sendable {
    private struct Copy {
        var header: LedgerHeader
        var entries: [LedgerEntry] = []
        var checkpoints: [UInt64: Checkpoint] = [:]
    }

    private let lock = NSLock()
    private var copies: [LedgerID: Copy] = [:]

    public init() {}

    public func createLedger(_ header: LedgerHeader, holder: PartyID?) throws {
        try lock.withLock {
            if let existing = copies[header.ledgerID] {
                guard existing.header == header else {
                    throw LedgerError(.headerMismatch, "ledger \(header.ledgerID) exists with another header")
                }
                return
            }
            copies[header.ledgerID] = Copy(header: header)
        }
    }

    public func header(of ledgerID: LedgerID) throws -> LedgerHeader? {
        lock.withLock { copies[ledgerID]?.header }
    }

    public func append(_ entries: [LedgerEntry], to ledgerID: LedgerID) throws {
        try lock.withLock {
            guard var copy = copies[ledgerID] else {
                throw LedgerError(.wrongLedger, "no ledger \(ledgerID) in this store")
            }
            let head = copy.entries.last.map { LedgerHead(seq: $0.seq, hash: $0.entryHash) } ?? .genesis
            _ = try AppendValidation.check(entries, of: ledgerID, onto: head)
            copies[ledgerID] = nil  // keep the array uniquely referenced while appending
            copy.entries.append(contentsOf: entries)
            copies[ledgerID] = copy
        }
    }

    public func entries(of ledgerID: LedgerID, from seq: UInt64, limit: Int) throws -> [LedgerEntry] {
        lock.withLock {
            guard let entries = copies[ledgerID]?.entries, seq <= UInt64(entries.count), limit > 0 else { return [] }
            let start = Int(max(seq, 1) - 1)
            let end = limit >= entries.count - start ? entries.count : start + limit
            return Array(entries[start..<end])
        }
    }

    public func head(of ledgerID: LedgerID) throws -> LedgerHead {
        lock.withLock {
            copies[ledgerID]?.entries.last.map { LedgerHead(seq: $0.seq, hash: $0.entryHash) } ?? .genesis
        }
    }

    public func ledgerIDs() throws -> [LedgerID] {
        lock.withLock { copies.keys.sorted() }
    }

    public func saveCheckpoint(_ checkpoint: Checkpoint, of ledgerID: LedgerID) throws {
        try lock.withLock {
            guard copies[ledgerID] != nil else { throw LedgerError(.wrongLedger, "no ledger \(ledgerID)") }
            copies[ledgerID]?.checkpoints[checkpoint.size] = checkpoint
        }
    }

    public func checkpoints(of ledgerID: LedgerID) throws -> [Checkpoint] {
        lock.withLock { copies[ledgerID]?.checkpoints.sorted { $0.key < $1.key }.map(\.value) ?? [] }
    }
}

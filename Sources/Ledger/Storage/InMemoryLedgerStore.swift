import Foundation
import Synchronization

/// A `LedgerStore` in memory, for tests and fast simulations. Thread-safe: every copy is behind one mutex.
public final class InMemoryLedgerStore: LedgerStore, Sendable {
    private struct Copy {
        var header: LedgerHeader
        var entries: [LedgerEntry] = []
        var checkpoints: [UInt64: Checkpoint] = [:]
    }

    private let copies = Mutex<[LedgerID: Copy]>([:])

    public init() {}

    public func createLedger(_ header: LedgerHeader, holder: PartyID?) throws {
        try copies.withLock { copies in
            guard try header.isNew(besides: copies[header.ledgerID]?.header) else { return }
            copies[header.ledgerID] = Copy(header: header)
        }
    }

    public func header(of ledgerID: LedgerID) throws -> LedgerHeader? {
        copies.withLock { copies in copies[ledgerID]?.header }
    }

    public func append(_ entries: [LedgerEntry], to ledgerID: LedgerID) throws {
        try copies.withLock { copies in
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
        copies.withLock { copies in
            guard let entries = copies[ledgerID]?.entries, seq <= UInt64(entries.count), limit > 0 else { return [] }
            let start = Int(max(seq, 1) - 1)
            let end = limit >= entries.count - start ? entries.count : start + limit
            return Array(entries[start..<end])
        }
    }

    public func head(of ledgerID: LedgerID) throws -> LedgerHead {
        copies.withLock { copies in
            copies[ledgerID]?.entries.last.map { LedgerHead(seq: $0.seq, hash: $0.entryHash) } ?? .genesis
        }
    }

    public func ledgerIDs() throws -> [LedgerID] {
        copies.withLock { copies in copies.keys.sorted() }
    }

    public func saveCheckpoint(_ checkpoint: Checkpoint, of ledgerID: LedgerID) throws {
        try copies.withLock { copies in
            guard copies[ledgerID] != nil else { throw LedgerError(.wrongLedger, "no ledger \(ledgerID)") }
            copies[ledgerID]?.checkpoints[checkpoint.size] = checkpoint
        }
    }

    public func checkpoints(of ledgerID: LedgerID) throws -> [Checkpoint] {
        copies.withLock { copies in copies[ledgerID]?.checkpoints.sorted { $0.key < $1.key }.map(\.value) ?? [] }
    }
}

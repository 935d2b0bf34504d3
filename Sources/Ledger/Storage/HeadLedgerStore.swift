import Foundation
import Synchronization

/// A `LedgerStore` that keeps, per ledger, only what appending needs: the header, the last entry (the head) and
/// the latest checkpoint. For long simulations whose entries nobody reads back: memory stays flat however long
/// the history, instead of growing by every entry (about 4.4 KB each, twice per ledger).
///
/// Every append is checked as in any store (on the head, countersigned, canonical hash), and the replicas verify
/// both signatures before they append, so no entry is kept unverified; it is just not kept. Reading back anything
/// but the head entry throws `LedgerError(.storage)`: an audit of a head-only copy is refused, never run on
/// an empty history. Thread-safe: every ledger is behind one mutex.
public final class HeadLedgerStore: LedgerStore, Sendable {
    private struct Copy {
        var header: LedgerHeader
        var last: LedgerEntry?
        var checkpoint: Checkpoint?
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
            guard let copy = copies[ledgerID] else {
                throw LedgerError(.wrongLedger, "no ledger \(ledgerID) in this store")
            }
            _ = try AppendValidation.check(entries, of: ledgerID, onto: Self.head(of: copy))
            if let last = entries.last { copies[ledgerID]?.last = last }
        }
    }

    /// The head entry when the range asks for it (`from` is the head's seq); an empty range past the head.
    /// - Throws: `LedgerError(.storage)` for any entry before the head: this store does not keep them.
    public func entries(of ledgerID: LedgerID, from seq: UInt64, limit: Int) throws -> [LedgerEntry] {
        try copies.withLock { copies in
            guard let copy = copies[ledgerID], let last = copy.last, limit > 0, seq <= last.seq else { return [] }
            guard seq == last.seq else {
                throw LedgerError(
                    .storage, "this copy of \(ledgerID) keeps only its head (entry \(last.seq)), not entry \(seq)")
            }
            return [last]
        }
    }

    public func head(of ledgerID: LedgerID) throws -> LedgerHead {
        copies.withLock { copies in copies[ledgerID].map(Self.head(of:)) ?? .genesis }
    }

    public func ledgerIDs() throws -> [LedgerID] {
        copies.withLock { copies in copies.keys.sorted() }
    }

    /// Keeps the checkpoint if it is the largest so far (a head-only copy proves only its latest size).
    public func saveCheckpoint(_ checkpoint: Checkpoint, of ledgerID: LedgerID) throws {
        try copies.withLock { copies in
            guard let copy = copies[ledgerID] else { throw LedgerError(.wrongLedger, "no ledger \(ledgerID)") }
            if checkpoint.size >= copy.checkpoint?.size ?? 0 { copies[ledgerID]?.checkpoint = checkpoint }
        }
    }

    /// The latest checkpoint, if any (earlier ones are not kept).
    public func checkpoints(of ledgerID: LedgerID) throws -> [Checkpoint] {
        copies.withLock { copies in copies[ledgerID]?.checkpoint.map { [$0] } ?? [] }
    }

    private static func head(of copy: Copy) -> LedgerHead {
        copy.last.map { LedgerHead(seq: $0.seq, hash: $0.entryHash) } ?? .genesis
    }
}

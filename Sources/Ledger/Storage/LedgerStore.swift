import Foundation

/// Where one party keeps its copies of bilateral ledgers.
///
/// A class-bound protocol (`AnyObject`): a store is a shared, stateful resource, and `BilateralLedger` checks by
/// identity that the two copies it drives live in two different stores. Implementations are thread-safe.
/// A store keeps only agreed (countersigned) entries, appends them strictly on its head, and writes a batch
/// atomically: after a crash it holds a valid prefix of the chain, never half an entry.
public protocol LedgerStore: AnyObject, Sendable {
    /// Records a ledger's header; idempotent for an identical header.
    /// - Parameters:
    ///   - header: the ledger's parties, keys and genesis nonce.
    ///   - holder: the party whose copy this store keeps (recorded for auditors), if known.
    /// - Throws: `LedgerError(.headerMismatch)` when the ledger exists with another header.
    func createLedger(_ header: LedgerHeader, holder: PartyID?) throws

    /// The header of a ledger, or `nil` when the store has no such ledger.
    func header(of ledgerID: LedgerID) throws -> LedgerHeader?

    /// Appends agreed entries atomically: all of them or none.
    /// - Throws: `LedgerError(.notOnHead)` unless each entry continues the chain (seq and prev hash),
    ///   `.notCountersigned` for a pending entry, `.wrongLedger` for an entry of another ledger.
    func append(_ entries: [LedgerEntry], to ledgerID: LedgerID) throws

    /// Entries with `seq >= from`, in order, at most `limit` of them.
    func entries(of ledgerID: LedgerID, from seq: UInt64, limit: Int) throws -> [LedgerEntry]

    /// The `entryHash` of each entry with `seq >= from`, in order, at most `limit` of them: what a Merkle root or
    /// a comparison with a proposal needs, without reading (and parsing) the entries themselves.
    func entryHashes(of ledgerID: LedgerID, from seq: UInt64, limit: Int) throws -> [String]

    /// The last entry's seq and hash; `LedgerHead.genesis` when empty.
    func head(of ledgerID: LedgerID) throws -> LedgerHead

    /// Every ledger in the store, sorted.
    func ledgerIDs() throws -> [LedgerID]

    /// Keeps a co-signed checkpoint (its signed-note text) of a ledger.
    func saveCheckpoint(_ checkpoint: Checkpoint, of ledgerID: LedgerID) throws

    /// Stored checkpoints of a ledger, by increasing size.
    func checkpoints(of ledgerID: LedgerID) throws -> [Checkpoint]

    /// Writes buffered appends, if the store buffers; a no-op otherwise.
    func flush() throws
}

extension LedgerStore {
    /// All entries of a ledger, in order.
    public func entries(of ledgerID: LedgerID) throws -> [LedgerEntry] {
        try entries(of: ledgerID, from: 1, limit: Int.max)
    }

    /// The entry at `seq`, or `nil`.
    public func entry(of ledgerID: LedgerID, at seq: UInt64) throws -> LedgerEntry? {
        try entries(of: ledgerID, from: seq, limit: 1).first.flatMap { $0.seq == seq ? $0 : nil }
    }

    public func entryHashes(of ledgerID: LedgerID, from seq: UInt64, limit: Int) throws -> [String] {
        try entries(of: ledgerID, from: seq, limit: limit).map(\.entryHash)
    }

    public func flush() throws {}
}

/// How hard a SQLite store works to survive a power cut.
public enum Durability: String, Sendable, Hashable, CaseIterable {
    /// `PRAGMA synchronous=FULL`: a committed batch survives a power loss.
    case full
    /// `PRAGMA synchronous=NORMAL`: a committed batch survives a process crash; WAL keeps the file consistent.
    case normal
}

extension LedgerHeader {
    /// What every store's `createLedger` decides: whether `self` is new (`existing`, the stored header of the same
    /// ledger id, is nil) or already there.
    /// - Throws: `LedgerError(.headerMismatch)` when the ledger exists with another header.
    func isNew(besides existing: LedgerHeader?) throws -> Bool {
        guard let existing else { return true }
        guard existing == self else {
            throw LedgerError(.headerMismatch, "ledger \(ledgerID) exists with another header")
        }
        return false
    }
}

/// The checks every store makes before writing, so no store ever holds a broken chain or a pending entry.
enum AppendValidation {
    /// Validates `entries` as the continuation of `head`; returns the new head.
    static func check(_ entries: [LedgerEntry], of ledgerID: LedgerID, onto head: LedgerHead) throws -> LedgerHead {
        var head = head
        for entry in entries {
            guard entry.ledgerID == ledgerID else {
                throw LedgerError(.wrongLedger, "entry of ledger \(entry.ledgerID) appended to \(ledgerID)")
            }
            guard entry.seq == head.seq + 1, entry.prevHash == head.hash else {
                throw LedgerError(.notOnHead, "entry \(entry.seq) does not continue head \(head)")
            }
            guard let counterSignature = entry.counterSignature, counterSignature.count == 64,
                entry.authorSignature.count == 64
            else {
                throw LedgerError(.notCountersigned, "entry \(entry.seq) is not countersigned")
            }
            guard Hex.isCanonical(entry.entryHash, byteCount: 32) else {
                throw LedgerError(.badEntryHash, "entry \(entry.seq) hash is not 64 lower-case hex digits")
            }
            head = LedgerHead(seq: entry.seq, hash: entry.entryHash)
        }
        return head
    }
}

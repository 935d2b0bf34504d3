import Foundation

/// Where a witness keeps what it has cosigned: per ledger the header it learned first, every checkpoint it
/// cosigned, and the refusals it reported. `SQLiteWitnessStore` keeps it across restarts; `InMemoryWitnessStore`
/// serves the simulator and tests.
public protocol WitnessStore: AnyObject, Sendable {
    /// The header of a ledger the witness has cosigned a checkpoint of.
    func header(of ledgerID: LedgerID) throws -> LedgerHeader?
    /// The largest checkpoint cosigned of a ledger.
    func latest(of ledgerID: LedgerID) throws -> Checkpoint?
    /// The checkpoint cosigned of a ledger at `size`.
    func checkpoint(of ledgerID: LedgerID, size: UInt64) throws -> Checkpoint?
    /// Keeps a cosigned checkpoint and, on the ledger's first, its header, in one transaction.
    func save(_ checkpoint: Checkpoint, header: LedgerHeader) throws
    /// Keeps a refusal the witness reported.
    func saveRefusal(_ refusal: WitnessRefusal, ledgerID: LedgerID) throws
    /// The refusals reported about a ledger, oldest first.
    func refusals(of ledgerID: LedgerID) throws -> [WitnessRefusal]
}

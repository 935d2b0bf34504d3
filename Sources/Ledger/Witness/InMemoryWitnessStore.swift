import Foundation
import Synchronization

/// A `WitnessStore` in memory, for the simulator's in-process witness and for tests.
public final class InMemoryWitnessStore: WitnessStore {
    private struct Ledger {
        var header: LedgerHeader
        var checkpoints: [UInt64: Checkpoint] = [:]
        var refusals: [WitnessRefusal] = []
    }

    private let ledgers = Mutex<[LedgerID: Ledger]>([:])

    public init() {}

    public func header(of ledgerID: LedgerID) throws -> LedgerHeader? {
        ledgers.withLock { $0[ledgerID]?.header }
    }

    public func latest(of ledgerID: LedgerID) throws -> Checkpoint? {
        ledgers.withLock { ledgers in ledgers[ledgerID]?.checkpoints.max { $0.key < $1.key }?.value }
    }

    public func checkpoint(of ledgerID: LedgerID, size: UInt64) throws -> Checkpoint? {
        ledgers.withLock { $0[ledgerID]?.checkpoints[size] }
    }

    public func save(_ checkpoint: Checkpoint, header: LedgerHeader) throws {
        ledgers.withLock { ledgers in
            ledgers[header.ledgerID, default: Ledger(header: header)].checkpoints[checkpoint.size] = checkpoint
        }
    }

    public func saveRefusal(_ refusal: WitnessRefusal, ledgerID: LedgerID) throws {
        ledgers.withLock { ledgers in
            guard ledgers[ledgerID] != nil else { return }
            ledgers[ledgerID]?.refusals.append(refusal)
        }
    }

    public func refusals(of ledgerID: LedgerID) throws -> [WitnessRefusal] {
        ledgers.withLock { $0[ledgerID]?.refusals ?? [] }
    }
}

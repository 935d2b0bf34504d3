import Foundation
import Ledger
import ScenarioModel
import SupplyChain

extension ClusterRunner {
    /// The invoices of the run and what became of them, read from the providers' ledger copies (after the nodes
    /// stopped) as the simulator reads them from its entries (`InvoiceTrail`): each ledger once, its entries by
    /// time, then ledger, then position.
    public func invoices(_ cluster: Cluster) throws -> [SimulationResult.InvoiceOutcome] {
        var seen: Set<LedgerID> = []
        var entries: [LedgerEntry] = []
        for (_, path) in cluster.databases.sorted(by: { $0.key < $1.key })
        where FileManager.default.fileExists(atPath: path) {
            let store = try SQLiteLedgerStore(readOnlyPath: path)
            for id in try store.ledgerIDs() where seen.insert(id).inserted {
                entries += try store.entries(of: id).filter { $0.refs["invoice"] != nil || $0.kind == "netting" }
            }
        }
        entries.sort { ($0.time, $0.ledgerID, $0.seq) < ($1.time, $1.ledgerID, $1.seq) }
        var trail = InvoiceTrail()
        for entry in entries {
            // The trail reads the kind, refs and body; the counterparty does not matter to it.
            trail.note(
                LedgerRecord(counterparty: entry.author, kind: entry.kind, refs: entry.refs, body: entry.body),
                by: entry.author)
        }
        return trail.outcomes
    }
}

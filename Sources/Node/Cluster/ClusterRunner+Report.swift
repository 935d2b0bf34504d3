import Foundation
import Ledger
import ScenarioModel

extension ClusterRunner {
    /// Every ledger's copies as the run left them in the work directory (the providers', their SOFs' and the retail
    /// buyers' SQLite files), for the run report; read after the nodes stopped.
    public func ledgerCopies() throws -> [RunReport.LedgerCopies] {
        var files: [(holder: PartyID, path: String)] = []
        for provider in plan.providers {
            let database = workDirectory.appendingPathComponent("\(provider.party.rawValue).sqlite").path
            files.append((provider.party, database))
            files.append((provider.sofParty, NodeLedgers.sofDatabase(database)))
        }
        for buyer in Set(plan.demands.map(\.buyer)).sorted() {
            files.append((buyer, workDirectory.appendingPathComponent("retail-\(buyer.rawValue).sqlite").path))
        }
        var copies: [LedgerID: [(holder: PartyID, entries: [LedgerEntry])]] = [:]
        var parties: [LedgerID: [PartyID]] = [:]
        for (holder, path) in files where FileManager.default.fileExists(atPath: path) {
            let store = try SQLiteLedgerStore(readOnlyPath: path)
            for id in try store.ledgerIDs() {
                copies[id, default: []].append((holder, try store.entries(of: id)))
                if let header = try store.header(of: id) { parties[id] = header.parties.sorted() }
            }
        }
        return copies.keys.sorted().map { id in
            RunReport.LedgerCopies(
                id: id, parties: parties[id] ?? [], copies: copies[id]!.sorted { $0.holder < $1.holder })
        }
    }
}

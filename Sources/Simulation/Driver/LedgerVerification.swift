import Ledger

/// After a run: both copies of every ledger must be identical, entry for entry.
enum LedgerVerification {
    static func verify(ledger: LedgerID, parties: [PartyID], stores: [any LedgerStore]) throws -> [String] {
        guard stores.count == 2 else { return [] }
        let first = try stores[0].entries(of: ledger)
        let second = try stores[1].entries(of: ledger)
        if first == second { return [] }
        let index =
            zip(first, second).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(first.count, second.count)
        return ["\(ledger) \(parties[0])/\(parties[1]): copies diverge at seq \(index + 1)"]
    }
}

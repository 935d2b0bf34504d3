import ScenarioModel
import SupplyChain

extension Simulator {
    /// One row per demand of the finished run (`broker simulate --runs`): the answer as the retail buyer got it,
    /// its price and path, and what it cost the ecosystem in requests and ledger entries.
    func rows(of result: SimulationResult, run: Int) -> [RunRow] {
        let outcomes = Dictionary(result.demands.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return plan.demands.map { demand in
            let outcome = outcomes[demand.id]
            let view = retail[demand.id]
            var answerMillis: Int64?
            if let sent = view?.sentAt, let answered = view?.answeredAt {
                answerMillis = (answered - sent).milliseconds
            }
            let longest = outcome?.items.map(\.path.count).max() ?? 0
            return RunRow(
                run: run, seed: plan.seed, demand: demand.id, kind: demand.kind.rawValue, state: outcome?.state,
                confidence: outcome?.confidence, answerMillis: answerMillis, windowMillis: demand.window.milliseconds,
                price: outcome?.totalPrice, hops: longest > 0 ? longest : nil,
                requests: requestsOfDemand[demand.id] ?? 0, ledgerEntries: entriesOfDemand[demand.id] ?? 0)
        }
    }
}

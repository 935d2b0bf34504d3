import Ledger
import ScenarioModel
import SupplyChain

/// The simulator runs the retail buyers' ordering decisions (`RetailOrdering`) on its virtual clock: each `send`
/// is recorded on the buyer's ledger and delivered after the link's latency, each `schedule` becomes an event.
extension Simulator {
    func quoteArrived(demand id: String) {
        guard let response = retail[id]?.response else { return }
        perform(ordering.answerArrived(response, demand: id, now: now))
    }

    func retailStep(_ step: RetailStep, demand id: String) {
        guard let quote = retail[id]?.response else { return }
        perform(ordering.step(step, demand: id, quote: quote, now: now))
    }

    func retailOrderNotice(_ notice: OrderNotice, from seller: PartyID) {
        perform(ordering.notice(notice, from: seller, now: now))
    }

    private func perform(_ actions: [RetailOrdering.Action]) {
        for action in actions {
            switch action {
            case .schedule(let step, let demand, let at):
                queue.schedule(.retail(demand: demand, step), at: at)
            case .send(let message, let buyer, let seller, let record):
                if case .order(let order) = message, let demand = ordering.demand(ofOrder: order.id) {
                    demandOfRequest[order.id] = demand
                }
                self.record(record, by: buyer)
                send(message, from: buyer, to: seller)
            }
        }
    }
}

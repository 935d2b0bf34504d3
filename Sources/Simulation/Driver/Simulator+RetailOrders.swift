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

    func perform(_ actions: [RetailOrdering.Action]) {
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

/// Faults on the simulator's clock: each provider along the service's chain gets its fault report (the faulty
/// provider its own element, the ones above it the alarm on the element they buy), in the chain's order from the
/// faulty provider up.
extension Simulator {
    func inject(_ fault: SimulationPlan.FaultPlan) throws {
        guard let demand = plan.demand(id: fault.demand),
            let serviceID = ordering.views[fault.demand]?.serviceID
        else { return }
        for (party, report) in fault.reports(along: chain(demand, serviceID: serviceID, itemID: fault.itemID)) {
            try execute(handle(.fault(report), at: party) ?? [], by: party, demand: nil)
        }
    }

    /// The chain behind a retail service's element, read from the providers' inventories.
    func chain(_ demand: SimulationPlan.Demand, serviceID: String, itemID: String?) -> [ServiceHop] {
        let item =
            itemID ?? demand.payload["productOfferingQualificationItem"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        return ServiceHop.chain(from: demand.seller, serviceID: serviceID, itemID: item) { party, id in
            cores[party]?.view.service(id).map(ServiceSnapshot.init)
        }
    }
}

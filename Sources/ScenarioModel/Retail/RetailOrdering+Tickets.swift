import Ledger
import SupplyChain

/// The retail buyer's side of fault management: it opens the scenario's tickets on its services, follows what the
/// seller says (acknowledged, outages, resolved, terminated) and closes a resolved ticket unless the scenario says
/// it leaves it to the seller's timeout.
extension RetailOrdering {
    mutating func openTicket(_ index: Int, demand id: String, now: Instant) -> [Action] {
        guard index < plan.tickets.count, let demand = plan.demand(id: id),
            let serviceID = views[id]?.serviceID
        else { return [] }
        let ticket = plan.tickets[index]
        let ticketID = "\(demand.buyer.rawValue)-\(demand.id)-ticket-\(index + 1)"
        views[id]?.tickets.append(
            RetailTicketView(ticketID: ticketID, state: "opened", resolution: nil, history: ["opened \(now)"]))
        ticketDemands[ticketID] = ticket
        return [
            tell(
                demand,
                TicketNotice(
                    serviceID: serviceID, ticketID: ticketID, sellerTicketID: "", event: .opened(report: ticket.report),
                    at: now))
        ]
    }

    /// What the seller says about a retail buyer's service or ticket.
    public mutating func notice(_ notice: TicketNotice, from seller: PartyID, now: Instant) -> [Action] {
        guard let id = demandOfService[notice.serviceID], let demand = plan.demand(id: id),
            var view = views[id]
        else { return [] }
        var actions: [Action] = []
        let index = view.tickets.firstIndex { $0.ticketID == notice.ticketID }
        func step(_ state: String, _ text: String) {
            guard let index else { return }
            view.tickets[index].state = state
            view.tickets[index].history.append("\(text) \(now)")
        }
        switch notice.event {
        case .acknowledged:
            step("acknowledged", "acknowledged")
        case .faultNotified(let detail):
            view.faultNotices.append(detail)
        case .outageScheduled(let from, let duration):
            // The buyer agrees to the repair window, as a B-BUS does with its seller (PDL-073, PDL-074).
            view.faultOutages.append((from, duration))
            step(view.tickets[safe: index]?.state ?? "", "outage \(duration) from \(from) scheduled at")
            actions.append(
                tell(
                    demand,
                    TicketNotice(
                        serviceID: notice.serviceID, ticketID: notice.ticketID, sellerTicketID: notice.sellerTicketID,
                        event: .outageAgreed(from: from, duration: duration), at: now)))
        case .outageCompleted:
            step(view.tickets[safe: index]?.state ?? "", "outage completed")
        case .resolved(let resolution):
            step("resolved", "resolved (\(resolution))")
            if let index { view.tickets[index].resolution = resolution }
            if let index, ticketDemands[notice.ticketID]?.close ?? true {
                view.tickets[index].state = "closed"
                view.tickets[index].history.append("closed by the buyer \(now)")
                actions.append(
                    tell(
                        demand,
                        TicketNotice(
                            serviceID: notice.serviceID, ticketID: notice.ticketID,
                            sellerTicketID: notice.sellerTicketID, event: .closedByBuyer, at: now)))
            }
        case .closedOnTimeout:
            step("closed", "closed by the seller after the agreed time")
        case .faultCleared(let detail):
            view.faultNotices.append("cleared: \(detail)")
        case .serviceTerminated(let reason):
            view.state = "TERMINATED"
            view.reason = reason
        default:
            break
        }
        views[id] = view
        return actions
    }

    private func tell(_ demand: SimulationPlan.Demand, _ notice: TicketNotice) -> Action {
        .send(
            .ticket(notice), buyer: demand.buyer, seller: demand.seller,
            record: LedgerRecord(
                counterparty: demand.seller, kind: notice.event.entryKind, refs: notice.refs, body: notice.ledgerBody))
    }
}

/// The retail buyer's performance reports: it asks for the scenario's on-demand reports and keeps every report it
/// receives, scheduled or asked for.
extension RetailOrdering {
    mutating func requestReport(_ index: Int, demand id: String, now: Instant) -> [Action] {
        guard index < plan.reportRequests.count, let demand = plan.demand(id: id),
            let serviceID = views[id]?.serviceID
        else { return [] }
        let plan = self.plan.reportRequests[index]
        let request = ReportRequest(
            reportID: "\(demand.buyer.rawValue)-\(demand.id)-report-\(index + 1)", serviceID: serviceID,
            from: self.plan.start + plan.from, to: self.plan.start + plan.to, respondBy: now + plan.within)
        return [
            .send(
                .performance(.request(request)), buyer: demand.buyer, seller: demand.seller,
                record: LedgerRecord(
                    counterparty: demand.seller, kind: LedgerKind.reportRequested.rawValue, refs: request.refs,
                    body: request.ledgerBody))
        ]
    }

    /// A report from the seller on one of the buyer's services.
    public mutating func report(_ report: PerformanceReport, from seller: PartyID) {
        guard let id = demandOfService[report.serviceID] else { return }
        views[id]?.reports.append(report)
    }
}

extension Array {
    subscript(safe index: Int?) -> Element? {
        guard let index, indices.contains(index) else { return nil }
        return self[index]
    }
}

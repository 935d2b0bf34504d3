import Ledger
import SupplyChain

/// The ticket desk (ETSI PDL §23–35, Sonata Trouble Ticket v4 states): the buyer's tickets are acknowledged once the
/// SCO finds the service, resolved when the SCO says the fault is dealt with, and closed by the buyer or, after
/// `ticketCloseAfter`, on their own (after-delivery.md decision 5). Faults, repair outages and terminations reach
/// the buyer from here. Every step goes on the upstream ledger with the service id (PDL-085) before it is sent.
extension SBUS {
    /// A buyer's word about one of its services: a new ticket, a close, a termination, an agreed outage.
    public mutating func receive(
        _ notice: TicketNotice, from buyer: PartyID, now: Instant, ids: inout IDSequence
    ) -> [RoleStep] {
        let key = DeskTicket.Key(buyer: buyer, ticketID: notice.ticketID)
        switch notice.event {
        case .opened(let report):
            // Delivered twice: the first one stands.
            guard tickets[key] == nil, !notice.ticketID.isEmpty else { return [] }
            let opening = TicketOpening(
                buyer: buyer, serviceID: notice.serviceID, ticketID: notice.ticketID,
                sellerTicketID: ids.next("tt"), report: report)
            return [.message(.sbusToSCO(.ticketOpened(opening)))]
        case .closedByBuyer:
            guard let ticket = tickets[key], ticket.state != .closed else { return [] }
            forget(key, serviceID: ticket.serviceID)
            return []
        case .cancelRequested:
            // Withdrawn before it is resolved: cancelled at once; the fault, if any, is still dealt with.
            guard let ticket = tickets[key], ticket.state == .acknowledged || ticket.state == .reopened else {
                return []
            }
            forget(key, serviceID: ticket.serviceID)
            return tell(
                buyer, serviceID: ticket.serviceID, ticketID: notice.ticketID, sellerTicketID: ticket.sellerTicketID,
                .cancelled, now: now
            ).map(RoleStep.effect)
        case .reopened:
            // The buyer does not accept the resolution: the ticket is open again and diagnosed again.
            guard var ticket = tickets[key], ticket.state == .resolved else { return [] }
            ticket.state = .reopened
            tickets[key] = ticket
            let opening = TicketOpening(
                buyer: buyer, serviceID: ticket.serviceID, ticketID: notice.ticketID,
                sellerTicketID: ticket.sellerTicketID,
                report: TicketReport(description: "reopened", observedImpact: .degraded))
            return [.message(.sbusToSCO(.ticketOpened(opening)))]
        case .terminationRequested(let reason):
            return [
                .message(.sbusToSCO(.terminationRequested(buyer: buyer, serviceID: notice.serviceID, reason: reason)))
            ]
        default:
            return []  // the buyer's agreement to an outage is on the ledger; nothing more to do
        }
    }

    /// What the SCO found about a ticket, and what the buyer must hear about its services.
    mutating func handleAssurance(_ message: SCOToSBUS, now: Instant) -> [RoleStep] {
        switch message {
        case .ticketAccepted(let opening):
            let key = DeskTicket.Key(buyer: opening.buyer, ticketID: opening.ticketID)
            if tickets[key]?.state == .reopened {
                tickets[key]?.state = .acknowledged
                return []  // acknowledged when it was opened; the diagnosis runs again
            }
            tickets[key] = DeskTicket(
                serviceID: opening.serviceID, sellerTicketID: opening.sellerTicketID, state: .acknowledged)
            openTickets[DeskTicket.ServiceKey(buyer: opening.buyer, serviceID: opening.serviceID), default: []]
                .append(opening.ticketID)
            return tell(
                opening.buyer, serviceID: opening.serviceID, ticketID: opening.ticketID,
                sellerTicketID: opening.sellerTicketID, .acknowledged, now: now
            ).map(RoleStep.effect)
        case .ticketRefused(let opening, let rejection):
            return [
                .effect(
                    .trace(
                        .refused(
                            buyer: opening.buyer, requestID: RequestID(opening.ticketID),
                            reason: rejection.description)))
            ]
        case .serviceEvent(let buyer, let serviceID, let incidentID, let event):
            return serviceEvent(buyer, serviceID: serviceID, incidentID: incidentID, event, now: now)
                .map(RoleStep.effect)
        default:
            return []
        }
    }

    /// The buyer's open tickets on a service, oldest first.
    func openTicketIDs(buyer: PartyID, serviceID: String) -> [String] {
        openTickets[DeskTicket.ServiceKey(buyer: buyer, serviceID: serviceID)] ?? []
    }

    private mutating func serviceEvent(
        _ buyer: PartyID, serviceID: String, incidentID: String, _ event: TicketEvent, now: Instant
    ) -> [Effect] {
        let open = openTicketIDs(buyer: buyer, serviceID: serviceID).filter {
            tickets[DeskTicket.Key(buyer: buyer, ticketID: $0)]?.state == .acknowledged
        }
        switch event {
        case .resolved(let resolution):
            // PDL-075, PDL-076, PDL-078..PDL-080, PDL-082, PDL-084: close (resolve) every open ticket, notify, record.
            guard !open.isEmpty else {
                return tell(
                    buyer, serviceID: serviceID, ticketID: incidentID, sellerTicketID: incidentID,
                    .faultCleared(detail: resolution), now: now)
            }
            return open.flatMap { resolve(buyer, ticketID: $0, resolution: resolution, now: now) }
        case .serviceTerminated:
            // PDL-061, PDL-064, PDL-069: "Service Terminated", recorded; the open tickets are resolved by it.
            var effects = tell(
                buyer, serviceID: serviceID, ticketID: open.first ?? "", sellerTicketID: "", event, now: now)
            for ticketID in open {
                effects += resolve(buyer, ticketID: ticketID, resolution: "Service Terminated", now: now)
            }
            return effects
        default:
            // A fault the buyer may not know of, a repair outage (PDL-073, PDL-077) and its end: about the buyer's
            // ticket when it has one, else under this provider's incident id.
            let ticketID = open.first ?? incidentID
            let sellerTicketID =
                open.first.flatMap { tickets[DeskTicket.Key(buyer: buyer, ticketID: $0)]?.sellerTicketID }
                ?? incidentID
            return tell(
                buyer, serviceID: serviceID, ticketID: ticketID, sellerTicketID: sellerTicketID, event, now: now)
        }
    }

    private mutating func resolve(_ buyer: PartyID, ticketID: String, resolution: String, now: Instant) -> [Effect] {
        let key = DeskTicket.Key(buyer: buyer, ticketID: ticketID)
        guard var ticket = tickets[key] else { return [] }
        ticket.state = .resolved
        ticket.resolvedAt = now
        tickets[key] = ticket
        return tell(
            buyer, serviceID: ticket.serviceID, ticketID: ticketID, sellerTicketID: ticket.sellerTicketID,
            .resolved(resolution: resolution), now: now)
            + [
                .setTimer(
                    TimerKey(buyer: buyer, requestID: RequestID(ticketID), purpose: .sbus(.ticketAutoClose)),
                    at: now + configuration.ticketCloseAfter)
            ]
    }

    /// A resolved ticket's agreed time for the buyer's close is over.
    mutating func ticketAutoClose(buyer: PartyID, id: RequestID, now: Instant) -> [RoleStep] {
        let key = DeskTicket.Key(buyer: buyer, ticketID: id.rawValue)
        guard let ticket = tickets[key], ticket.state == .resolved,
            let resolvedAt = ticket.resolvedAt, now >= resolvedAt + configuration.ticketCloseAfter
        else { return [] }
        forget(key, serviceID: ticket.serviceID)
        return tell(
            buyer, serviceID: ticket.serviceID, ticketID: id.rawValue, sellerTicketID: ticket.sellerTicketID,
            .closedOnTimeout, now: now
        ).map(RoleStep.effect)
    }

    private mutating func forget(_ key: DeskTicket.Key, serviceID: String) {
        tickets.removeValue(forKey: key)
        let service = DeskTicket.ServiceKey(buyer: key.buyer, serviceID: serviceID)
        openTickets[service]?.removeAll { $0 == key.ticketID }
        if openTickets[service]?.isEmpty == true { openTickets.removeValue(forKey: service) }
    }

    /// Records an event on the upstream ledger and sends it to the buyer.
    private func tell(
        _ buyer: PartyID, serviceID: String, ticketID: String, sellerTicketID: String, _ event: TicketEvent,
        now: Instant
    ) -> [Effect] {
        let notice = TicketNotice(
            serviceID: serviceID, ticketID: ticketID, sellerTicketID: sellerTicketID, event: event, at: now)
        return [
            .record(
                LedgerRecord(counterparty: buyer, kind: event.entryKind, refs: notice.refs, body: notice.ledgerBody)),
            .send(to: buyer, .ticket(notice)),
        ]
    }

    /// The state of a buyer's ticket at the desk (nil once closed and forgotten, or never opened).
    public func ticketState(buyer: PartyID, ticketID: String) -> TicketState? {
        tickets[DeskTicket.Key(buyer: buyer, ticketID: ticketID)]?.state
    }
}

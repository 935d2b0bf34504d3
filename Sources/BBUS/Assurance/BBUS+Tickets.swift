import Ledger
import Sonata
import SupplyChain

/// The buy side of fault management: tickets opened with faulty sellers (PDL-081), repair outages agreed with them
/// (PDL-074), tickets closed once the seller resolved them, and terminations of the sellers' parts of a service
/// (PDL-067, PDL-068, PDL-072). Every step is recorded on that seller's ledger, with the seller's service id
/// (PDL-085), before it is sent.
extension BBUS {
    mutating func handleAssurance(_ message: SCOToBBUS, now: Instant, ids: inout IDSequence) -> [Effect] {
        switch message {
        case .ticketSeller(let service, let report):
            guard sellerTickets[service] == nil else { return [] }
            let ticketID = ids.next("tt")
            sellerTickets[service] = ticketID
            var report = report
            let contact = configuration.buyerContact
            report.reporter = RelatedContactInformation(
                name: contact.name, emailAddress: contact.emailAddress, number: contact.number,
                organization: contact.organization, role: TroubleTicketCreate.reporterRole)
            report.externalId = ticketID
            return tell(service, ticketID: ticketID, .opened(report: report), now: now)
        case .agreeOutage(let service, let from, let duration):
            return tell(
                service, ticketID: sellerTickets[service] ?? "", .outageAgreed(from: from, duration: duration),
                now: now)
        case .closeSellerTicket(let service):
            guard let ticketID = sellerTickets.removeValue(forKey: service) else { return [] }
            return tell(service, ticketID: ticketID, .closedByBuyer, now: now)
        case .requestTermination(let service, let reason):
            let ticketID = sellerTickets.removeValue(forKey: service) ?? ""
            return tell(service, ticketID: ticketID, .terminationRequested(reason: reason), now: now)
        default:
            return []
        }
    }

    /// Records a buyer's event on the seller's ledger and sends it.
    private func tell(_ service: SellerService, ticketID: String, _ event: TicketEvent, now: Instant) -> [Effect] {
        let notice = TicketNotice(
            serviceID: service.serviceID, ticketID: ticketID, sellerTicketID: "", event: event, at: now)
        return [
            .record(
                LedgerRecord(
                    counterparty: service.seller, kind: event.entryKind, refs: notice.refs, body: notice.ledgerBody)),
            .send(to: service.seller, .ticket(notice)),
        ]
    }

    /// A seller's word about a service it delivers to this provider: passed to the SCO, which knows what the
    /// service is for. A ticket the seller closed on its own is over.
    public mutating func receive(_ notice: TicketNotice, from seller: PartyID) -> [RoleStep] {
        let service = SellerService(seller: seller, serviceID: notice.serviceID)
        switch notice.event {
        case .serviceTerminated:
            sellerTickets.removeValue(forKey: service)
            notePurchaseEnded(serviceID: notice.serviceID, from: seller, at: notice.at)
        case .outageScheduled(let from, let duration):
            notePurchaseOutage(serviceID: notice.serviceID, from: from, duration: duration, seller: seller)
        case .closedOnTimeout:
            sellerTickets.removeValue(forKey: service)
        default:
            break
        }
        return [.message(.bbusToSCO(.sellerTicketNotice(seller: seller, notice)))]
    }
}

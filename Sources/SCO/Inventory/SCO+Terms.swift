import Ledger
import SupplyChain

/// Product terms: a renewal starts a new term and keeps the old ones as history (TMF622 renewal as a modify order),
/// and at a term's end the service rolls month to month, renews for the same length, or is disconnected.
extension SCO {
    mutating func renew(_ renewal: RenewalOrder, now: Instant) -> [RoleStep] {
        let key = renewal.key
        guard var service = inventory[renewal.serviceID], service.buyer == key.buyer, service.state == .active else {
            let rejection = Rejection(nil, "\(renewal.serviceID) is not an active service of \(key.buyer)")
            return [tellBuyer(key, reference: renewal.reference, .rejected(rejection.description))]
        }
        service.terms.append(renewal.term)
        inventory[renewal.serviceID] = service
        var steps: [RoleStep] = []
        for element in service.elements {
            guard let seller = element.seller, let sellerService = element.sellerServiceID else { continue }
            let part = SubOrderRenewal(
                seller: seller, sellerServiceID: sellerService, term: renewal.term,
                acceptBy: renewal.order.acceptBy - processing, activateBy: renewal.order.activateBy - processing)
            steps.append(.message(.scoToBBUS(.placeRenewal(part))))
        }
        steps.append(
            tellBuyer(key, reference: renewal.reference, .renewed(serviceID: renewal.serviceID, renewal.term)))
        return steps + [.effect(.setTimer(timer(key, .endOfTerm(serviceID: renewal.serviceID)), at: renewal.term.end))]
    }

    /// The clock reached a term's end: roll month to month, renew for the same length, or disconnect.
    mutating func endOfTerm(serviceID: String, now: Instant) -> [RoleStep] {
        guard var service = inventory[serviceID], service.state == .active, let term = service.terms.last,
            now >= term.end
        else { return [] }
        let key = OrderKey(buyer: service.buyer, orderID: service.orderID)
        let reference = "\(serviceID)-term-\(service.terms.count + 1)"
        switch term.endOfTermAction {
        case .autoRenew, .roll:
            let length = term.endOfTermAction == .roll ? TimeSpan.days(30) : term.length
            let next = ProductTerm(start: term.end, end: term.end + length, endOfTermAction: term.endOfTermAction)
            service.terms.append(next)
            inventory[serviceID] = service
            return [
                tellBuyer(key, reference: reference, .renewed(serviceID: serviceID, next)),
                .effect(.setTimer(timer(key, .endOfTerm(serviceID: serviceID)), at: next.end)),
            ]
        case .autoDisconnect:
            service.state = .terminated
            inventory[serviceID] = service
            var steps: [RoleStep] = []
            for element in service.elements where element.seller == nil {
                sof.release(element.element)
                steps.append(
                    effect: .record(
                        LedgerRecord(
                            counterparty: configuration.sofParty, kind: .sofReleased,
                            refs: ["service": serviceID, "element": element.itemID], body: ["reason": "end of term"])))
            }
            return steps + [tellBuyer(key, reference: reference, .disconnected(serviceID: serviceID))]
        }
    }
}

import Ledger
import SupplyChain

/// Product terms: a renewal starts a new term and keeps the old ones as history (TMF622 renewal as a modify order),
/// and at a term's end the service rolls month to month, renews for the same length, or is disconnected; a buyer may
/// also disconnect it at a date of its choosing.
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
            return release(serviceID, reason: "end of term")
                + [tellBuyer(key, reference: reference, .disconnected(serviceID: serviceID))]
        }
    }

    /// A buyer disconnects one of its active services at a date (Sonata `delete`): accepted at once, each seller's
    /// part disconnected at the same date down the chain, and this provider's own elements released then. A date
    /// already passed means at once (the request travelled); refused when the service is not the buyer's, not
    /// active, or already to be disconnected.
    mutating func disconnect(_ order: DisconnectionOrder, now: Instant) -> [RoleStep] {
        let key = order.key
        guard var service = inventory[order.serviceID], service.buyer == key.buyer, service.state == .active else {
            let rejection = Rejection(nil, "\(order.serviceID) is not an active service of \(key.buyer)")
            return [tellBuyer(key, reference: order.reference, .rejected(rejection.description))]
        }
        if let scheduled = service.disconnection {
            let rejection = Rejection(nil, "\(order.serviceID) is already to be disconnected at \(scheduled.at)")
            return [tellBuyer(key, reference: order.reference, .rejected(rejection.description))]
        }
        let at = max(order.at, now)
        service.disconnection = ServiceRecord.Disconnection(order: key, reference: order.reference, at: at)
        inventory[order.serviceID] = service
        var steps: [RoleStep] = [tellBuyer(key, reference: order.reference, .accepted)]
        for element in service.elements {
            guard let seller = element.seller, let sellerService = element.sellerServiceID else { continue }
            let part = SubOrderDisconnection(
                seller: seller, sellerServiceID: sellerService, at: at,
                acceptBy: max(order.order.acceptBy - processing, now))
            steps.append(.message(.scoToBBUS(.placeDisconnection(part))))
        }
        return steps + [.effect(.setTimer(timer(key, .disconnection(serviceID: order.serviceID)), at: at))]
    }

    /// The buyer cancels its disconnection order before the date (Sonata `cancelProductOrder`): the service stays
    /// in operation, each seller's part of the disconnection is cancelled down the chain, and the buyer hears
    /// `order.disconnect_withdrawn`. The date's timer then finds no disconnection and does nothing. On or after the
    /// date, or for an order that is not a pending disconnection, nothing changes.
    mutating func withdrawDisconnection(_ key: OrderKey, reason: String, now: Instant) -> [RoleStep] {
        guard
            let serviceID = inventory.filter({ $0.value.disconnection?.order == key }).keys.min(),
            var service = inventory[serviceID], service.state == .active, let disconnection = service.disconnection,
            now < disconnection.at
        else { return [] }
        service.disconnection = nil
        inventory[serviceID] = service
        var steps: [RoleStep] = []
        for element in service.elements {
            guard let seller = element.seller, let sellerService = element.sellerServiceID else { continue }
            steps.append(
                .message(
                    .scoToBBUS(
                        .withdrawDisconnection(SellerService(seller: seller, serviceID: sellerService), reason: reason)
                    )))
        }
        return steps
            + [tellBuyer(key, reference: disconnection.reference, .disconnectionWithdrawn(serviceID: serviceID))]
    }

    /// The date of a buyer's disconnection: the service ends, its own elements are released, the buyer is told.
    mutating func disconnectionDate(serviceID: String, now: Instant) -> [RoleStep] {
        guard let service = inventory[serviceID], service.state == .active, let disconnection = service.disconnection,
            now >= disconnection.at
        else { return [] }
        return release(serviceID, reason: "disconnected by the buyer")
            + [
                tellBuyer(
                    disconnection.order, reference: disconnection.reference, .disconnected(serviceID: serviceID))
            ]
    }

    /// Ends a service: terminated in the inventory, and every element the SOF delivers released.
    private mutating func release(_ serviceID: String, reason: String) -> [RoleStep] {
        guard var service = inventory[serviceID] else { return [] }
        service.state = .terminated
        inventory[serviceID] = service
        var steps: [RoleStep] = []
        for element in service.elements where element.seller == nil {
            sof.release(element.element)
            steps.append(
                effect: .record(
                    LedgerRecord(
                        counterparty: configuration.sofParty, kind: .sofReleased,
                        refs: ["service": serviceID, "element": element.itemID], body: ["reason": .string(reason)])))
        }
        return steps
    }
}

import Ledger
import SupplyChain

/// Service change (PDL-116..PDL-119): in-service changes with their price and outage, the SOF's part quoted by the
/// SOF and the sellers' parts by the sellers, the price going up with markup and the outage scheduled with the buyer.
extension SCO {
    /// The elements a change touches: a bandwidth change the ones that carry a bandwidth, a relocation the ones
    /// at a place (the access), and every element when nothing narrows it.
    func affected(_ service: ServiceRecord, by change: ServiceChange) -> [Int] {
        let indices = service.elements.indices.filter { index in
            let element = service.elements[index].element
            return change.isRelocation ? element.place != nil : element.bandwidthMbps != nil
        }
        return indices.isEmpty ? Array(service.elements.indices) : indices
    }

    mutating func change(_ order: ServiceChangeOrder, now: Instant) -> [RoleStep] {
        let key = order.key
        guard let service = inventory[order.serviceID], service.buyer == key.buyer, service.state == .active else {
            let rejection = Rejection("PDL-116", "\(order.serviceID) is not an active service of \(key.buyer)")
            return [tellBuyer(key, reference: order.reference, .rejected(rejection.description))]
        }
        var state = ChangeProcess(
            key: key, reference: order.reference, serviceID: order.serviceID, change: order.change, awaitingQuote: [],
            awaitingDone: [], fee: Money(minorUnits: 0), outage: .zero, progress: .quoting)
        var steps: [RoleStep] = []
        for index in affected(service, by: order.change) {
            let element = service.elements[index]
            if let seller = element.seller, let sellerService = element.sellerServiceID {
                state.awaitingQuote.insert(element.itemID)
                state.awaitingDone.insert(element.itemID)
                let change = SubOrderChange(
                    order: key, itemID: element.itemID, seller: seller, sellerServiceID: sellerService,
                    change: order.change, acceptBy: order.order.acceptBy - processing,
                    activateBy: order.order.activateBy - processing)
                steps.append(.message(.scoToBBUS(.placeChange(change))))
            } else {
                let quote = sof.quoteChange(element.element, order.change)
                steps.append(
                    effect: .record(
                        LedgerRecord(
                            counterparty: configuration.sofParty, kind: .sofChangeQuoted,
                            refs: ["service": order.serviceID, "element": element.itemID],
                            body: ["detail": .string(quote.detail), "possible": .bool(quote.possible)])))
                guard quote.possible else {
                    let rejection = Rejection("PDL-117", quote.detail)
                    return steps + [tellBuyer(key, reference: order.reference, .rejected(rejection.description))]
                }
                state.fee = state.fee + quote.fee
                state.outage = max(state.outage, quote.outage)
            }
        }
        changes[key] = state
        return steps + (state.awaitingQuote.isEmpty ? quoteChange(key, now: now) : [])
    }

    /// PDL-117: the change's cost and outage go to the buyer (the S-BUS adds markup); PDL-118: an outage is
    /// scheduled with the buyer before the change starts; the change completes when the outage (if any) is over.
    mutating func quoteChange(_ key: OrderKey, now: Instant) -> [RoleStep] {
        guard var state = changes[key], state.progress == .quoting else { return [] }
        state.progress = .carryingOut
        changes[key] = state
        var steps: [RoleStep] = [
            .message(.scoToSBUS(.changeCost(key, reference: state.reference, cost: state.fee, outage: state.outage)))
        ]
        var finishesAt = now
        if state.outage > .zero {
            let start = now + processing
            steps.append(
                tellBuyer(key, reference: state.reference, .outageScheduled(from: start, duration: state.outage)))
            finishesAt = start + state.outage
        }
        return steps + [.effect(.setTimer(timer(key, .changeDone), at: finishesAt))]
    }

    /// This provider's part of the change is done (its outage over); completes when the sellers' parts are too.
    mutating func ownPartOfChangeDone(_ key: OrderKey, now: Instant) -> [RoleStep] {
        guard var state = changes[key] else { return [] }
        state.progress = .ownPartDone
        changes[key] = state
        return finishChangeIfDone(key)
    }

    mutating func finishChangeIfDone(_ key: OrderKey) -> [RoleStep] {
        guard let state = changes[key], state.progress == .ownPartDone, state.awaitingDone.isEmpty,
            var service = inventory[state.serviceID]
        else { return [] }
        changes.removeValue(forKey: key)
        for index in affected(service, by: state.change) {
            let old = service.elements[index].element
            service.elements[index].element = ServiceElement(
                itemID: old.itemID, offering: old.offering, place: state.change.place ?? old.place,
                bandwidthMbps: state.change.bandwidthMbps ?? old.bandwidthMbps, specification: old.specification)
        }
        service.changes.append(state.change)
        inventory[state.serviceID] = service
        return [tellBuyer(key, reference: state.reference, .changed(serviceID: state.serviceID))]
    }

    /// A seller's answer about its part of a change: its price and outage, its outage plan, its completion.
    mutating func changeAnswer(_ sellerNotice: SellerNotice, now: Instant) -> [RoleStep] {
        guard var state = changes[sellerNotice.order] else { return [] }
        switch sellerNotice.notice.event {
        case .changeQuoted(let price, let outage):
            state.awaitingQuote.remove(sellerNotice.itemID)
            state.fee = state.fee + price
            state.outage = max(state.outage, outage)
            changes[sellerNotice.order] = state
            return state.awaitingQuote.isEmpty ? quoteChange(sellerNotice.order, now: now) : []
        case .changed:
            state.awaitingDone.remove(sellerNotice.itemID)
            changes[sellerNotice.order] = state
            return finishChangeIfDone(sellerNotice.order)
        default:
            return []  // the seller's outage plan is on the ledger; this provider schedules its own
        }
    }
}

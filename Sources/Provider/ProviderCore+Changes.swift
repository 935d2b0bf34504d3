import CanonicalJSON
import Ledger
import SCO
import Sonata
import SupplyChain

/// A change to an active service being quoted and carried out along the chain (PDL-116..PDL-119).
struct ChangeState {
    let key: OrderKey
    let reference: String
    let serviceID: String
    let change: ServiceChange
    /// Sellers' change orders still to quote / still to complete.
    var awaitingQuote: Set<RequestID>
    var awaitingDone: Set<RequestID>
    var fee: Money
    var outage: TimeSpan
    var quoted = false
    /// This provider's own part (and outage) is done.
    var ownPartDone = false
}

/// Service change and renewal: in-service changes with their price and outage, coordinated along the chain, and
/// new product terms that keep the old ones as history, with end-of-term actions applied on the clock.
extension ProviderCore {
    private var processing: TimeSpan { configuration.sbus.processingTime }

    /// The elements a change touches: a bandwidth change the ones that carry a bandwidth, a relocation the ones
    /// at a place (the access), and every element when nothing narrows it.
    private func affected(_ service: ServiceRecord, by change: ServiceChange) -> [Int] {
        let indices = service.elements.indices.filter { index in
            let element = service.elements[index].element
            return change.isRelocation ? element.place != nil : element.bandwidthMbps != nil
        }
        return indices.isEmpty ? Array(service.elements.indices) : indices
    }

    mutating func receiveChange(
        _ order: OrderRequest, key: OrderKey, serviceID: String, change: ServiceChange, now: Instant
    ) -> [Effect] {
        let reference = nextID("chg")
        guard let service = inventory[serviceID], service.buyer == key.buyer, service.state == .active else {
            return notice(
                to: key.buyer, order: key.orderID, reference: reference,
                .rejected("PDL-116: \(serviceID) is not an active service of \(key.buyer)"), now: now)
        }
        var state = ChangeState(
            key: key, reference: reference, serviceID: serviceID, change: change, awaitingQuote: [], awaitingDone: [],
            fee: Money(minorUnits: 0), outage: .zero)
        var effects: [Effect] = []
        for index in affected(service, by: change) {
            let element = service.elements[index]
            if let seller = element.seller, let sellerService = element.sellerServiceID {
                let subID = RequestID(nextID("chg-ord"))
                let subOrder = OrderRequest(
                    id: subID, action: .change(serviceID: sellerService, change), acceptBy: order.acceptBy - processing,
                    activateBy: order.activateBy - processing, term: nil)
                subOrders[subID] = SubOrder(order: key, itemID: element.itemID, seller: seller)
                state.awaitingQuote.insert(subID)
                state.awaitingDone.insert(subID)
                effects += [
                    .record(
                        LedgerRecord(
                            counterparty: seller, kind: "change.request",
                            refs: ["order": subID.rawValue, "service": sellerService], body: subOrder.ledgerBody)),
                    .send(to: seller, .order(subOrder)),
                ]
            } else {
                let quote = sco.sof.quoteChange(element.element, change)
                effects.append(
                    .record(
                        LedgerRecord(
                            counterparty: configuration.sofParty, kind: "sof.change_quoted",
                            refs: ["service": serviceID, "element": element.itemID],
                            body: ["detail": .string(quote.detail), "possible": .bool(quote.possible)])))
                guard quote.possible else {
                    return effects
                        + notice(
                            to: key.buyer, order: key.orderID, reference: reference,
                            .rejected("PDL-117: \(quote.detail)"), now: now)
                }
                state.fee = state.fee + quote.fee
                state.outage = max(state.outage, quote.outage)
            }
        }
        changes[key] = state
        return effects + (state.awaitingQuote.isEmpty ? quoteChange(key, now: now) : [])
    }

    /// PDL-117: the change's price (with markup) and outage go to the buyer; PDL-118: an outage is scheduled with
    /// the buyer before the change starts; the change completes when the outage (if any) is over.
    private mutating func quoteChange(_ key: OrderKey, now: Instant) -> [Effect] {
        guard var state = changes[key], !state.quoted else { return [] }
        state.quoted = true
        changes[key] = state
        let price = sbus.price(cost: state.fee, for: key.buyer)
        var effects = notice(
            to: key.buyer, order: key.orderID, reference: state.reference,
            .changeQuoted(price: price, outage: state.outage), now: now)
        var finishesAt = now
        if state.outage > .zero {
            let start = now + processing
            effects += notice(
                to: key.buyer, order: key.orderID, reference: state.reference,
                .outageScheduled(from: start, duration: state.outage), now: now)
            finishesAt = start + state.outage
        }
        return effects + [
            .setTimer(TimerKey(buyer: key.buyer, requestID: key.orderID, purpose: "change|"), at: finishesAt)
        ]
    }

    /// This provider's part of the change is done (its outage over); completes when the sellers' parts are too.
    mutating func completeChange(_ key: OrderKey, now: Instant) -> [Effect] {
        guard var state = changes[key] else { return [] }
        state.ownPartDone = true
        changes[key] = state
        return finishChangeIfDone(key, now: now)
    }

    private mutating func finishChangeIfDone(_ key: OrderKey, now: Instant) -> [Effect] {
        guard let state = changes[key], state.ownPartDone, state.awaitingDone.isEmpty,
            var service = inventory[state.serviceID]
        else { return [] }
        changes.removeValue(forKey: key)
        for index in affected(service, by: state.change) {
            let old = service.elements[index].element
            service.elements[index].element = ServiceElement(
                itemID: old.itemID, offering: old.offering, place: state.change.place ?? old.place,
                bandwidthMbps: state.change.bandwidthMbps ?? old.bandwidthMbps)
        }
        service.changes.append(state.change)
        inventory[state.serviceID] = service
        return notice(
            to: key.buyer, order: key.orderID, reference: state.reference, .changed(serviceID: state.serviceID),
            now: now)
    }

    /// A seller's answer about its part of a change: its price and outage, its outage plan, its completion.
    mutating func changeAnswer(_ notice: OrderNotice, sub: SubOrder, now: Instant) -> [Effect] {
        guard var state = changes[sub.order] else { return [] }
        switch notice.event {
        case .changeQuoted(let price, let outage):
            state.awaitingQuote.remove(notice.orderID)
            state.fee = state.fee + price
            state.outage = max(state.outage, outage)
            changes[sub.order] = state
            return state.awaitingQuote.isEmpty ? quoteChange(sub.order, now: now) : []
        case .changed:
            subOrders.removeValue(forKey: notice.orderID)
            state.awaitingDone.remove(notice.orderID)
            changes[sub.order] = state
            return finishChangeIfDone(sub.order, now: now)
        default:
            return []  // the seller's outage plan is on the ledger; this provider schedules its own
        }
    }

    // MARK: - Renewal and end of term

    /// A renewal starts a new product term and keeps the old ones (TMF622 renewal as a modify order).
    mutating func receiveRenewal(
        _ order: OrderRequest, key: OrderKey, serviceID: String, term: ProductTerm, now: Instant
    ) -> [Effect] {
        let reference = nextID("renewal")
        guard var service = inventory[serviceID], service.buyer == key.buyer, service.state == .active else {
            return notice(
                to: key.buyer, order: key.orderID, reference: reference,
                .rejected("\(serviceID) is not an active service of \(key.buyer)"), now: now)
        }
        service.terms.append(term)
        inventory[serviceID] = service
        var effects: [Effect] = []
        for element in service.elements {
            guard let seller = element.seller, let sellerService = element.sellerServiceID else { continue }
            let subID = RequestID(nextID("renew-ord"))
            let subOrder = OrderRequest(
                id: subID, action: .renew(serviceID: sellerService, term), acceptBy: order.acceptBy - processing,
                activateBy: order.activateBy - processing, term: term)
            effects += [
                .record(
                    LedgerRecord(
                        counterparty: seller, kind: "order.renewal_request",
                        refs: ["order": subID.rawValue, "service": sellerService], body: subOrder.ledgerBody)),
                .send(to: seller, .order(subOrder)),
            ]
        }
        effects += notice(
            to: key.buyer, order: key.orderID, reference: reference, .renewed(serviceID: serviceID, term), now: now)
        return effects + [
            .setTimer(TimerKey(buyer: key.buyer, requestID: key.orderID, purpose: "term|\(serviceID)"), at: term.end)
        ]
    }

    /// The clock reached a term's end: roll month to month, renew for the same length, or disconnect.
    mutating func endOfTerm(serviceID: String, now: Instant) -> [Effect] {
        guard var service = inventory[serviceID], service.state == .active, let term = service.terms.last,
            now >= term.end
        else { return [] }
        let reference = "\(serviceID)-term-\(service.terms.count + 1)"
        switch term.endOfTermAction {
        case .autoRenew, .roll:
            let length = term.endOfTermAction == .roll ? TimeSpan.days(30) : term.length
            let next = ProductTerm(start: term.end, end: term.end + length, endOfTermAction: term.endOfTermAction)
            service.terms.append(next)
            inventory[serviceID] = service
            return notice(
                to: service.buyer, order: service.orderID, reference: reference, .renewed(serviceID: serviceID, next),
                now: now)
                + [
                    .setTimer(
                        TimerKey(buyer: service.buyer, requestID: service.orderID, purpose: "term|\(serviceID)"),
                        at: next.end)
                ]
        case .autoDisconnect:
            service.state = .terminated
            inventory[serviceID] = service
            var effects: [Effect] = []
            for element in service.elements where element.seller == nil {
                sco.sof.release(element.element)
                effects.append(
                    .record(
                        LedgerRecord(
                            counterparty: configuration.sofParty, kind: "sof.released",
                            refs: ["service": serviceID, "element": element.itemID], body: ["reason": "end of term"])))
            }
            return effects
                + notice(
                    to: service.buyer, order: service.orderID, reference: reference,
                    .disconnected(serviceID: serviceID), now: now)
        }
    }
}

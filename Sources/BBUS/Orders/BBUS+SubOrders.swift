import Ledger
import SupplyChain

/// Orders placed with sellers and the notices exchanged about them: each element ordered from the seller that
/// quoted it (PDL-030), changes and renewals of a seller's part, cancellations and window changes (PDL-058..PDL-060),
/// every one recorded on that seller's ledger before it is sent.
extension BBUS {
    mutating func placeSubOrder(_ placement: SubOrderPlacement, now: Instant, ids: inout IDSequence) -> [Effect] {
        let subID = RequestID(ids.next("ord"))
        // The item as the seller quoted it: the request it answered carried no relationships to items the seller
        // does not receive (see `request(id:kind:itemID:…)`), so the order does not either (PDL-021).
        var item = placement.item
        if case .object(var fields) = item {
            fields.removeValue(forKey: "qualificationItemRelationship")
            item = .object(fields)
        }
        let subOrder = OrderRequest(
            id: subID, action: .provide(quoteReference: placement.quoteReference, items: [item]),
            acceptBy: max(placement.acceptBy, now), activateBy: placement.activateBy, term: placement.term,
            reporting: placement.reporting)
        let sub = SubOrder(
            order: placement.order, itemID: placement.itemID, seller: placement.seller, isChange: false)
        subOrders[subID] = sub
        currentSubOrder[sub.slot] = subID
        notePurchase(placement, subID: subID)
        return [
            .record(
                LedgerRecord(
                    counterparty: placement.seller, kind: .orderRequest,
                    refs: ["order": subID.rawValue, "quote": placement.quoteReference, "element": placement.itemID],
                    body: subOrder.ledgerBody)),
            .send(to: placement.seller, .order(subOrder)),
            .trace(
                .orderedFrom(
                    orderID: placement.order.orderID, itemID: placement.itemID, seller: placement.seller,
                    sellerOrderID: subID)),
        ]
    }

    mutating func placeChange(_ change: SubOrderChange, ids: inout IDSequence) -> [Effect] {
        let subID = RequestID(ids.next("chg-ord"))
        let subOrder = OrderRequest(
            id: subID, action: .change(serviceID: change.sellerServiceID, change.change), acceptBy: change.acceptBy,
            activateBy: change.activateBy, term: nil)
        subOrders[subID] = SubOrder(order: change.order, itemID: change.itemID, seller: change.seller, isChange: true)
        return [
            .record(
                LedgerRecord(
                    counterparty: change.seller, kind: .changeRequest,
                    refs: ["order": subID.rawValue, "service": change.sellerServiceID], body: subOrder.ledgerBody)),
            .send(to: change.seller, .order(subOrder)),
        ]
    }

    func placeRenewal(_ renewal: SubOrderRenewal, ids: inout IDSequence) -> [Effect] {
        let subID = RequestID(ids.next("renew-ord"))
        let subOrder = OrderRequest(
            id: subID, action: .renew(serviceID: renewal.sellerServiceID, renewal.term), acceptBy: renewal.acceptBy,
            activateBy: renewal.activateBy, term: renewal.term)
        return [
            .record(
                LedgerRecord(
                    counterparty: renewal.seller, kind: .renewalRequest,
                    refs: ["order": subID.rawValue, "service": renewal.sellerServiceID], body: subOrder.ledgerBody)),
            .send(to: renewal.seller, .order(subOrder)),
        ]
    }

    /// Asks a seller to disconnect its part of a service at the buyer's date.
    mutating func placeDisconnection(_ disconnection: SubOrderDisconnection, ids: inout IDSequence) -> [Effect] {
        let subID = RequestID(ids.next("disc-ord"))
        let subOrder = OrderRequest(
            id: subID, action: .disconnect(serviceID: disconnection.sellerServiceID, at: disconnection.at),
            acceptBy: disconnection.acceptBy, activateBy: disconnection.at, term: nil)
        disconnections[subID] = SellerService(seller: disconnection.seller, serviceID: disconnection.sellerServiceID)
        return [
            .record(
                LedgerRecord(
                    counterparty: disconnection.seller, kind: .disconnectionRequest,
                    refs: ["order": subID.rawValue, "service": disconnection.sellerServiceID],
                    body: subOrder.ledgerBody)),
            .send(to: disconnection.seller, .order(subOrder)),
        ]
    }

    /// Cancels the disconnection asked of a seller for its part of a service (the buyer above withdrew its own):
    /// the cancellation is recorded on the seller's ledger and sent; nothing when no disconnection is pending there.
    mutating func withdrawDisconnection(_ service: SellerService, reason: String, now: Instant) -> [Effect] {
        guard let subID = disconnections.filter({ $0.value == service }).keys.min(by: { $0.rawValue < $1.rawValue })
        else { return [] }
        disconnections.removeValue(forKey: subID)
        return noticeToSeller(service.seller, subID, .cancelled(reason), now: now)
    }

    /// Tells the seller of each listed element's current sub-order; closing forgets those sub-orders.
    mutating func tellSellers(
        order: OrderKey, itemIDs: [String], _ event: OrderEvent, closing: Bool, now: Instant
    ) -> [Effect] {
        var effects: [Effect] = []
        for itemID in itemIDs {
            let slot = SubOrder.Slot(order: order, itemID: itemID)
            guard let subID = currentSubOrder[slot], let sub = subOrders[subID] else { continue }
            if closing {
                currentSubOrder.removeValue(forKey: slot)
                subOrders.removeValue(forKey: subID)
            }
            effects += noticeToSeller(sub.seller, subID, event, now: now)
        }
        return effects
    }

    /// Records an event on a seller's ledger and sends it (cancellations, window changes, extension answers).
    func noticeToSeller(_ seller: PartyID, _ subID: RequestID, _ event: OrderEvent, now: Instant) -> [Effect] {
        let notice = OrderNotice(orderID: subID, sellerOrderReference: "", event: event, at: now)
        return [
            .record(
                LedgerRecord(
                    counterparty: seller, kind: event.entryKind, refs: ["order": subID.rawValue],
                    body: notice.ledgerBody)),
            .send(to: seller, .orderNotice(notice)),
        ]
    }

    /// A seller's notice about an order this provider placed with it: passed to the SCO with the order and element
    /// it serves. A sub-order that was rejected, failed or completed its change is over.
    public mutating func receive(_ notice: OrderNotice, from seller: PartyID) -> [RoleStep] {
        notePurchase(notice, from: seller)
        if disconnections[notice.orderID]?.seller == seller {
            switch notice.event {
            case .disconnected, .rejected: disconnections.removeValue(forKey: notice.orderID)
            default: break
            }
            return []
        }
        guard let sub = subOrders[notice.orderID], sub.seller == seller else { return [] }
        // A notice about a sub-order an element no longer uses (re-sourced since) changes nothing.
        if !sub.isChange, currentSubOrder[sub.slot] != notice.orderID { return [] }
        switch notice.event {
        case .rejected, .failed:
            subOrders.removeValue(forKey: notice.orderID)
            if !sub.isChange { currentSubOrder.removeValue(forKey: sub.slot) }
        case .changed:
            subOrders.removeValue(forKey: notice.orderID)
        default:
            break
        }
        let sellerNotice = SellerNotice(order: sub.order, itemID: sub.itemID, seller: seller, notice: notice)
        return [.message(.bbusToSCO(.sellerNotice(sellerNotice)))]
    }
}

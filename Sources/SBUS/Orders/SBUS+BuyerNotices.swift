import Ledger
import SupplyChain

/// What the buyer hears of its orders: every event recorded on the upstream ledger, then sent (PDL-031, PDL-040).
extension SBUS {
    /// Records an order event on the upstream ledger and sends it to the buyer.
    func notice(
        to buyer: PartyID, order: RequestID, reference: String, _ event: OrderEvent,
        evidence: [ActivationEvidence]? = nil, now: Instant
    ) -> [Effect] {
        let notice = OrderNotice(
            orderID: order, sellerOrderReference: reference, event: event, at: now, evidence: evidence)
        return [
            .record(
                LedgerRecord(
                    counterparty: buyer, kind: event.entryKind,
                    refs: ["order": order.rawValue, "sellerOrder": reference], body: notice.ledgerBody)),
            .send(to: buyer, .orderNotice(notice)),
            .trace(.orderEvent(buyer: buyer, orderID: order, event)),
        ]
    }
}

extension OrderEvent {
    /// Whether the order or change is over once the buyer hears this.
    var endsOrder: Bool {
        switch self {
        case .rejected, .failed, .activated, .changed: true
        default: false
        }
    }
}

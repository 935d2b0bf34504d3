import CanonicalJSON
import Sonata
import SupplyChain

/// How a live node shows an order to plain Sonata clients: a `ProductOrder` (v10) and its notifications.
extension ProviderNode.OrderResource {
    /// The order's Sonata state after the notices so far.
    public var state: ProductOrderState {
        var state = ProductOrderState.acknowledged
        for notice in notices {
            switch notice.event {
            case .accepted: state = .inProgress
            case .rejected where state == .acknowledged: state = .rejected
            case .activated, .changed, .renewed, .disconnected: state = .completed
            case .failed: state = .failed
            case .cancelled, .disconnectionWithdrawn: state = .cancelled
            default: break
            }
        }
        return state
    }

    /// A change's milestones as the seller announced them (PDL-116..PDL-118): `change.quoted` when it was priced,
    /// its note the one-off price and the outage it needs (`price 110.00 EUR; outage 4h`), and
    /// `change.outage_scheduled` dated at the outage's start, its note the length (`outage 4h`).
    public var milestones: [Milestone] {
        notices.compactMap { notice in
            switch notice.event {
            case .changeQuoted(let price, let outage):
                Milestone(
                    name: notice.event.ledgerKind, date: MEFDateTime(notice.at.date),
                    note: "price \(price); outage \(outage)")
            case .outageScheduled(let from, let duration):
                Milestone(name: notice.event.ledgerKind, date: MEFDateTime(from.date), note: "outage \(duration)")
            default:
                nil
            }
        }
    }

    /// The order as a Sonata v10 `ProductOrder`.
    public func sonata(href: String? = nil) -> ProductOrder {
        let state = self.state
        let itemState: ProductOrderItemState =
            switch state {
            case .acknowledged: .acknowledged
            case .inProgress: .inProgress
            case .completed: .completed
            case .failed: .failed
            case .cancelled: .cancelled
            default: .rejected
            }
        let items: [ProductOrderItem]
        switch request.action {
        case .provide(let quoteReference, let quoted):
            items = quoted.enumerated().map { index, item in
                let id = item["id"]?.stringValue ?? "\(index + 1)"
                let product = item["product"]
                return ProductOrderItem(
                    id: ProductOrderItemID(rawValue: id), action: .add, state: itemState,
                    product: OrderProductRefOrValue(
                        productOffering: product?["productOffering"]?["id"]?.stringValue.map {
                            ProductOfferingRef(id: $0)
                        },
                        productConfiguration: product?["productConfiguration"],
                        place: product?["place"]?.arrayValue),
                    quoteItem: QuoteItemRef(quoteId: QuoteID(rawValue: quoteReference), id: QuoteItemID(rawValue: id)),
                    requestedCompletionDate: MEFDateTime(request.activateBy.date))
            }
        case .change(let serviceID, _), .renew(let serviceID, _):
            let renewed = notices.lazy.compactMap { notice -> ProductTerm? in
                if case .renewed(_, let term) = notice.event { return term }
                return nil
            }.first
            items = [
                ProductOrderItem(
                    id: "1", action: .modify, state: itemState,
                    product: OrderProductRefOrValue(id: ProductID(rawValue: serviceID)),
                    requestedCompletionDate: MEFDateTime(request.activateBy.date),
                    itemTerm: renewed.map { [ProviderNode.itemTerm(name: "renewal", $0)] },
                    milestone: milestones.isEmpty ? nil : milestones)
            ]
        case .disconnect(let serviceID, let at):
            items = [
                ProductOrderItem(
                    id: "1", action: .delete, state: itemState,
                    product: OrderProductRefOrValue(id: ProductID(rawValue: serviceID)),
                    requestedCompletionDate: MEFDateTime(at.date))
            ]
        }
        let reason = notices.lazy.compactMap { notice -> String? in
            if case .rejected(let reason) = notice.event { return reason }
            if case .failed(let reason) = notice.event { return reason }
            return nil
        }.first
        return ProductOrder(
            id: ProductOrderID(rawValue: id), href: href.map { $0 + "/" + id }, orderDate: MEFDateTime(receivedAt.date),
            state: state,
            relatedContactInformation: [
                RelatedContactInformation(
                    name: buyer.rawValue, emailAddress: "orders@\(buyer.rawValue.lowercased()).invalid",
                    number: "+000", role: "Buyer Contact")
            ],
            productOrderItem: items, externalId: request.id.rawValue,
            completionDate: state == .completed || state == .failed
                ? notices.last.map { MEFDateTime($0.at.date) } : nil,
            stateChange: notices.map { notice in
                ProductOrderStateChange(
                    state: nil, changeDate: MEFDateTime(notice.at.date),
                    changeReason: notice.event.ledgerKind)
            } + (reason.map { [ProductOrderStateChange(state: state, changeReason: $0)] } ?? []))
    }

    /// The Sonata notification for one of the order's notices: state changes, expected-date changes (an
    /// extension request) and milestones (a change's price and outage).
    public func event(for notice: OrderNotice, href: String?) -> ProductOrderEvent {
        let type: ProductOrderEventType
        var milestone: String?
        switch notice.event {
        case .extensionRequested:
            type = .productOrderItemExpectedCompletionDateSet
        case .changeQuoted, .outageScheduled:
            type = .productSpecificProductOrderItemMilestoneEvent
            milestone = notice.event.ledgerKind
        default:
            type = .productOrderStateChangeEvent
        }
        return ProductOrderEvent(
            eventId: "\(id)-\(notices.count)", eventTime: MEFDateTime(notice.at.date), eventType: type,
            event: ProductOrderEventPayload(
                id: ProductOrderID(rawValue: id), href: href.map { $0 + "/" + id }, milestoneName: milestone,
                buyerId: buyer.rawValue))
    }
}

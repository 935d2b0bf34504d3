import Foundation
import Ledger
import SBUS
import Sonata
import SupplyChain

/// Quotes on a live node (Sonata Quote v8): a buyer's cancellation or decline goes to the S-BUS, which decides and
/// records it; a plain buyer's quote hubs hear each state change as the Sonata quote notification `Event`.
extension ProviderNode {
    /// A buyer cancels or declines a quote: the S-BUS's refusal when it refuses (nothing is handed to the core, so
    /// nothing is recorded), else the decision as recorded.
    public func decide(_ decision: QuoteDecision, buyer: PartyID) -> Result<QuoteDecision, Rejection> {
        if let refusal = core.view.refusal(of: decision, from: buyer, now: clock.now()) { return .failure(refusal) }
        guard handle(.message(from: buyer, .quoteDecision(decision)), trace: nil),
            let withdrawn = core.view.withdrawal(of: decision.quoteReference, buyer: buyer)
        else {
            return .failure(Rejection(nil, "the decision could not be recorded; nothing was done"))
        }
        return .success(withdrawn.decision)
    }

    /// The quote `buyer` cancelled or declined, if it did.
    public func withdrawal(of quoteReference: String, buyer: PartyID) -> WithdrawnQuote? {
        core.view.withdrawal(of: quoteReference, buyer: buyer)
    }

    /// Whether an order was accepted against the quote.
    public func isOrdered(_ quoteReference: String) -> Bool { core.view.isOrdered(quoteReference) }

    /// Registers a buyer's listener for its quote notifications (Sonata Quote v8 `POST /hub`); kept across restarts.
    public func registerQuoteHub(_ input: EventSubscriptionInput, buyer: PartyID) -> EventSubscription {
        let subscription = EventSubscription(
            id: "\(party.rawValue)-quote-hub-\(quoteHubCount + 1)", callback: input.callback, query: input.query)
        journal(.quoteHubRegistered(buyer: buyer, subscription))
        addQuoteHub(subscription, buyer: buyer)
        return subscription
    }

    func addQuoteHub(_ subscription: EventSubscription, buyer: PartyID) {
        quoteHubCount += 1
        quoteHubs[buyer, default: []].append(subscription)
    }

    /// Removes a buyer's quote listener; false when the buyer has no such listener.
    public func deleteQuoteHub(id: String, buyer: PartyID) -> Bool {
        guard quoteHubs[buyer]?.contains(where: { $0.id == id }) == true else { return false }
        journal(.quoteHubDeleted(id))
        removeQuoteHub(id)
        return true
    }

    func removeQuoteHub(_ id: String) {
        for buyer in quoteHubs.keys { quoteHubs[buyer]?.removeAll { $0.id == id } }
    }

    /// A deferred quote's final answer: a `quoteStateChangeEvent`, and a `quoteItemStateChangeEvent` per item.
    func notifyQuoteHubs(of answer: SupplyResponse, buyer: PartyID) {
        guard resources[answer.sellerReference]?.request?.instantSyncQualification != true else { return }
        var events = [
            quoteEvent(answer.sellerReference, type: .quoteStateChangeEvent, buyer: buyer, at: answer.answeredAt)
        ]
        for item in answer.items {
            events.append(
                quoteEvent(
                    answer.sellerReference, type: .quoteItemStateChangeEvent, buyer: buyer, itemID: item.itemID,
                    at: answer.answeredAt))
        }
        for event in events { deliverQuoteEvent(event, to: buyer) }
    }

    /// A quote the buyer cancelled or declined: a `quoteStateChangeEvent`.
    func notifyQuoteHubs(of decision: QuoteDecision, buyer: PartyID) {
        let at = decision.decidedAt ?? clock.now()
        deliverQuoteEvent(
            quoteEvent(decision.quoteReference, type: .quoteStateChangeEvent, buyer: buyer, at: at), to: buyer)
    }

    private func quoteEvent(
        _ reference: String, type: QuoteEventType, buyer: PartyID, itemID: String? = nil, at: Instant
    ) -> QuoteEvent {
        QuoteEvent(
            eventId: [reference, type.rawValue, itemID, "\(at.milliseconds)"].compactMap { $0 }.joined(separator: "-"),
            eventTime: MEFDateTime(at.date), eventType: type,
            event: QuoteEventPayload(
                id: QuoteID(rawValue: reference),
                href: configuration.publicURL + NodeRoutes.quotePath + "/" + reference,
                quoteItemId: itemID.map { QuoteItemID(rawValue: $0) }, sellerId: party.rawValue,
                buyerId: buyer.rawValue))
    }

    /// Posts a quote event to each of `buyer`'s quote hubs whose query asks for its type (all when it names none).
    private func deliverQuoteEvent(_ event: QuoteEvent, to buyer: PartyID) {
        for hub in quoteHubs[buyer] ?? [] {
            let wanted = EventSubscriptionInput(callback: hub.callback, query: hub.query).eventTypeNames
            guard wanted.isEmpty || wanted.contains(event.eventType.rawValue) else { continue }
            deliver(
                event, contentType: "application/json", to: buyer, base: hub.callback,
                path: "/listener/" + event.eventType.rawValue)
        }
    }
}

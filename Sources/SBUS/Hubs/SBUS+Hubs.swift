import Ledger
import Sonata
import SupplyChain

/// Hubs and notifications (MEF 79.1 Use Cases 1 and 5): a buyer registers a listener and hears of every state
/// change of its deferred POQs that its query asks for.
extension SBUS {
    /// Registers a buyer for notifications and records the registration on its ledger (MEF79-R4, R7).
    public mutating func register(_ input: EventSubscriptionInput, buyer: PartyID) -> [RoleStep] {
        let id = "\(party.rawValue)-hub-\(subscriptions.values.reduce(0) { $0 + $1.count } + 1)"
        let subscription = EventSubscription(id: id, callback: input.callback, query: input.query)
        subscriptions[buyer, default: []].append(subscription)
        let body: CanonicalBody = [
            "subscriptionId": .string(subscription.id), "callback": .string(subscription.callback),
            "query": subscription.query.map(CanonicalBody.string) ?? .null,
        ]
        return [.effect(.record(LedgerRecord(counterparty: buyer, kind: .hubRegistered, refs: [:], body: body)))]
    }

    /// Notifications for a state change of a deferred POQ: one per registration whose query asks for this event
    /// type, none for an unregistered buyer (MEF79-R5, R6, R91, R92).
    public func notifications(
        to buyer: PartyID, deferred: Bool, eventType: POQEventType, sellerReference: String, itemID: String? = nil,
        state: String, now: Instant
    ) -> [Effect] {
        guard deferred, let registrations = subscriptions[buyer] else { return [] }
        return registrations.enumerated().compactMap { index, subscription in
            let input = EventSubscriptionInput(callback: subscription.callback, query: subscription.query)
            guard input.eventTypes.contains(eventType) else { return nil }
            let event = POQEvent(
                eventId: "\(sellerReference)-\(eventType.rawValue)-\(state)-\(index + 1)",
                eventTime: MEFDateTime(now.date), eventType: eventType,
                event: POQEventPayload(
                    id: sellerReference,
                    href:
                        "/mefApi/sonata/productOfferingQualification/v7/productOfferingQualification/\(sellerReference)",
                    poqItemId: itemID, sellerId: party.rawValue))
            return .send(to: buyer, .notification(event, state: state))
        }
    }
}

import CanonicalJSON
import Ledger
import Sonata
import SupplyChain

/// The sell side's commercial and timing terms.
public struct SBUSConfiguration: Sendable, Hashable {
    /// Markup on cost in basis points (1,000 = 10 %).
    public let markupBasisPoints: Int64
    /// Contractual discounts per buyer in basis points (PDL-015).
    public let discountBasisPoints: [PartyID: Int64]
    /// How long a quote stays valid (PDL-018).
    public let quoteValidity: TimeSpan
    /// Time this provider needs between the sellers' deadline and its own: sellers get the buyer's window minus it.
    public let processingTime: TimeSpan
    /// Seller Contact Information put on answers (MEF79-R38).
    public let sellerContact: RelatedContactInformation

    public init(
        markupBasisPoints: Int64, discountBasisPoints: [PartyID: Int64] = [:], quoteValidity: TimeSpan = .days(30),
        processingTime: TimeSpan = .seconds(1), sellerContact: RelatedContactInformation
    ) {
        self.markupBasisPoints = markupBasisPoints
        self.discountBasisPoints = discountBasisPoints
        self.quoteValidity = quoteValidity
        self.processingTime = processingTime
        self.sellerContact = sellerContact
    }
}

/// What the S-BUS makes of an incoming request before the SCO sees it.
public enum Admission: Sendable {
    /// Valid, addressed to a provider not already in the chain.
    case accepted(ProductOfferingQualificationCreate)
    /// Breaks MEF 79.1 or the Sonata schema: answered REJECTED with every finding.
    case invalid([ValidationFinding])
    /// This provider is on the request's loop-prevention list (PDL-004): answered REJECTED, reason loop.
    case loop
}

/// S-BUS: admits buyers' requests, prices answers, renders them in MEF Sonata, and keeps hub registrations. Pure.
public struct SBUS: Sendable {
    public let party: PartyID
    public let configuration: SBUSConfiguration
    /// Notification registrations per buyer (MEF 79.1 Use Case 1).
    public private(set) var subscriptions: [PartyID: [EventSubscription]] = [:]

    public init(party: PartyID, configuration: SBUSConfiguration) {
        self.party = party
        self.configuration = configuration
    }

    /// Validates the payload (MEF 79.1 and the Sonata schema) and checks the loop-prevention list.
    public func admit(_ request: SupplyRequest) -> Admission {
        let (decoded, findings) = SonataValidator.admitPOQ(request.payload)
        guard let poq = decoded else { return .invalid(findings) }
        if request.loopPreventionList.lists(party) { return .loop }
        return .accepted(poq)
    }

    /// The price for `buyer`: cost plus markup, less the buyer's contractual discount (PDL-015).
    public func price(cost: Money, for buyer: PartyID) -> Money {
        let marked = cost.scaled(basisPoints: 10_000 + configuration.markupBasisPoints)
        let discount = configuration.discountBasisPoints[buyer] ?? 0
        return marked.scaled(basisPoints: 10_000 - discount)
    }

    /// Registers a buyer for notifications and returns the subscription (MEF79-R4, R7).
    public mutating func register(_ input: EventSubscriptionInput, buyer: PartyID) -> EventSubscription {
        let id = "\(party.rawValue)-hub-\(subscriptions.values.reduce(0) { $0 + $1.count } + 1)"
        let subscription = EventSubscription(id: id, callback: input.callback, query: input.query)
        subscriptions[buyer, default: []].append(subscription)
        return subscription
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

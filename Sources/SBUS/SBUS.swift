import CanonicalJSON
import Ledger
import Sonata
import SupplyChain

/// S-BUS, the sell side: receipts and admission of buyers' requests, the quote book, the order desk (PDL-019..PDL-023),
/// the notices the buyer hears, hubs and notifications. Pure: it takes one message at a time and returns steps.
public struct SBUS: Sendable {
    public let party: PartyID
    public let configuration: SBUSConfiguration
    /// Notification registrations per buyer (MEF 79.1 Use Case 1).
    public internal(set) var subscriptions: [PartyID: [EventSubscription]] = [:]
    /// Requests received and not yet answered, by buyer and request id.
    var receipts: [RequestKey: Receipt] = [:]
    /// Quotes this provider gave, by its own reference: orders are checked against them.
    var quotes: [String: QuoteRecord] = [:]
    /// The quotes that still hold offers and will expire, oldest first (see `forgetExpiredOffers(now:)`).
    var quotesHoldingOffers: [String] = []
    /// How many of them were still valid at the last sweep; the next one runs when the list has doubled.
    var quotesHoldingOffersAfterSweep = 0
    /// The quotes their buyers cancelled or declined, by reference, as recorded (no order can use them).
    var withdrawnQuotes: [String: WithdrawnQuote] = [:]
    /// The quotes an order was accepted against (ACCEPTED: they can no longer be declined).
    var orderedQuotes: Set<String> = []
    /// Orders and changes the desk passed on and the SCO is still working on.
    var desk: [OrderKey: DeskEntry] = [:]
    /// The buyers' trouble tickets not yet closed.
    var tickets: [DeskTicket.Key: DeskTicket] = [:]
    /// The open tickets per buyer service, oldest first.
    var openTickets: [DeskTicket.ServiceKey: [String]] = [:]
    /// What each buyer under contract is billed (rating, invoices, open lines).
    var accounts: [PartyID: BillingAccount] = [:]

    public init(party: PartyID, configuration: SBUSConfiguration) {
        self.party = party
        self.configuration = configuration
        self.accounts = configuration.contracts.mapValues(BillingAccount.init(contract:))
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

    /// Number of buyer requests still being worked on.
    public var openRequestCount: Int { receipts.count }

    /// The items of a quote this provider gave `buyer` (what an order against it must repeat), by item id; nil for
    /// a POQ's answer (never orderable, PDL-023, and not kept) or another buyer's quote.
    public func quotedItems(_ quoteReference: String, buyer: PartyID) -> [String: JSONValue]? {
        guard let quote = quotes[quoteReference], quote.buyer == buyer else { return nil }
        return quote.items
    }

    /// This provider's reference for a buyer's order or change while it is being worked on.
    public func orderReference(buyer: PartyID, orderID: RequestID) -> String? {
        desk[OrderKey(buyer: buyer, orderID: orderID)]?.reference
    }

    /// One of the S-BUS's timers fired: a billing cycle's end, a resolved ticket's time for the buyer's close.
    public mutating func fire(
        _ timer: SBUSTimer, buyer: PartyID, id: RequestID, now: Instant, ids: inout IDSequence
    ) -> [RoleStep] {
        switch timer {
        case .billingCycle: closeCycle(buyer: buyer, now: now, ids: &ids)
        case .ticketAutoClose: ticketAutoClose(buyer: buyer, id: id, now: now)
        }
    }

    /// Handles what the SCO hands over for the buyer, and notes what it means for the buyer's bill.
    public mutating func handle(_ message: SCOToSBUS, now: Instant) -> [RoleStep] {
        let flow = pass(message, now: now)
        return flow + rate(message, now: now)
    }

    private mutating func pass(_ message: SCOToSBUS, now: Instant) -> [RoleStep] {
        switch message {
        case .qualified(let key, let outcomes):
            return answer(key, outcomes: outcomes, now: now)
        case .unableToMeetTime(let key, let outcomes):
            return answerUnableToMeetTime(key, outcomes: outcomes, now: now)
        case .inProgress(let key, let itemIDs, let complete):
            return inProgress(key, itemIDs: itemIDs, complete: complete, now: now).map(RoleStep.effect)
        case .orderEvent(let key, let reference, let event, let evidence):
            if event.endsOrder { desk.removeValue(forKey: key) }
            return notice(to: key.buyer, order: key.orderID, reference: reference, event, evidence: evidence, now: now)
                .map(RoleStep.effect)
        case .changeCost(let key, let reference, let cost, let outage):
            let quoted = OrderEvent.changeQuoted(price: price(cost: cost, for: key.buyer), outage: outage)
            return notice(to: key.buyer, order: key.orderID, reference: reference, quoted, now: now).map(
                RoleStep.effect)
        case .orderClosed(let key):
            desk.removeValue(forKey: key)
            return []
        case .ticketAccepted, .ticketRefused, .serviceEvent:
            return handleAssurance(message, now: now)
        case .report(let buyer, let report):
            return deliver(report, to: buyer).map(RoleStep.effect)
        case .scheduleTaken(let buyer, let schedule):
            return [.effect(scheduleTaken(schedule, buyer: buyer))]
        case .scheduleCancelled(let buyer, let serviceID, let jobID):
            return [.effect(scheduleCancelled(serviceID: serviceID, jobID: jobID, buyer: buyer))]
        }
    }
}

import CanonicalJSON
import Ledger
import SBUS
import SCO
import Sonata
import SupplyChain

/// A read-only view of one provider's roles for its driver: hub registrations, quotes, orders in progress and the
/// inventory. A snapshot: it does not change when the core handles more inputs.
public struct ProviderView: Sendable {
    private let sbus: SBUS
    private let sco: SCO

    init(sbus: SBUS, sco: SCO) {
        self.sbus = sbus
        self.sco = sco
    }

    /// Number of buyer requests still being worked on.
    public var openRequestCount: Int { sbus.openRequestCount }

    /// The hubs `buyer` registered, oldest first (MEF 79.1 Use Case 1).
    public func subscriptions(of buyer: PartyID) -> [EventSubscription] { sbus.subscriptions[buyer] ?? [] }

    /// The Sonata rendering of an answer (see `SBUS.sonataPOQ`).
    public func sonataPOQ(
        _ response: SupplyResponse, request: ProductOfferingQualificationCreate?, createdAt: Instant? = nil
    ) -> ProductOfferingQualification {
        sbus.sonataPOQ(response, request: request, createdAt: createdAt)
    }

    /// A deferred POQ's acknowledgement as it stands now: IN_PROGRESS once the SCO's business validation passed
    /// (see `SBUS.current`).
    public func current(_ acknowledgement: SupplyResponse, buyer: PartyID) -> SupplyResponse {
        sbus.current(acknowledgement, buyer: buyer)
    }

    /// The items of a quote this provider gave `buyer` (what an order against it must repeat), by item id.
    public func quotedItems(_ quoteReference: String, buyer: PartyID) -> [String: JSONValue]? {
        sbus.quotedItems(quoteReference, buyer: buyer)
    }

    /// Why the S-BUS would refuse a buyer's cancellation or decline of a quote, or `nil` when it would take it.
    public func refusal(of decision: QuoteDecision, from buyer: PartyID, now: Instant) -> Rejection? {
        sbus.refusal(of: decision, from: buyer, now: now)
    }

    /// The quote `buyer` cancelled or declined, if it did.
    public func withdrawal(of quoteReference: String, buyer: PartyID) -> WithdrawnQuote? {
        sbus.withdrawal(of: quoteReference, buyer: buyer)
    }

    /// Whether an order was accepted against the quote.
    public func isOrdered(_ quoteReference: String) -> Bool { sbus.isOrdered(quoteReference) }

    /// This provider's reference for a buyer's order or change while it is being worked on.
    public func orderReference(buyer: PartyID, orderID: RequestID) -> String? {
        sbus.orderReference(buyer: buyer, orderID: orderID)
    }

    /// A service in operation (or ended), by id.
    public func service(_ serviceID: String) -> ServiceRecord? { sco.inventory[serviceID] }

    /// A buyer's own report schedule (performance job) as the SCO runs it, if it took it.
    public func reportJob(serviceID: String, jobID: String) -> ReportJob? {
        sco.reportJobs[ReportJobKey(serviceID: serviceID, jobID: jobID)]
    }

    /// This provider's SLA reputation over the reports it delivered, as of its newest record (PDL-112): the score
    /// in thousandths and the records it rests on.
    public var reputation: (score: Int64, count: Int)? { sco.reputation() }

    /// Every service this provider delivers or delivered to `buyer`, in operation or ended, by id.
    public func serviceIDs(of buyer: PartyID) -> [String] {
        sco.inventory.filter { $0.value.buyer == buyer }.keys.sorted()
    }

    /// The active services this provider delivers to `buyer`, by id.
    public func activeServiceIDs(of buyer: PartyID) -> [String] {
        sco.inventory.filter { $0.value.buyer == buyer && $0.value.state == .active }.keys.sorted()
    }

}

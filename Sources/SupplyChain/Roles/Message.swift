import CanonicalJSON
import Ledger
import Sonata

/// What one provider sends another, over HTTP in the live node or through the event queue in the simulator.
public enum Message: Codable, Sendable, Hashable {
    /// A POQ or inquiry from a buyer.
    case request(SupplyRequest)
    /// The Seller's immediate ACKNOWLEDGED answer to a deferred request, carrying its own POQ id.
    case acknowledgement(SupplyResponse)
    /// The final answer.
    case response(SupplyResponse)
    /// Register for POQ notifications (MEF 79.1 Use Case 1).
    case hubRegistration(EventSubscriptionInput)
    /// A POQ state-change notification (MEF 79.1 Use Case 5).
    case notification(POQEvent, state: String)
    /// An order, a change or a renewal, from a buyer.
    case order(OrderRequest)
    /// What became of an order, in either direction.
    case orderNotice(OrderNotice)
    /// A trouble ticket, a fault, a repair outage or a termination of a service in operation, in either direction.
    case ticket(TicketNotice)
    /// A performance report request or a report, about a service in operation.
    case performance(PerformanceMessage)
    /// A seller's invoice for one billing period (MEF billing v2 `CustomerBill`, PDL-100).
    case invoice(Invoice)
    /// The buyer's answer to an invoice: final, partial or disputed (PDL-103..PDL-106).
    case reconciliation(Reconciliation)
    /// The seller's automatic resolution of disputed lines (PDL-103).
    case disputeResolution(DisputeResolution)
    /// The buyer's payment of an invoice (PDL-107..PDL-109).
    case payment(Payment)
    /// A buyer cancels or declines a quote; the seller sends it back once recorded.
    case quoteDecision(QuoteDecision)

    /// A short name for logs and summaries.
    public var name: String {
        switch self {
        case .request: "request"
        case .acknowledgement: "acknowledgement"
        case .response: "response"
        case .hubRegistration: "hubRegistration"
        case .notification: "notification"
        case .order: "order"
        case .orderNotice: "orderNotice"
        case .ticket: "ticket"
        case .performance: "performance"
        case .invoice: "invoice"
        case .reconciliation: "reconciliation"
        case .disputeResolution: "disputeResolution"
        case .payment: "payment"
        case .quoteDecision: "quoteDecision"
        }
    }
}

/// One thing that happens to a provider: a message, one of its own timers, or a fault its monitoring reports.
public enum ProviderInput: Codable, Sendable, Hashable {
    case message(from: PartyID, Message)
    case timer(TimerKey)
    /// An element of one of its services failed (ETSI PDL §22–25).
    case fault(FaultReport)
}

/// A timer a role asked for; it comes back as `ProviderInput.timer` at the instant it was set for.
public struct TimerKey: Hashable, Codable, Sendable {
    public let buyer: PartyID
    public let requestID: RequestID
    /// What the timer is for, and so which role it goes back to.
    public let purpose: RoleTimer

    public init(buyer: PartyID, requestID: RequestID, purpose: RoleTimer) {
        self.buyer = buyer
        self.requestID = requestID
        self.purpose = purpose
    }

    enum CodingKeys: String, CodingKey {
        case buyer, requestID, purpose
    }

    /// Decodes a timer, also in the text form journals written before timers were typed (`"deadline"`,
    /// `"element|uni"`, `"term|P-svc-3"` …), so that a node restarted on an older journal keeps its timers.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        buyer = try container.decode(PartyID.self, forKey: .buyer)
        requestID = try container.decode(RequestID.self, forKey: .requestID)
        if let legacy = try? container.decode(String.self, forKey: .purpose) {
            guard let purpose = RoleTimer(journaled: legacy) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .purpose, in: container, debugDescription: "unknown timer '\(legacy)'")
            }
            self.purpose = purpose
        } else {
            purpose = try container.decode(RoleTimer.self, forKey: .purpose)
        }
    }
}

/// An entry a role asks to append, authored by the provider, on its ledger with `counterparty`.
///
/// Roles name the kind with a `LedgerKind`; `kind` is its text as the ledger stores it. Drivers recording a retail
/// buyer's own entries may still pass the text.
public struct LedgerRecord: Sendable, Hashable {
    public let counterparty: PartyID
    public let kind: String
    public let refs: [String: String]
    public let body: CanonicalBody

    public init(counterparty: PartyID, kind: String, refs: [String: String], body: CanonicalBody) {
        self.counterparty = counterparty
        self.kind = kind
        self.refs = refs
        self.body = body
    }

    public init(counterparty: PartyID, kind: LedgerKind, refs: [String: String], body: CanonicalBody) {
        self.init(counterparty: counterparty, kind: kind.rawValue, refs: refs, body: body)
    }

    /// The kind as the roles name it, when it is one of theirs.
    public var ledgerKind: LedgerKind? { LedgerKind(rawValue: kind) }
}

/// What a role decided, for the driver's summary and the scenario expectations; it changes nothing.
public enum TraceEvent: Sendable, Hashable {
    case received(buyer: PartyID, requestID: RequestID, sellerReference: String)
    case refused(buyer: PartyID, requestID: RequestID, reason: String)
    case sofAnswered(requestID: RequestID, itemID: String, deliverable: Bool, detail: String)
    case sourcedExternally(requestID: RequestID, itemID: String, seller: PartyID, sellerRequestID: RequestID)
    case sourcedInternally(requestID: RequestID, itemID: String)
    case unsourced(requestID: RequestID, itemID: String, reason: String)
    case skippedSeller(requestID: RequestID, itemID: String, seller: PartyID, reason: String)
    case answered(buyer: PartyID, requestID: RequestID, state: MEF79POQState)
    /// An order event this provider sent its buyer (accepted, activated, failed …).
    case orderEvent(buyer: PartyID, orderID: RequestID, OrderEvent)
    /// An element of an order ordered from a seller (or re-sourced after a failure).
    case orderedFrom(orderID: RequestID, itemID: String, seller: PartyID, sellerOrderID: RequestID)
    /// An element of an order delivered by the provider's own SOF.
    case deliveredInternally(orderID: RequestID, itemID: String)
    /// The SOF released reserved or active elements (abandonment, rejection, disconnection).
    case released(orderID: RequestID, itemIDs: [String])
}

/// What a role asks its driver to do. Roles never do I/O themselves.
public enum Effect: Sendable, Hashable {
    case send(to: PartyID, Message)
    case setTimer(TimerKey, at: Instant)
    case record(LedgerRecord)
    /// An entry on this provider's own omni-lateral ledger, for its neighbours to countersign (PDL-115).
    case publish(OmniRecord)
    case trace(TraceEvent)
}

/// What a provider publishes on its omni-lateral ledger: the kind, refs and body of the entry.
public struct OmniRecord: Sendable, Hashable {
    public let kind: String
    public let refs: [String: String]
    public let body: JSONValue

    public init(kind: String, refs: [String: String], body: JSONValue) {
        self.kind = kind
        self.refs = refs
        self.body = body
    }
}

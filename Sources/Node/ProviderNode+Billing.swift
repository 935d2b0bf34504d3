import CanonicalJSON
import Foundation
import Ledger
import Sonata
import SupplyChain

/// Money on a live node (ETSI PDL §47–64, MEF Sonata billing v2): the seller side keeps each invoice its S-BUS
/// issued, with the buyer's answers and payment, as the `customerBill` resource (rebuilt from the journal on a
/// restart); every billing message travels in the supply envelope: the seller's invoice and dispute resolution
/// to the buyer's listener, the buyer's reconciliation and payment to the seller's `customerBill/{id}`. A plain
/// Sonata buyer registers a billing hub and hears of its own bills as `CustomerBillEvent`s.
extension ProviderNode {
    /// One invoice (or credit note) this node issued, and what its buyer did with it.
    public struct BillResource: Sendable {
        public let invoice: Invoice
        /// The buyer's answers, in order (`final`, `partial`, `dispute`).
        public var answers: [Reconciliation.Outcome] = []
        public var payment: Payment?

        /// The MEF `CustomerBillStateType`: `generated` until the buyer agrees it, `paymentDue` once it is final,
        /// `settled` once it is paid (or a final credit note, which owes nothing).
        public var state: String {
            if payment != nil { return "settled" }
            guard answers.last == .final else { return "generated" }
            return invoice.amountDue.minorUnits > 0 ? "paymentDue" : "settled"
        }

        /// The Sonata `CustomerBill`, with its `href`.
        public func sonata(href base: String) -> JSONValue {
            guard case .object(var bill) = invoice.customerBill(state: state) else { return .null }
            bill["href"] = .string(base + "/" + invoice.id)
            return .object(bill)
        }

        /// The bill as the list shows it (`CustomerBill_Find`).
        public func find(href base: String) -> JSONValue {
            let bill = sonata(href: base)
            var found: [String: JSONValue] = [:]
            for key in ["id", "href", "billNo", "billingAccount", "billingPeriod", "category", "state"] {
                if let value = bill[key] { found[key] = value }
            }
            return .object(found)
        }
    }

    /// The bill with this id, if this node issued it.
    public func bill(id: String) -> BillResource? { billResources[id] }

    /// The bills this node issued to `buyer`, oldest first.
    public func bills(of buyer: PartyID) -> [BillResource] {
        billOrder.compactMap { id in billResources[id].flatMap { $0.invoice.buyer == buyer ? $0 : nil } }
    }

    /// What a buyer's answer or payment changes in its bill (live and replayed); ignored when the bill is not
    /// that buyer's. Returns the bill's id when its hubs should hear of it: its state changed, or a partial answer
    /// made the agreed lines final (the MEF state stays `generated`).
    func noteBilling(_ message: Message, from buyer: PartyID) -> String? {
        let id: String
        switch message {
        case .reconciliation(let answer): id = answer.invoiceID
        case .payment(let payment): id = payment.invoiceID
        default: return nil
        }
        guard var bill = billResources[id], bill.invoice.buyer == buyer else { return nil }
        let before = bill.state
        switch message {
        case .reconciliation(let answer): bill.answers.append(answer.outcome)
        case .payment(let payment): bill.payment = payment
        default: return nil
        }
        billResources[id] = bill
        return bill.state != before || (bill.answers.last == .partial && bill.payment == nil) ? id : nil
    }

    /// Carries a billing message: a seller's invoice (kept as a bill, also when replaying) or dispute resolution
    /// to the buyer's listener, a buyer's reconciliation or payment to its seller.
    func transmitBilling(_ message: Message, to: PartyID, replaying: Bool) {
        let eventType: String
        switch message {
        case .invoice(let invoice):
            if billResources[invoice.id] == nil { billOrder.append(invoice.id) }
            billResources[invoice.id] = BillResource(invoice: invoice)
            eventType = "customerBillCreateEvent"
            if !replaying { notifyBillingHubs(invoice.id, .customerBillCreateEvent) }
        case .disputeResolution:
            eventType = "customerBillStateChangeEvent"
        case .reconciliation(let answer):
            if replaying { return }
            post(
                SupplyEnvelope(message: message), to: to, path: NodeRoutes.sellerPath(for: message), until: nil,
                what: "reconciliation of \(answer.invoiceID)")
            return
        case .payment(let payment):
            if replaying { return }
            post(
                SupplyEnvelope(message: message), to: to, path: NodeRoutes.sellerPath(for: message), until: nil,
                what: "payment of \(payment.invoiceID)")
            return
        default:
            return
        }
        guard !replaying else { return }
        guard let url = replyTo[to] else {
            if billingHubs[to]?.isEmpty ?? true {
                logger.warning("no listener for a buyer's invoices", metadata: ["buyer": "\(to)"])
            }
            return
        }
        deliver(
            SupplyEnvelope(message: message), to: to, base: url,
            path: NodeRoutes.billingListenerBase + "/" + eventType)
    }

    // MARK: - The billing hub (Sonata billing v2)

    /// Why a buyer cannot read or remove a billing hub.
    public enum BillingHubRefusal: Error, Sendable, Equatable {
        case unknown(String)
        case othersHub(String)
    }

    /// Registers a buyer's listener for notifications of its own bills (billing v2 `POST /hub`); kept across
    /// restarts (journaled).
    public func registerBillingHub(_ input: EventSubscriptionInput, buyer: PartyID) -> EventSubscription {
        let subscription = EventSubscription(
            id: "\(party.rawValue)-billing-hub-\(billingHubCount + 1)", callback: input.callback, query: input.query)
        journal(.billingHubRegistered(buyer: buyer, subscription))
        addBillingHub(subscription, buyer: buyer)
        return subscription
    }

    func addBillingHub(_ subscription: EventSubscription, buyer: PartyID) {
        billingHubCount += 1
        billingHubs[buyer, default: []].append(subscription)
    }

    /// The buyer's billing hub with this id: `.unknown` when there is none, `.othersHub` when another buyer's.
    public func billingHub(id: String, buyer: PartyID) -> Result<EventSubscription, BillingHubRefusal> {
        if let hub = billingHubs[buyer]?.first(where: { $0.id == id }) { return .success(hub) }
        if billingHubs.values.contains(where: { $0.contains { $0.id == id } }) { return .failure(.othersHub(id)) }
        return .failure(.unknown(id))
    }

    /// Removes a buyer's billing hub; refused (nothing changed) when it is unknown or another buyer's.
    public func deleteBillingHub(id: String, buyer: PartyID) -> Result<Void, BillingHubRefusal> {
        if case .failure(let refusal) = billingHub(id: id, buyer: buyer) { return .failure(refusal) }
        journal(.billingHubDeleted(id))
        removeBillingHub(id)
        return .success(())
    }

    func removeBillingHub(_ id: String) {
        for buyer in billingHubs.keys { billingHubs[buyer]?.removeAll { $0.id == id } }
    }

    /// Tells the hubs of the bills the last input changed (a buyer's answer or payment).
    func notifyBillChanges() {
        let changed = changedBills
        changedBills = []
        for id in changed { notifyBillingHubs(id, .customerBillStateChangeEvent) }
    }

    /// POSTs a `CustomerBillEvent` about bill `id` to each of its buyer's billing hubs whose query asks for that
    /// event type (all when it names none), at `callback/listener/{eventType}`.
    func notifyBillingHubs(_ id: String, _ type: CustomerBillEventType) {
        guard let bill = billResources[id] else { return }
        let buyer = bill.invoice.buyer
        let hubs = (billingHubs[buyer] ?? []).filter { hub in
            let wanted = EventSubscriptionInput(callback: hub.callback, query: hub.query).eventTypeNames
            return wanted.isEmpty || wanted.contains(type.rawValue)
        }
        guard !hubs.isEmpty else { return }
        // Numbered per bill: 1 for its creation, then one more per answer or payment.
        let number = 1 + bill.answers.count + (bill.payment == nil ? 0 : 1)
        let event = CustomerBillEvent(
            eventId: "\(id)-event-\(number)", eventTime: MEFDateTime(clock.now().date), eventType: type,
            event: CustomerBillEventPayload(
                id: id, href: configuration.publicURL + NodeRoutes.customerBillPath + "/" + id,
                sellerId: party.rawValue, buyerId: buyer.rawValue))
        for hub in hubs {
            deliver(
                event, contentType: "application/json", to: buyer, base: hub.callback,
                path: "/listener/" + type.rawValue)
        }
    }
}

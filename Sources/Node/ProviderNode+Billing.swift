import CanonicalJSON
import Foundation
import Ledger
import SupplyChain

/// Money on a live node (ETSI PDL §47–64, MEF Sonata billing v2): the seller side keeps each invoice its S-BUS
/// issued, with the buyer's answers and payment, as the `customerBill` resource (rebuilt from the journal on a
/// restart); every billing message travels in the supply envelope: the seller's invoice and dispute resolution
/// to the buyer's listener, the buyer's reconciliation and payment to the seller's `customerBill/{id}`.
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
    /// that buyer's.
    func noteBilling(_ message: Message, from buyer: PartyID) {
        switch message {
        case .reconciliation(let answer):
            guard billResources[answer.invoiceID]?.invoice.buyer == buyer else { return }
            billResources[answer.invoiceID]?.answers.append(answer.outcome)
        case .payment(let payment):
            guard billResources[payment.invoiceID]?.invoice.buyer == buyer else { return }
            billResources[payment.invoiceID]?.payment = payment
        default:
            return
        }
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
            logger.warning("no listener for a buyer's invoices", metadata: ["buyer": "\(to)"])
            return
        }
        deliver(
            SupplyEnvelope(message: message), to: to, base: url,
            path: NodeRoutes.billingListenerBase + "/" + eventType)
    }
}

import Ledger
import SupplyChain

/// What the B-BUS bought from sellers under contract, from its own records: the price each seller quoted for each
/// element ordered, when the seller said it was activated and disconnected, the change fees it quoted and completed,
/// and the invoices received. It is the buyer's own estimate of what it owes (ETSI PDL §52, Fig. 36).
struct PurchaseBook: Sendable {
    /// One element ordered from a seller.
    struct Purchase: Sendable {
        let seller: PartyID
        let itemID: String
        /// The seller's monthly price, as quoted.
        let price: Money?
        var serviceID: String?
        var activatedAt: Instant?
        var endedAt: Instant?
    }

    /// A change fee the seller quoted and then completed.
    struct OneOff: Sendable {
        let seller: PartyID
        let fee: Money
        let at: Instant
    }

    /// An outage a seller announced for a change of its part, credited per the contract once the change is done.
    struct Outage: Sendable {
        let seller: PartyID
        let serviceID: String
        let from: Instant
        let duration: TimeSpan
    }

    /// A seller's scheduled report that breached an objective: the SLA breach credit the buyer expects.
    struct Breach: Sendable {
        let seller: PartyID
        let serviceID: String
        /// The end of the report's interval: no invoice of a period ending earlier credits it.
        let to: Instant
    }

    /// A seller's scheduled report with metered traffic: what a usage line may charge for, once.
    struct Usage: Sendable {
        let seller: PartyID
        let serviceID: String
        let to: Instant
        let megabytes: Int64
        /// The invoice whose usage line first charged it (a line carried open keeps it).
        var billedOn: String?
    }

    /// An invoice received and where its reconciliation stands.
    struct Payable: Sendable {
        let invoice: Invoice
        /// The agreed lines and their final amounts, by line number.
        var agreed: [String: Money]
        /// The disputed lines and the buyer's estimate of each, by line number.
        var open: [String: Money]
        var paid = false

        /// The tax the buyer's own contract charges (not the invoice's word for it).
        let tax: InvoiceTax?

        /// The agreed lines and the tax on them at the contract's rate.
        var agreedAmount: Money {
            Invoice(
                id: invoice.id, seller: invoice.seller, buyer: invoice.buyer, billDate: invoice.billDate,
                period: invoice.period, paymentDueDate: invoice.paymentDueDate, paymentMethod: invoice.paymentMethod,
                currency: invoice.currency, items: invoice.items, tax: tax
            ).amountDue(of: agreed)
        }
    }

    /// By the sub-order id the B-BUS gave the element's order.
    var purchases: [RequestID: Purchase] = [:]
    /// Change fees quoted, by the change's sub-order id.
    var quotedFees: [RequestID: Money] = [:]
    var oneOffs: [RequestID: OneOff] = [:]
    /// Outages announced for changes in progress, then completed, by the change's sub-order id.
    var pendingOutages: [RequestID: (from: Instant, duration: TimeSpan)] = [:]
    var outages: [RequestID: Outage] = [:]
    /// Breached reports credited per the contract, by report id.
    var breaches: [String: Breach] = [:]
    /// Reports with metered traffic, by report id.
    var usage: [String: Usage] = [:]
    /// Credit notes agreed (their amount positive), by document id: deducted from a later invoice.
    var creditNotes: [String: Money] = [:]
    var payables: [String: Payable] = [:]
    /// What parties that also buy from this provider owe it, final, per cycle: what netting offsets (PDL-110).
    var receivables: [PartyID: [Int: (invoiceID: String, amount: Money)]] = [:]
}

import Ledger
import SupplyChain

/// What the S-BUS knows to bill one buyer under its contract: the services it delivered with their contracted
/// prices, the one-off charges, the invoices it issued and the disputed lines still open. Every fact here is one the
/// S-BUS recorded on the ledger with the buyer (order.activated, change.completed, service.disconnected), so a line
/// can always be recomputed from co-signed entries.
struct BillingAccount: Sendable {
    /// An order being fulfilled: the price quoted for each item, per month (PDL-097: the buyer contract's rates).
    struct PricedOrder: Sendable {
        let prices: [(itemID: String, price: Money)]
    }

    /// A service in operation, rated per item from its activation until it ends.
    struct RatedService: Sendable {
        let serviceID: String
        let orderID: RequestID
        let prices: [(itemID: String, price: Money)]
        let activatedAt: Instant
        var endedAt: Instant?
    }

    /// A one-off charge (a change fee), billed in the period in which it was incurred.
    struct OneOffCharge: Sendable {
        let serviceID: String
        let orderID: RequestID
        let fee: Money
        let at: Instant
    }

    /// A service's outage (from a change), credited per the contract's SLA credit (billed in the period it began).
    struct Outage: Sendable {
        let serviceID: String
        let orderID: RequestID
        let from: Instant
        let duration: TimeSpan
    }

    /// A scheduled report on a service that breached an objective, credited per the contract's SLA breach credit
    /// on the first invoice whose period ends after the report's interval (a report that ends just before a cycle's
    /// end but comes in after it is credited on the next invoice, never lost).
    struct Breach: Sendable {
        let serviceID: String
        let reportID: String
        let to: Instant
        /// The cycle whose invoice credits it, once issued.
        var cycle: Int?
    }

    /// A scheduled report's metered traffic on a service (usage-based charging, PDL-097: rated at the contract's
    /// usage rate), billed like a breach credit on the first invoice whose period ends after the report's interval.
    struct Usage: Sendable {
        let serviceID: String
        let reportID: String
        let to: Instant
        let megabytes: Int64
        /// The cycle whose invoice bills it, once issued.
        var cycle: Int?
    }

    /// A final credit note to deduct from the next invoice (its amount positive), and the cycle it was applied in.
    struct Credit: Sendable {
        let documentID: String
        let amount: Money
        var cycle: Int?
    }

    /// Where an issued invoice stands.
    enum InvoiceState: String, Sendable {
        case issued, partial, disputed, final, settled
    }

    struct IssuedInvoice: Sendable {
        let invoice: Invoice
        var state: InvoiceState
    }

    let contract: TradingContract
    var ordersInFulfilment: [RequestID: PricedOrder] = [:]
    /// Change orders quoted and not yet completed, with the fee quoted to the buyer.
    var changeFees: [RequestID: Money] = [:]
    var services: [RatedService] = []
    var oneOffs: [OneOffCharge] = []
    /// Outages announced for changes not yet completed, by change order.
    var pendingOutages: [RequestID: (from: Instant, duration: TimeSpan)] = [:]
    var outages: [Outage] = []
    var breaches: [Breach] = []
    var usage: [Usage] = []
    /// Credit notes the buyer agreed, deducted from the next invoice (decision 12: credit notes settle like invoices).
    var credits: [Credit] = []
    /// The next cycle to invoice.
    var nextCycle = 0
    /// Whether a billing-cycle timer is pending.
    var cycleTimerSet = false
    var issued: [String: IssuedInvoice] = [:]
    /// The order in which invoices were issued.
    var invoiceOrder: [String] = []
    /// Disputed lines the seller upheld: open, carried to the next invoice (PDL-106).
    var carried: [InvoiceItem] = []

    init(contract: TradingContract) { self.contract = contract }

    /// Whether anything may still be billed after the cycle just invoiced.
    var hasMoreToBill: Bool {
        let start = contract.period(nextCycle).start
        return !carried.isEmpty || !changeFees.isEmpty || !ordersInFulfilment.isEmpty
            || credits.contains { $0.cycle == nil } || outages.contains { $0.from >= start }
            || breaches.contains { $0.cycle == nil } || usage.contains { $0.cycle == nil }
            || services.contains { ($0.endedAt ?? .distantFuture) > start } || oneOffs.contains { $0.at >= start }
    }

    /// The monthly price of a service: the sum of its items' prices.
    func monthlyPrice(of serviceID: String) -> Money {
        services.filter { $0.serviceID == serviceID }.flatMap(\.prices).map(\.price).reduce(.zero(contract.currency), +)
    }
}

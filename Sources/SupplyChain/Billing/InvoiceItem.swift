import Ledger

/// One line of an invoice (MEF billing v2 `CustomerBillItem`): a recurring charge for a service over the days of
/// the period it was active, or a one-off charge (a change fee), with the ledger entries it rests on.
public struct InvoiceItem: Codable, Sendable, Hashable {
    /// MEF `MEFPriceType`.
    public enum ChargeType: String, Codable, Sendable, Hashable {
        case recurring, nonRecurring, usageBased
    }

    /// MEF `CustomerBillItemStateType` (the spelling `withDrawn` is the yaml's, decision 18).
    public enum State: String, Codable, Sendable, Hashable {
        case generated, disputeBeingInvestigated, credit, withDrawn, paymentDue, settled
    }

    /// The line's number on its invoice, "1", "2" …
    public let id: String
    public let chargeType: ChargeType
    /// The service the line charges for, by the seller's service id (decision 17).
    public let product: String
    /// The buyer's order (or change order) behind the line.
    public let productOrder: String
    /// The ordered item behind the line.
    public let productOrderItem: String
    public let description: String
    public let coverage: BillingPeriod
    /// `day` for a recurring charge (unitQuantity days of a 30-day month at unitRate a month), `each` for a one-off.
    public let unit: String
    public let unitQuantity: Int
    public let unitRate: Money
    /// The amount of the line before taxes: unitRate × unitQuantity / 30 for days, unitRate × unitQuantity each.
    public let amount: Money
    /// The co-signed ledger entries the line rests on, as `kind ref=value` (`order.activated order=X-ord-3`).
    public let evidence: [String]
    /// The invoice where this line was first billed and disputed, when it is carried over still open (PDL-106).
    public let carriedFrom: String?

    public init(
        id: String, chargeType: ChargeType, product: String, productOrder: String, productOrderItem: String,
        description: String, coverage: BillingPeriod, unit: String, unitQuantity: Int, unitRate: Money, amount: Money,
        evidence: [String], carriedFrom: String? = nil
    ) {
        self.id = id
        self.chargeType = chargeType
        self.product = product
        self.productOrder = productOrder
        self.productOrderItem = productOrderItem
        self.description = description
        self.coverage = coverage
        self.unit = unit
        self.unitQuantity = unitQuantity
        self.unitRate = unitRate
        self.amount = amount
        self.evidence = evidence
        self.carriedFrom = carriedFrom
    }

    /// The `productOrderItem` of an SLA credit line (an outage, credited per the contract; a negative amount).
    public static let outageCredit = "outage"
    /// The `productOrderItem` of an SLA credit for a breached performance report (its `productOrder` is the report
    /// id; a negative amount).
    public static let breachCredit = "sla-breach"
    /// The `productOrderItem` of a usage-based line: the traffic of one service over the reports it cites, in
    /// started gigabytes at the contract's rate.
    public static let usage = "usage"
    /// The `productOrderItem` of a line deducting an agreed credit note (a negative amount).
    public static let creditNoteApplied = "creditnote"

    /// The ids the line's evidence names for `kind`, by `ref` (`report.delivered report=X` gives X).
    public func evidenceRefs(kind: LedgerKind, ref: String) -> [String] {
        let prefix = "\(kind.rawValue) \(ref)="
        return evidence.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// What identifies the charge whatever invoice it is on: its type, the service and the order behind it.
    public var chargeKey: String {
        "\(chargeType.rawValue)|\(product)|\(productOrder)|\(productOrderItem)|\(coverage.cycle)"
    }

    /// The same line with another number, amount or origin.
    public func with(
        id: String? = nil, amount: Money? = nil, unitQuantity: Int? = nil, carriedFrom: String? = nil
    )
        -> InvoiceItem
    {
        InvoiceItem(
            id: id ?? self.id, chargeType: chargeType, product: product, productOrder: productOrder,
            productOrderItem: productOrderItem, description: description, coverage: coverage, unit: unit,
            unitQuantity: unitQuantity ?? self.unitQuantity, unitRate: unitRate, amount: amount ?? self.amount,
            evidence: evidence, carriedFrom: carriedFrom ?? self.carriedFrom)
    }
}

extension InvoiceItem {
    /// The `productOrder` of an SLA credit for a repair outage (ETSI PDL scenarios D and F), which answers no order:
    /// `repair@` and the outage's start in Unix milliseconds.
    public static func repairOutage(from: Instant) -> String { "repair@\(from.milliseconds)" }

    /// The start of the repair outage a credit line is for, when it is one.
    public var repairOutageStart: Instant? {
        guard productOrder.hasPrefix("repair@"), let milliseconds = Int64(productOrder.dropFirst(7)) else { return nil }
        return Instant(milliseconds: milliseconds)
    }
}

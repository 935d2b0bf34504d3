import CanonicalJSON
import Ledger

/// An invoice from a seller to its buyer for one billing period (MEF billing v2 `CustomerBill`, PDL-098, PDL-099):
/// its lines, the amount due, the due date and the contracted payment method (PDL-101).
public struct Invoice: Codable, Sendable, Hashable {
    /// The seller's id for the bill (also its `billNo`).
    public let id: String
    public let seller: PartyID
    public let buyer: PartyID
    public let billDate: Instant
    public let period: BillingPeriod
    public let paymentDueDate: Instant
    public let paymentMethod: PaymentMethod
    public let currency: String
    public let items: [InvoiceItem]
    /// The tax the contract charges on the lines (nil: none configured); absent from the ledger body when nil.
    public let tax: InvoiceTax?

    public init(
        id: String, seller: PartyID, buyer: PartyID, billDate: Instant, period: BillingPeriod,
        paymentDueDate: Instant, paymentMethod: PaymentMethod, currency: String, items: [InvoiceItem],
        tax: InvoiceTax? = nil
    ) {
        self.tax = tax
        self.id = id
        self.seller = seller
        self.buyer = buyer
        self.billDate = billDate
        self.period = period
        self.paymentDueDate = paymentDueDate
        self.paymentMethod = paymentMethod
        self.currency = currency
        self.items = items
    }

    /// The sum of the lines and the tax on them.
    public var amountDue: Money { amountDue(of: Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.amount) })) }

    /// The sum of the lines before tax.
    public var amountBeforeTax: Money { items.map(\.amount).reduce(.zero(currency), +) }

    /// The tax on the whole invoice.
    public var taxAmount: Money { amountDue + amountBeforeTax.negated }

    /// What is due for some of the lines (the agreed ones, by line number, at the amounts given): their sum and the
    /// tax on those that are taxable. A line deducting a credit note is not taxed again: the note's agreed amount
    /// already includes its tax.
    public func amountDue(of lines: [String: Money]) -> Money {
        let zero = Money.zero(currency)
        let taxable = items.filter { lines[$0.id] != nil && $0.productOrderItem != InvoiceItem.creditNoteApplied }
            .compactMap { lines[$0.id] }.reduce(zero, +)
        let sum = lines.values.reduce(zero, +)
        return sum + (tax.map { taxable.scaled(basisPoints: $0.basisPoints) } ?? zero)
    }

    /// The ledger body of an `invoice` entry: the invoice itself, with exact minor units.
    public var ledgerBody: JSONValue { (try? JSONValue(encoding: self)) ?? .null }

    /// The invoice as a MEF Sonata billing v2 `CustomerBill`, its items embedded as `CustomerBillItem`s
    /// (`customerBillItem` holds their refs, as the yaml says; the items follow in `x-customerBillItems`).
    public func customerBill(state: String = "paymentDue") -> JSONValue {
        let zero = Self.money(.zero(currency))
        // MEF Money is positive: credit lines are shown as `credits`, and a credit note owes nothing.
        let credits = items.filter { $0.amount.minorUnits < 0 }.map(\.amount.negated).reduce(.zero(currency), +)
        let due = Money(minorUnits: max(amountDue.minorUnits, 0), currency: currency)
        let beforeTax = Money(minorUnits: max(amountBeforeTax.minorUnits, 0), currency: currency)
        let taxItems: [JSONValue] =
            tax.map { tax in
                [
                    [
                        "taxCategory": .string(tax.category), "taxRate": .number(Double(tax.basisPoints) / 10_000),
                        "taxAmount": Self.money(Money(minorUnits: max(taxAmount.minorUnits, 0), currency: currency)),
                    ]
                ]
            } ?? []
        let bill: [String: JSONValue] = [
            "id": .string(id), "billNo": .string(id), "billDate": .string(billDate.description),
            "billCycle": .string("\(period.cycle + 1)"),
            "billingPeriod": [
                "startDateTime": .string(period.start.description), "endDateTime": .string(period.end.description),
            ],
            "billingAccount": ["id": .string("\(buyer.rawValue)@\(seller.rawValue)")],
            "financialAccount": [
                "id": .string("\(buyer.rawValue)@\(seller.rawValue)"), "name": .string(buyer.rawValue),
            ],
            "category": "normal", "runType": "onCycle", "state": .string(state),
            "amountDue": Self.money(due), "remainingAmount": Self.money(due),
            "taxExcludedAmount": Self.money(beforeTax), "taxIncludedAmount": Self.money(due),
            "taxItem": .array(taxItems),
            "credits": Self.money(credits), "discounts": zero, "fees": zero, "appliedPayment": [],
            "paymentDueDate": .string(paymentDueDate.description), "lastUpdate": .string(billDate.description),
            "billDocument": ["url": .string("invoices/\(id).html")],
            "relatedContactInformation": [
                [
                    "name": .string("\(seller.rawValue) billing"),
                    "emailAddress": .string("billing@\(seller.rawValue.lowercased()).example"),
                    "number": "+44-20-0000-0000", "role": "sellerContactInformation",
                ]
            ],
            "customerBillItem": .array(items.map { ["id": .string("\(id)-\($0.id)")] }),
            "x-customerBillItems": .array(items.map(customerBillItem)),
            "x-paymentMethod": [
                "kind": .string(paymentMethod.kind.rawValue), "asset": .string(paymentMethod.asset),
                "network": paymentMethod.network.map(JSONValue.string) ?? .null,
            ],
        ]
        return .object(bill)
    }

    /// One line as a MEF `CustomerBillItem`.
    public func customerBillItem(_ item: InvoiceItem) -> JSONValue {
        [
            "id": .string("\(id)-\(item.id)"), "customerBillItemType": .string(item.chargeType.rawValue),
            "description": .string(item.description), "productName": .string(item.description),
            "product": ["id": .string(item.product)],
            "productOrderItem": [
                "productOrderId": .string(item.productOrder), "productOrderItemId": .string(item.productOrderItem),
            ],
            "periodCoverage": [
                "startDateTime": .string(item.coverage.start.description),
                "endDateTime": .string(item.coverage.end.description),
            ],
            "unit": .string(item.unit), "unitQuantity": .number(Double(item.unitQuantity)),
            "unitRate": Self.money(item.unitRate),
            "taxExcludedAmount": Self.money(item.amount.minorUnits < 0 ? item.amount.negated : item.amount),
            "appliedFee": [], "appliedTax": [],
            "state": .string((item.amount.minorUnits < 0 ? InvoiceItem.State.credit : .paymentDue).rawValue),
        ]
    }

    /// MEF `Money` (`{unit, value}`); the value is the decimal rendering of the exact minor units.
    static func money(_ amount: Money) -> JSONValue {
        ["unit": .string(amount.currency), "value": .number(Double(amount.minorUnits) / 100)]
    }
}

/// A tax on an invoice's lines (MEF `TaxItem`): its category (`VAT`) and rate in basis points (2,000 = 20 %).
public struct InvoiceTax: Codable, Sendable, Hashable {
    public let category: String
    public let basisPoints: Int64

    public init(category: String, basisPoints: Int64) {
        self.category = category
        self.basisPoints = basisPoints
    }
}

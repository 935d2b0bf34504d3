import CanonicalJSON
import Ledger
import SupplyChain
import Testing

/// The broker's invoices as MEF Sonata billing v2 resources, validated against the SDK's own yaml.
struct BillingSchemaTests {
    static let billingSchema = OrderRouteTests.schema("billingManagement.api")

    static let invoice: Invoice = {
        let start = Instant(milliseconds: 1_767_603_600_000)  // 2026-01-05T09:00:00Z
        let period = BillingPeriod(cycle: 0, start: start, end: start + .days(30))
        return Invoice(
            id: "ACCESS-bill-4", seller: "ACCESS", buyer: "REGIONAL", billDate: period.end, period: period,
            paymentDueDate: period.end + .days(15),
            paymentMethod: PaymentMethod(kind: .stablecoin, asset: "USDC", network: "ethereum"), currency: "EUR",
            items: [
                InvoiceItem(
                    id: "1", chargeType: .recurring, product: "ACCESS-svc-3", productOrder: "REGIONAL-ord-2",
                    productOrderItem: "access", description: "16 of 30 days at 500.00 EUR a month", coverage: period,
                    unit: "day", unitQuantity: 16, unitRate: Money(minorUnits: 50_000),
                    amount: Money(minorUnits: 26_667), evidence: ["order.activated order=REGIONAL-ord-2"]),
                InvoiceItem(
                    id: "2", chargeType: .nonRecurring, product: "ACCESS-svc-3", productOrder: "REGIONAL-chg-ord-9",
                    productOrderItem: "change", description: "change fee", coverage: period, unit: "each",
                    unitQuantity: 1, unitRate: Money(minorUnits: 10_000), amount: Money(minorUnits: 10_000),
                    evidence: []),
            ])
    }()

    @Test("PDL-099 an invoice rendered as a CustomerBill is valid against billingManagement.api.yaml")
    func customerBillValid() throws {
        let bill = Self.invoice.customerBill()
        #expect(Self.billingSchema.validate(bill, against: "CustomerBill") == [])
        // The schema does check: a bill without its required billNo or with an unknown state is refused.
        var broken = bill.objectValue ?? [:]
        broken.removeValue(forKey: "billNo")
        broken["state"] = "overdue"
        #expect(Self.billingSchema.validate(.object(broken), against: "CustomerBill").count == 2)
        // 266.67 + 100.00 = 366.67 EUR due.
        #expect(bill["amountDue"] == ["unit": "EUR", "value": 366.67])
    }

    @Test("PDL-099 each invoice line rendered as a CustomerBillItem is valid against billingManagement.api.yaml")
    func customerBillItemsValid() throws {
        let items = Self.invoice.items.map(Self.invoice.customerBillItem)
        for item in items { #expect(Self.billingSchema.validate(item, against: "CustomerBillItem") == []) }
        #expect(items.map { $0["customerBillItemType"] } == ["recurring", "nonRecurring"])
        #expect(items.map { $0["taxExcludedAmount"]?["value"] } == [266.67, 100.00])
    }

    @Test("PDL-099 a taxed invoice shows its tax as a MEF TaxItem: 20 % VAT on 366.67 is 73.33, 440.00 due")
    func taxedCustomerBill() throws {
        let plain = Self.invoice
        let taxed = Invoice(
            id: plain.id, seller: plain.seller, buyer: plain.buyer, billDate: plain.billDate, period: plain.period,
            paymentDueDate: plain.paymentDueDate, paymentMethod: plain.paymentMethod, currency: plain.currency,
            items: plain.items, tax: InvoiceTax(category: "VAT", basisPoints: 2_000))
        let bill = taxed.customerBill()
        #expect(Self.billingSchema.validate(bill, against: "CustomerBill") == [])
        #expect(bill["taxExcludedAmount"] == ["unit": "EUR", "value": 366.67])
        #expect(bill["taxIncludedAmount"] == ["unit": "EUR", "value": 440.00])
        #expect(bill["amountDue"] == ["unit": "EUR", "value": 440.00])
        #expect(
            bill["taxItem"] == [["taxCategory": "VAT", "taxRate": 0.2, "taxAmount": ["unit": "EUR", "value": 73.33]]])
        // Only the first line agreed: 266.67 and its 53.33 tax.
        #expect(taxed.amountDue(of: ["1": Money(minorUnits: 26_667)]) == Money(minorUnits: 32_000))
    }
}

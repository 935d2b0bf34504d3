import ScenarioModel
import SupplyChain
import Testing

/// The retail buyer's billing decision, shared by the simulator and `broker cluster`: accept as issued, pay the
/// amount due on the due date or late by the contract's delay, nothing for a credit note or without a contract.
struct RetailBillingTests {
    static let start = Instant(milliseconds: 1_767_603_600_000)  // 2026-01-05T09:00:00Z

    static func invoice(amounts: [Int64]) -> Invoice {
        let period = BillingPeriod(cycle: 0, start: start, end: start + .days(30))
        return Invoice(
            id: "RETAIL-bill-6", seller: "RETAIL", buyer: "ENTERPRISE", billDate: period.end, period: period,
            paymentDueDate: period.end + .days(15),
            paymentMethod: PaymentMethod(kind: .fiat, asset: "EUR", network: nil),
            currency: "EUR",
            items: amounts.enumerated().map { index, amount in
                InvoiceItem(
                    id: "\(index + 1)", chargeType: .recurring, product: "RETAIL-svc-1", productOrder: "o",
                    productOrderItem: "i", description: "line", coverage: period, unit: "day", unitQuantity: 30,
                    unitRate: Money(minorUnits: amount), amount: Money(minorUnits: amount), evidence: [])
            })
    }

    @Test(
        "PDL-107 a retail buyer agrees the invoice as issued and pays its amount 10 days after the due date when the contract delays payment"
    )
    func acceptsAndPaysLate() throws {
        let contract = TradingContract(
            seller: "RETAIL", buyer: "ENTERPRISE", anchor: Self.start, paymentDelay: .days(10))
        let billed = Self.start + .days(30)  // 2026-02-04T09:00:00Z
        let answer = try #require(
            RetailBilling.answer(
                Self.invoice(amounts: [38_720, 1_000]), from: "RETAIL", contracts: [contract], now: billed))
        #expect(answer.reconciliation.outcome == .final)
        #expect(answer.reconciliation.agreedItems == ["1", "2"])
        // 387.20 + 10.00 = 397.20 EUR agreed and paid.
        #expect(answer.reconciliation.agreedAmount == Money(minorUnits: 39_720))
        #expect(answer.record.kind == "invoice.final")
        #expect(answer.record.counterparty == "RETAIL")
        let payment = try #require(answer.payment)
        #expect(payment.amount == Money(minorUnits: 39_720))
        // Due 2026-02-19T09:00:00Z (15 days after the bill); paid 10 days later, 2026-03-01T09:00:00Z.
        #expect(payment.dueDate.description == "2026-02-19T09:00:00Z")
        #expect(payment.paidAt.description == "2026-03-01T09:00:00Z")
        #expect(answer.payAt == payment.paidAt)
        #expect(payment.isLate)
        #expect(RetailBilling.record(payment, seller: "RETAIL").kind == "payment")
    }

    @Test("a retail buyer agrees a credit note and pays nothing; without a contract with the seller it does not answer")
    func creditNoteAndNoContract() throws {
        let contract = TradingContract(seller: "RETAIL", buyer: "ENTERPRISE", anchor: Self.start)
        let note = Self.invoice(amounts: [-5_000])
        let answer = try #require(RetailBilling.answer(note, from: "RETAIL", contracts: [contract], now: Self.start))
        #expect(answer.reconciliation.outcome == .final)
        #expect(answer.payment == nil)
        #expect(RetailBilling.answer(note, from: "OTHER", contracts: [contract], now: Self.start) == nil)
    }
}

import CanonicalJSON
import Foundation
import Ledger
import Provider
import RoleTestSupport
import Sonata
import SupplyChain
import Testing

/// The router and money: the S-BUS's billing-cycle timer, invoices to the B-BUS, answers and payments to the S-BUS.
struct BillingRouterTests {
    var entropy = SeededEntropy(seed: 9)

    static func core(_ id: PartyID, sellers: [PartyID] = [], contracts: [TradingContract]) -> ProviderCore {
        var sbus = Make.sbusConfiguration(id, markup: 1_000)
        var bbus = Make.bbusConfiguration(id, sellers: sellers)
        for contract in contracts {
            if contract.seller == id { sbus.contracts[contract.buyer] = contract }
            if contract.buyer == id { bbus.contracts[contract.seller] = contract }
        }
        return ProviderCore(
            configuration: ProviderConfiguration(
                party: id, sbus: sbus, catalog: [Make.entry("UNI", at: ["LON"], cost: 100, lead: 10)], bbus: bbus))
    }

    @Test("PDL-098 PDL-100 the billing-cycle timer reaches the S-BUS, which records and sends the buyer its invoice")
    mutating func cycleTimerInvoices() throws {
        let contract = TradingContract(
            seller: "P", buyer: "B", terms: PaymentTerms(cycleDays: 30, dueDays: 15), anchor: Make.t0)
        var core = Self.core("P", contracts: [contract])
        let payload = Make.poq([("UNI", "LON", nil)], immediate: true)
        _ = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0, entropy: &entropy)
        let items = try #require(core.view.quotedItems("P-quote-1", buyer: "B")).values.sorted { "\($0)" < "\($1)" }
        let order = OrderRequest(
            id: "o1", action: .provide(quoteReference: "P-quote-1", items: items), acceptBy: Make.t0 + .hours(1),
            activateBy: Make.t0 + .days(30), term: nil)
        let accepted = core.handle(.message(from: "B", .order(order)), now: Make.t0, entropy: &entropy)
        let activation = try #require(accepted.timers.first)
        let activated = core.handle(.timer(activation.0), now: activation.1, entropy: &entropy)
        let cycle = try #require(activated.timers.first { $0.0.purpose == .sbus(.billingCycle) })
        #expect(cycle.1 == Make.t0 + .days(30))
        let billed = core.handle(.timer(cycle.0), now: cycle.1, entropy: &entropy)
        #expect(billed.records.map(\.kind) == ["invoice"])
        #expect(billed.records.map(\.counterparty) == ["B"])
        guard case .invoice(let invoice)? = billed.sent.first?.message else {
            Issue.record("no invoice sent")
            return
        }
        // 100.00 × 1.10 = 110.00 a month, active from day 10: 20 days, 110.00 × 20/30 = 73.33.
        #expect(invoice.amountDue == Money(minorUnits: 7_333))
        #expect(billed.timers.map(\.1) == [Make.t0 + .days(60)])
        // The buyer's answer and payment go to the S-BUS, which records nothing of its own for them.
        let final = Reconciliation(
            invoiceID: invoice.id, outcome: .final, agreedItems: ["1"], agreedAmount: invoice.amountDue, disputed: [],
            at: cycle.1)
        #expect(core.handle(.message(from: "B", .reconciliation(final)), now: cycle.1, entropy: &entropy).isEmpty)
        let payment = Payment(
            invoiceID: invoice.id, amount: invoice.amountDue, method: contract.paymentMethod,
            dueDate: invoice.paymentDueDate, paidAt: invoice.paymentDueDate)
        #expect(core.handle(.message(from: "B", .payment(payment)), now: cycle.1, entropy: &entropy).isEmpty)
    }

    @Test("PDL-103 an invoice from a seller reaches the B-BUS: a line for nothing it bought is disputed on that ledger")
    mutating func invoiceToBBUS() throws {
        let contract = TradingContract(
            seller: "S", buyer: "P", terms: PaymentTerms(cycleDays: 30, dueDays: 15), anchor: Make.t0)
        var core = Self.core("P", sellers: ["S"], contracts: [contract])
        let period = contract.period(0)
        let invoice = Invoice(
            id: "S-bill-1", seller: "S", buyer: "P", billDate: period.end, period: period,
            paymentDueDate: period.end + .days(15), paymentMethod: contract.paymentMethod, currency: "EUR",
            items: [
                InvoiceItem(
                    id: "1", chargeType: .recurring, product: "S-svc-1", productOrder: "P-ord-404",
                    productOrderItem: "item-1", description: "never ordered", coverage: period, unit: "day",
                    unitQuantity: 30, unitRate: Money(amount: 80), amount: Money(amount: 80), evidence: [])
            ])
        let answered = core.handle(.message(from: "S", .invoice(invoice)), now: period.end, entropy: &entropy)
        #expect(answered.records.map(\.kind) == ["invoice.dispute"])
        #expect(answered.records.map(\.counterparty) == ["S"])
        let (timer, due) = try #require(answered.timers.first)
        #expect(timer.purpose == .bbus(.paymentDue(invoiceID: "S-bill-1")) && due == period.end + .days(15))
        // Nothing agreed: the payment timer pays nothing.
        #expect(core.handle(.timer(timer), now: due, entropy: &entropy).isEmpty)
    }
}

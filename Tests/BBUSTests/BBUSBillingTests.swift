import BBUS
import CanonicalJSON
import Ledger
import RoleTestSupport
import Sonata
import SupplyChain
import Testing

/// The B-BUS's side of billing driven directly: it orders an element from seller S1 at 550.00 a month, hears it
/// activated 13.5 days into the first 30-day cycle, then reconciles S1's invoices against its own estimate
/// (PDL-103..PDL-106), pays them (PDL-107..PDL-109) and nets (PDL-110). Every amount is worked by hand.
struct BBUSBillingTests {
    static func contract(
        method: PaymentMethod? = nil, netting: Bool = false, delay: TimeSpan = .zero
    ) -> TradingContract {
        TradingContract(
            seller: "S1", buyer: "P", terms: PaymentTerms(cycleDays: 30, dueDays: 15), paymentMethod: method,
            disputeThreshold: DisputeThreshold(absoluteMinorUnits: 100, relativeBasisPoints: 100), netting: netting,
            anchor: Make.t0, paymentDelay: delay)
    }

    var bbus: BBUS
    var ids = IDSequence(party: "P")
    var subOrder: RequestID = ""

    init(contract: TradingContract) throws {
        var configuration = Make.bbusConfiguration("P", sellers: ["S1"])
        configuration.contracts = ["S1": contract]
        bbus = BBUS(party: "P", configuration: configuration)
        var entropy = SeededEntropy(seed: 1)
        let placement = SubOrderPlacement(
            order: OrderKey(buyer: "B", orderID: "o1"), itemID: "item-1", item: ["id": "item-1"], seller: "S1",
            quoteReference: "S1-quote-7", acceptBy: Make.t0 + .hours(1), activateBy: Make.t0 + .days(30), term: nil,
            price: Money(amount: 550))
        let placed = bbus.handle(.placeSubOrder(placement), now: Make.t0, ids: &ids, entropy: &entropy)
        subOrder = RequestID(try #require(placed.records.first?.refs["order"]))
        let activated = OrderNotice(
            orderID: subOrder, sellerOrderReference: "S1-order-2", event: .activated(serviceID: "S1-svc-4"),
            at: Make.t0 + .hours(324))
        _ = bbus.receive(activated, from: "S1")
    }

    init() throws { try self.init(contract: Self.contract()) }

    /// S1's first invoice: the service's 17 days (day 13.5 to 30, a started day counting) at `amounts[0]`, and any
    /// further lines as change fees on orders given in `changeOrders`.
    func invoice(_ amounts: [Int64], changeOrders: [String] = []) -> Invoice {
        let period = Self.contract().period(0)
        var items = [
            InvoiceItem(
                id: "1", chargeType: .recurring, product: "S1-svc-4", productOrder: subOrder.rawValue,
                productOrderItem: "item-1", description: "line", coverage: period, unit: "day", unitQuantity: 17,
                unitRate: Money(amount: 550), amount: Money(minorUnits: amounts[0]), evidence: [])
        ]
        for (index, order) in changeOrders.enumerated() {
            items.append(
                InvoiceItem(
                    id: "\(index + 2)", chargeType: .nonRecurring, product: "S1-svc-4", productOrder: order,
                    productOrderItem: "change", description: "change fee", coverage: period, unit: "each",
                    unitQuantity: 1, unitRate: Money(minorUnits: amounts[index + 1]),
                    amount: Money(minorUnits: amounts[index + 1]), evidence: []))
        }
        return Invoice(
            id: "S1-bill-8", seller: "S1", buyer: "P", billDate: Make.t0 + .days(30), period: period,
            paymentDueDate: Make.t0 + .days(45), paymentMethod: Self.contract().paymentMethod, currency: "EUR",
            items: items)
    }

    func answer(_ steps: [RoleStep]) throws -> Reconciliation {
        try #require(steps.records.first).body.decode(Reconciliation.self)
    }

    @Test("PDL-104 an invoice matching the buyer's own estimate is final: invoice.final on the seller's ledger")
    mutating func matchingInvoiceIsFinal() throws {
        // The buyer's estimate: 550.00 × 17/30 = 311.666… → 311.67.
        let steps = bbus.receive(invoice([31_167]), from: "S1", now: Make.t0 + .days(30))
        let record = try #require(steps.records.first)
        #expect(
            record.counterparty == "S1" && record.kind == "invoice.final" && record.refs == ["invoice": "S1-bill-8"])
        let final = try answer(steps)
        #expect(final.outcome == .final && final.agreedAmount == Money(minorUnits: 31_167) && final.disputed.isEmpty)
        #expect(steps.effects.sent.map(\.to) == ["S1"])
        // The payment is planned for the due date, 15 days after the bill.
        #expect(steps.effects.timers.map(\.1) == [Make.t0 + .days(45)])
    }

    @Test(
        "PDL-103 decision 13: a line is disputed only when it differs by more than max(1.00, 1 % of the estimate)",
        arguments: [
            (Int64(31_479), Reconciliation.Outcome.final), (31_480, .dispute), (30_855, .final), (30_854, .dispute),
        ]
    )
    func thresholdDecides(invoiced: Int64, outcome: Reconciliation.Outcome) throws {
        var billing = try BBUSBillingTests()
        // 1 % of 311.67 = 3.1167 → 3.12, more than the absolute 1.00: lines from 308.55 to 314.79 are accepted.
        let steps = billing.bbus.receive(billing.invoice([invoiced]), from: "S1", now: Make.t0 + .days(30))
        #expect(try answer(steps).outcome == outcome)
    }

    @Test("PDL-103 PDL-105 the right line is agreed and the wrong one disputed: the partial invoice is recorded")
    mutating func partialReconciliation() throws {
        // Line 2 charges a change the buyer never ordered: its estimate is 0.00.
        let steps = bbus.receive(invoice([31_167, 5_000], changeOrders: ["P-chg-ord-99"]), from: "S1", now: Make.t0)
        #expect(steps.records.map(\.kind) == ["invoice.partial"])
        let partial = try answer(steps)
        #expect(partial.agreedItems == ["1"] && partial.agreedAmount == Money(minorUnits: 31_167))
        #expect(partial.disputed.map(\.itemID) == ["2"])
        #expect(partial.disputed.map(\.estimate) == [Money(minorUnits: 0)])
        #expect(partial.disputed.map(\.invoiced) == [Money(minorUnits: 5_000)])
    }

    @Test("PDL-103 PDL-104 once the seller corrects the disputed line, the invoice is final at the corrected total")
    mutating func correctedThenFinal() throws {
        // Overcharged by 10 %: 342.84 against the estimate 311.67.
        let disputed = bbus.receive(invoice([34_284]), from: "S1", now: Make.t0 + .days(30))
        #expect(try answer(disputed).outcome == .dispute)
        let resolution = DisputeResolution(
            invoiceID: "S1-bill-8",
            lines: [.init(itemID: "1", chargeKey: "k", recomputed: Money(minorUnits: 31_167), corrected: true)],
            at: Make.t0 + .days(30))
        let steps = bbus.receive(resolution, from: "S1", now: Make.t0 + .days(30))
        #expect(steps.records.map(\.kind) == ["invoice.final"])
        #expect(try answer(steps).agreedAmount == Money(minorUnits: 31_167))
    }

    @Test("PDL-106 a line the seller upholds stays open: no final invoice, and only the agreed lines are paid")
    mutating func upheldLineStaysOpen() throws {
        _ = bbus.receive(invoice([31_167, 5_000], changeOrders: ["P-chg-ord-99"]), from: "S1", now: Make.t0)
        let upheld = DisputeResolution(
            invoiceID: "S1-bill-8",
            lines: [.init(itemID: "2", chargeKey: "k", recomputed: Money(minorUnits: 5_000), corrected: false)],
            at: Make.t0 + .days(30))
        #expect(bbus.receive(upheld, from: "S1", now: Make.t0 + .days(30)).isEmpty)
        let paid = bbus.fire(
            .paymentDue(invoiceID: "S1-bill-8"), key: RequestKey(buyer: "S1", requestID: "S1-bill-8"),
            now: Make.t0 + .days(45))
        #expect(try #require(paid.records.first).body.decode(Payment.self).amount == Money(minorUnits: 31_167))
    }

    @Test(
        "PDL-103 PDL-106 a line carried open is agreed on the next invoice when the parties settled it for the seller")
    func carriedLineSettledManually() throws {
        func answer(to manual: TradingContract.ManualResolution?) throws -> Reconciliation {
            let contract = TradingContract(
                seller: "S1", buyer: "P", terms: PaymentTerms(cycleDays: 30, dueDays: 15),
                disputeThreshold: DisputeThreshold(absoluteMinorUnits: 100, relativeBasisPoints: 100),
                anchor: Make.t0, manualResolution: manual)
            var billing = try BBUSBillingTests(contract: contract)
            // The first cycle's line, upheld at 320.00 although P's records give 311.67, carried to the next invoice.
            let carried = billing.invoice([32_000]).items[0].with(carriedFrom: "S1-bill-2")
            let later = Invoice(
                id: "S1-bill-9", seller: "S1", buyer: "P", billDate: Make.t0 + .days(60), period: contract.period(1),
                paymentDueDate: Make.t0 + .days(75), paymentMethod: contract.paymentMethod, currency: "EUR",
                items: [carried])
            let steps = billing.bbus.receive(later, from: "S1", now: Make.t0 + .days(60))
            return try #require(steps.records.first).body.decode(Reconciliation.self)
        }
        let settled = try answer(to: .seller)
        #expect(settled.outcome == .final && settled.agreedAmount == Money(minorUnits: 32_000))
        // Without a manual resolution the buyer disputes it again: |320.00 − 311.67| = 8.33 > 3.12.
        #expect(try answer(to: nil).outcome == .dispute)
    }

    @Test("PDL-107 PDL-108 PDL-109 the agreed amount is paid on the due date in the contracted stablecoin")
    func paidOnTermsInContractedMethod() throws {
        let usdc = PaymentMethod(kind: .stablecoin, asset: "USDC", network: "ethereum")
        var billing = try BBUSBillingTests(contract: Self.contract(method: usdc))
        let answered = billing.bbus.receive(billing.invoice([31_167]), from: "S1", now: Make.t0 + .days(30))
        let (timer, due) = try #require(answered.effects.timers.first)
        #expect(due == Make.t0 + .days(45))
        guard case .bbus(let purpose) = timer.purpose else { return }
        let steps = billing.bbus.fire(
            purpose, key: RequestKey(buyer: timer.buyer, requestID: timer.requestID), now: due)
        let record = try #require(steps.records.first)
        #expect(record.kind == "payment" && record.counterparty == "S1" && record.refs == ["invoice": "S1-bill-8"])
        let payment = try record.body.decode(Payment.self)
        #expect(payment.amount == Money(minorUnits: 31_167))
        #expect(payment.method == usdc)
        #expect(payment.dueDate == Make.t0 + .days(45) && payment.paidAt == Make.t0 + .days(45))
        #expect(record.body["late"] == false)
        // Paid once: the timer firing again pays nothing.
        #expect(billing.bbus.fire(purpose, key: RequestKey(buyer: "S1", requestID: "S1-bill-8"), now: due).isEmpty)
    }

    @Test("PDL-109 a payment made after the due date is recorded as late, with the days late")
    func latePaymentVisible() throws {
        var billing = try BBUSBillingTests(contract: Self.contract(delay: .days(10)))
        let answered = billing.bbus.receive(billing.invoice([31_167]), from: "S1", now: Make.t0 + .days(30))
        // Due on day 45; this buyer pays 10 days late, on day 55.
        #expect(answered.effects.timers.map(\.1) == [Make.t0 + .days(55)])
        let steps = billing.bbus.fire(
            .paymentDue(invoiceID: "S1-bill-8"), key: RequestKey(buyer: "S1", requestID: "S1-bill-8"),
            now: Make.t0 + .days(55))
        let record = try #require(steps.records.first)
        #expect(record.body["late"] == true)
        #expect(record.body["daysLate"] == 10)
    }

    @Test("PDL-110 netting: the larger debtor records the statement on the ledger and pays only the net")
    func nettingLargerDebtorPaysNet() throws {
        var billing = try BBUSBillingTests(contract: Self.contract(netting: true))
        // P invoiced S1 200.00 for the same cycle, final; S1 invoices P 311.67: P owes 311.67 − 200.00 = 111.67.
        _ = billing.bbus.handle(
            .receivableFinal(buyer: "S1", invoiceID: "P-bill-3", cycle: 0, amount: Money(minorUnits: 20_000)))
        _ = billing.bbus.receive(billing.invoice([31_167]), from: "S1", now: Make.t0 + .days(30))
        let steps = billing.bbus.fire(
            .paymentDue(invoiceID: "S1-bill-8"), key: RequestKey(buyer: "S1", requestID: "S1-bill-8"),
            now: Make.t0 + .days(45))
        #expect(steps.records.map(\.kind) == ["netting", "payment"])
        let statement = try steps.records[0].body.decode(NettingStatement.self)
        #expect(statement.payer == "P" && statement.payee == "S1")
        #expect(statement.net == Money(minorUnits: 11_167))
        #expect(steps.records[0].refs == ["invoice": "S1-bill-8", "netted": "P-bill-3"])
        #expect(try steps.records[1].body.decode(Payment.self).amount == Money(minorUnits: 11_167))
    }

    @Test("PDL-110 netting: the smaller debtor pays nothing for its invoice; the other party records and pays the net")
    func nettingSmallerDebtorPaysNothing() throws {
        var billing = try BBUSBillingTests(contract: Self.contract(netting: true))
        // P is owed 400.00 and owes 311.67: S1 is the larger debtor.
        _ = billing.bbus.handle(
            .receivableFinal(buyer: "S1", invoiceID: "P-bill-3", cycle: 0, amount: Money(minorUnits: 40_000)))
        _ = billing.bbus.receive(billing.invoice([31_167]), from: "S1", now: Make.t0 + .days(30))
        let steps = billing.bbus.fire(
            .paymentDue(invoiceID: "S1-bill-8"), key: RequestKey(buyer: "S1", requestID: "S1-bill-8"),
            now: Make.t0 + .days(45))
        #expect(steps.isEmpty)
    }
}

/// SLA credits and credit notes at the B-BUS: it estimates an outage credit from the seller's own outage notice, and
/// a credit note's deduction from its own agreement of that note.
struct BBUSCreditTests {
    /// BBUSBillingTests' buyer with a 2 % an hour SLA credit, after S1 moved its part with a 5 h 10 min outage on day 40.
    static func withOutage() throws -> (billing: BBUSBillingTests, changeOrder: RequestID) {
        let contract = TradingContract(
            seller: "S1", buyer: "P", terms: PaymentTerms(cycleDays: 30, dueDays: 15),
            disputeThreshold: DisputeThreshold(absoluteMinorUnits: 100, relativeBasisPoints: 100), anchor: Make.t0,
            slaCreditBasisPointsPerHour: 200)
        var billing = try BBUSBillingTests(contract: contract)
        var ids = IDSequence(party: "P")
        var entropy = SeededEntropy(seed: 2)
        let change = SubOrderChange(
            order: OrderKey(buyer: "B", orderID: "c1"), itemID: "item-1", seller: "S1", sellerServiceID: "S1-svc-4",
            change: ServiceChange(place: "LON-2"), acceptBy: Make.t0 + .days(40), activateBy: Make.t0 + .days(41))
        let placed = billing.bbus.handle(.placeChange(change), now: Make.t0 + .days(40), ids: &ids, entropy: &entropy)
        let changeOrder = RequestID(try #require(placed.records.first?.refs["order"]))
        for (event, at) in [
            (
                OrderEvent.outageScheduled(from: Make.t0 + .days(40), duration: .hours(5) + .minutes(10)),
                Make.t0 + .days(40)
            ),
            (.changed(serviceID: "S1-svc-4"), Make.t0 + .days(40) + .hours(6)),
        ] {
            _ = billing.bbus.receive(
                OrderNotice(orderID: changeOrder, sellerOrderReference: "S1-chg-3", event: event, at: at), from: "S1")
        }
        return (billing, changeOrder)
    }

    static func document(_ id: String, cycle: Int, items: [InvoiceItem]) -> Invoice {
        let period = BBUSBillingTests.contract().period(cycle)
        return Invoice(
            id: id, seller: "S1", buyer: "P", billDate: period.end, period: period,
            paymentDueDate: period.end + .days(15), paymentMethod: BBUSBillingTests.contract().paymentMethod,
            currency: "EUR", items: items)
    }

    static func outageLine(_ order: RequestID, hours: Int, amount: Int64) -> InvoiceItem {
        InvoiceItem(
            id: "1", chargeType: .nonRecurring, product: "S1-svc-4", productOrder: order.rawValue,
            productOrderItem: InvoiceItem.outageCredit, description: "SLA credit",
            coverage: BBUSBillingTests.contract().period(1), unit: "hour", unitQuantity: hours,
            unitRate: Money(minorUnits: 1_100), amount: Money(minorUnits: amount), evidence: [])
    }

    @Test("the buyer estimates an outage credit from the seller's outage notice: 6 hours at 2 % of 550.00")
    func outageCreditEstimated() throws {
        var (billing, changeOrder) = try Self.withOutage()
        // 5 h 10 min → 6 started hours × 11.00 (2 % of 550.00) = 66.00 credited.
        let right = Self.document(
            "S1-bill-9", cycle: 1, items: [Self.outageLine(changeOrder, hours: 6, amount: -6_600)])
        let answer = try #require(billing.bbus.receive(right, from: "S1", now: Make.t0 + .days(60)).records.first)
        #expect(try answer.body.decode(Reconciliation.self).outcome == .final)
        // A credit cut to 4 hours (44.00) is disputed: |−44.00 − (−66.00)| = 22.00 > max(1.00, 0.66).
        var (other, otherChange) = try Self.withOutage()
        let short = Self.document(
            "S1-bill-9", cycle: 1, items: [Self.outageLine(otherChange, hours: 4, amount: -4_400)])
        let disputed = try #require(other.bbus.receive(short, from: "S1", now: Make.t0 + .days(60)).records.first)
        #expect(try disputed.body.decode(Reconciliation.self).outcome == .dispute)
    }

    @Test("a credit note is agreed and not paid; its deduction on the next invoice is agreed against the note")
    func creditNoteAgreedThenDeducted() throws {
        var (billing, changeOrder) = try Self.withOutage()
        // 6 hours at 11.00 = 66.00 credited against no charge: a credit note of −66.00.
        let note = Self.document("S1-cn-5", cycle: 1, items: [Self.outageLine(changeOrder, hours: 6, amount: -6_600)])
        let answered = billing.bbus.receive(note, from: "S1", now: Make.t0 + .days(60))
        #expect(try #require(answered.records.first).body.decode(Reconciliation.self).agreedAmount.minorUnits == -6_600)
        let due = try #require(answered.effects.timers.first)
        guard case .bbus(let timer) = due.0.purpose else { return }
        #expect(billing.bbus.fire(timer, key: RequestKey(buyer: "S1", requestID: "S1-cn-5"), now: due.1).isEmpty)
        let deduction = InvoiceItem(
            id: "1", chargeType: .nonRecurring, product: "S1-cn-5", productOrder: "S1-cn-5",
            productOrderItem: InvoiceItem.creditNoteApplied, description: "credit note deducted",
            coverage: BBUSBillingTests.contract().period(2), unit: "each", unitQuantity: 1,
            unitRate: Money(minorUnits: 6_600), amount: Money(minorUnits: -6_600), evidence: [])
        let next = Self.document("S1-bill-12", cycle: 2, items: [deduction])
        let answer = try #require(billing.bbus.receive(next, from: "S1", now: Make.t0 + .days(90)).records.first)
        #expect(try answer.body.decode(Reconciliation.self).outcome == .final)
    }
}

/// Usage at the B-BUS: it estimates a usage line from the reports it received itself, never from the seller's word.
struct BBUSUsageTests {
    /// BBUSBillingTests' buyer under a contract at 0.02 a gigabyte, after S1's daily reports on S1-svc-4 for days 14,
    /// 15 and 16 of the first cycle with 40,000, 38,333 and 31,666 MB of traffic.
    static func withReports() throws -> BBUSBillingTests {
        let contract = TradingContract(
            seller: "S1", buyer: "P", terms: PaymentTerms(cycleDays: 30, dueDays: 15),
            disputeThreshold: DisputeThreshold(absoluteMinorUnits: 0, relativeBasisPoints: 0), anchor: Make.t0,
            usageRate: Money(minorUnits: 2))
        var billing = try BBUSBillingTests(contract: contract)
        for (day, megabytes) in [(14, Int64(40_000)), (15, 38_333), (16, 31_666)] {
            let report = PerformanceReport(
                serviceID: "S1-svc-4", reportID: "S1-svc-4@d\(day)", from: Make.t0 + .days(Int64(day)),
                to: Make.t0 + .days(Int64(day + 1)), scheduled: true,
                elements: [
                    ElementPerformance(
                        itemID: "a", source: "internal", measured: nil, objectives: nil, usageMB: megabytes)
                ])
            _ = billing.bbus.receive(report, from: "S1")
        }
        return billing
    }

    static func usageLine(_ reports: [String], gigabytes: Int, amount: Int64) -> InvoiceItem {
        InvoiceItem(
            id: "1", chargeType: .usageBased, product: "S1-svc-4", productOrder: "o",
            productOrderItem: InvoiceItem.usage,
            description: "usage", coverage: BBUSBillingTests.contract().period(0), unit: "GB", unitQuantity: gigabytes,
            unitRate: Money(minorUnits: 2), amount: Money(minorUnits: amount),
            evidence: reports.map { "report.delivered report=\($0)" })
    }

    @Test("a usage line at the contracted rate over the reports received is final: 109,999 MB is 110 GB, 2.20")
    func usageLineAgreed() throws {
        var billing = try Self.withReports()
        // 40,000 + 38,333 + 31,666 = 109,999 MB: 110 started GB × 0.02 = 2.20.
        let line = Self.usageLine(["S1-svc-4@d14", "S1-svc-4@d15", "S1-svc-4@d16"], gigabytes: 110, amount: 220)
        let bill = BBUSCreditTests.document("S1-bill-8", cycle: 0, items: [line])
        let answer = try #require(billing.bbus.receive(bill, from: "S1", now: Make.t0 + .days(30)).records.first)
        let reconciliation = try answer.body.decode(Reconciliation.self)
        #expect(reconciliation.outcome == .final && reconciliation.agreedAmount == Money(minorUnits: 220))
    }

    @Test(
        "a usage line citing a report twice, one never received or one already charged is disputed at the buyer's figure"
    )
    func inflatedUsageDisputed() throws {
        var billing = try Self.withReports()
        // Day 14 cited twice and an unknown day 20: the buyer counts days 14 and 15 once each, 78,333 MB: 79 GB, 1.58.
        let line = Self.usageLine(
            ["S1-svc-4@d14", "S1-svc-4@d14", "S1-svc-4@d15", "S1-svc-4@d20"], gigabytes: 159, amount: 318)
        let bill = BBUSCreditTests.document("S1-bill-8", cycle: 0, items: [line])
        let answer = try #require(billing.bbus.receive(bill, from: "S1", now: Make.t0 + .days(30)).records.first)
        let reconciliation = try answer.body.decode(Reconciliation.self)
        #expect(reconciliation.outcome == .dispute)
        #expect(reconciliation.disputed.map(\.estimate) == [Money(minorUnits: 158)])
        // A later invoice charging day 16 again after the first agreed it: only what was not yet charged counts.
        var other = try Self.withReports()
        let first = BBUSCreditTests.document(
            "S1-bill-8", cycle: 0, items: [Self.usageLine(["S1-svc-4@d16"], gigabytes: 32, amount: 64)])
        _ = other.bbus.receive(first, from: "S1", now: Make.t0 + .days(30))
        let again = BBUSCreditTests.document(
            "S1-bill-9", cycle: 0, items: [Self.usageLine(["S1-svc-4@d16"], gigabytes: 32, amount: 64)])
        let second = try #require(other.bbus.receive(again, from: "S1", now: Make.t0 + .days(31)).records.first)
        #expect(try second.body.decode(Reconciliation.self).disputed.map(\.estimate) == [Money(minorUnits: 0)])
    }
}

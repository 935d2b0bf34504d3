import CanonicalJSON
import Ledger
import RoleTestSupport
import Sonata
import SupplyChain
import Testing

@testable import SBUS

/// The S-BUS's billing driven directly: a quote and an order through its own flow, the SCO's order events, then the
/// billing-cycle timer (PDL-097..PDL-101) and the buyer's answers (PDL-103, PDL-106). Every amount is worked by hand.
struct SBUSBillingTests {
    static let contract = TradingContract(
        seller: "P", buyer: "B", terms: PaymentTerms(cycleDays: 30, dueDays: 15), anchor: Make.t0)
    var sbus: SBUS
    var ids = IDSequence(party: "P")
    let payload = Make.poq([("UNI", "LON", 1000), ("EVC", nil, 1000)])

    init(overcharge: Int64 = 0, contract: TradingContract = Self.contract) {
        var configuration = Make.sbusConfiguration("P", markup: 1_000)
        configuration.contracts = ["B": contract]
        configuration.overchargeBasisPoints = overcharge
        sbus = SBUS(party: "P", configuration: configuration)
    }

    init() { self.init(overcharge: 0) }

    /// Quotes B both items (the UNI from the SOF at a cost of 500.00, the EVC from seller S at 200.00; 10 % markup
    /// makes 550.00 and 220.00 a month), orders them as o1 and activates the service 13.5 days after t0.
    mutating func activate(at activation: Instant = Make.t0 + .hours(324)) throws -> OrderKey {
        let steps = sbus.receive(Make.request("r1", payload: payload), from: "B", now: Make.t0, ids: &ids)
        guard case .qualify(let request) = try #require(steps.sbusToSCO.first) else {
            Issue.record("the S-BUS did not hand the request to the SCO")
            return OrderKey(buyer: "B", orderID: "o1")
        }
        func offer(_ cost: Double) -> ElementOffer {
            ElementOffer(
                confidence: .green, confidenceReason: "on-net", installationInterval: .days(10), deliveryType: .onNet,
                price: Money(amount: cost), validUntil: nil)
        }
        let answered = sbus.handle(
            .qualified(
                key: request.key,
                outcomes: [
                    .sourced(itemID: "item-1", best: Candidate(source: .internal, offer: offer(500)), others: []),
                    .sourced(
                        itemID: "item-2",
                        best: Candidate(
                            source: .seller("S", requestID: "P-rq-2", sellerReference: "S-quote-1"), offer: offer(200)),
                        others: []),
                ]), now: Make.t0)
        let quote = try #require(answered.effects.finalResponse).sellerReference
        let order = OrderRequest(
            id: "o1",
            action: .provide(
                quoteReference: quote, items: payload["productOfferingQualificationItem"]?.arrayValue ?? []),
            acceptBy: Make.t0 + .hours(2), activateBy: Make.t0 + .days(30), term: nil)
        let placed = sbus.receive(order, from: "B", now: Make.t0 + .minutes(5), ids: &ids)
        #expect(placed.sbusToSCO.count == 1)
        let key = OrderKey(buyer: "B", orderID: "o1")
        let activated = sbus.handle(
            .orderEvent(key, reference: "P-order-3", .activated(serviceID: "P-svc-9"), evidence: nil), now: activation)
        // The first service starts the cycle: its timer is set for the end of the first 30-day cycle.
        #expect(activated.effects.timers.map(\.1) == [Make.t0 + .days(30)])
        return key
    }

    /// Ends the billing cycle at `now` and returns the invoice issued, if any.
    mutating func closeCycle(at now: Instant) -> (invoice: Invoice?, effects: [Effect]) {
        let effects = sbus.fire(.billingCycle, buyer: "B", id: "B", now: now, ids: &ids).effects
        let invoice = effects.sent.compactMap { sent -> Invoice? in
            if case .invoice(let invoice) = sent.message { invoice } else { nil }
        }.first
        return (invoice, effects)
    }

    @Test("PDL-097 PDL-098 the first cycle rates each item at the buyer's contracted price, pro-rated by day")
    mutating func firstCycleProRated() throws {
        _ = try activate()
        let (invoice, effects) = closeCycle(at: Make.t0 + .days(30))
        let bill = try #require(invoice)
        // Active from day 13.5 to day 30 of the cycle: 16.5 days, a started day counts, so 17 days.
        // 550.00 × 17/30 = 311.666… → 311.67; 220.00 × 17/30 = 124.666… → 124.67; total 436.34.
        #expect(bill.items.map(\.unitQuantity) == [17, 17])
        #expect(bill.items.map(\.unitRate) == [Money(minorUnits: 55_000), Money(minorUnits: 22_000)])
        #expect(bill.items.map(\.amount) == [Money(minorUnits: 31_167), Money(minorUnits: 12_467)])
        #expect(bill.items.map(\.chargeType) == [.recurring, .recurring])
        #expect(bill.items.map(\.product) == ["P-svc-9", "P-svc-9"])
        #expect(bill.amountDue == Money(minorUnits: 43_634))
        // One invoice for the cycle, dated its end, due 15 days later ("30x15").
        #expect(bill.period.start == Make.t0 && bill.period.end == Make.t0 + .days(30))
        #expect(bill.billDate == Make.t0 + .days(30))
        #expect(bill.paymentDueDate == Make.t0 + .days(45))
        #expect(effects.timers.map(\.1) == [Make.t0 + .days(60)])
    }

    @Test("PDL-098 a later cycle bills the full month and the change fee, marked up, as a one-off line")
    mutating func changeFeeInSecondCycle() throws {
        let key = try activate()
        _ = closeCycle(at: Make.t0 + .days(30))
        let change = OrderKey(buyer: "B", orderID: "c1")
        _ = sbus.handle(
            .changeCost(change, reference: "P-chg-7", cost: Money(amount: 100), outage: .zero), now: Make.t0)
        _ = sbus.handle(
            .orderEvent(change, reference: "P-chg-7", .changed(serviceID: "P-svc-9"), evidence: nil),
            now: Make.t0 + .days(40))
        let bill = try #require(closeCycle(at: Make.t0 + .days(60)).invoice)
        // 550.00 + 220.00 for 30 of 30 days, then the change fee 100.00 × 1.10 = 110.00: 880.00.
        #expect(bill.items.map(\.amount.minorUnits) == [55_000, 22_000, 11_000])
        #expect(bill.items.map(\.chargeType) == [.recurring, .recurring, .nonRecurring])
        #expect(bill.items[2].productOrder == "c1")
        #expect(bill.amountDue == Money(minorUnits: 88_000))
        #expect(key.orderID == "o1")
    }

    @Test("PDL-098 a service disconnected mid-cycle is billed to the day it ended, and billing then stops")
    mutating func disconnectionEndsBilling() throws {
        let key = try activate()
        _ = closeCycle(at: Make.t0 + .days(30))
        _ = sbus.handle(
            .orderEvent(key, reference: "P-svc-9-term-2", .disconnected(serviceID: "P-svc-9"), evidence: nil),
            now: Make.t0 + .days(45) + .hours(5))
        let (invoice, effects) = closeCycle(at: Make.t0 + .days(60))
        // Days 30 to 45 + 5 h: 15.2 days → 16 days. 550 × 16/30 = 293.33; 220 × 16/30 = 117.33.
        #expect(try #require(invoice).items.map(\.amount.minorUnits) == [29_333, 11_733])
        #expect(effects.timers.isEmpty)
    }

    @Test("PDL-100 the invoice is recorded on the ledger with the buyer (UBL) and sent to the buyer")
    mutating func recordedOnUBLAndSent() throws {
        _ = try activate()
        let (invoice, effects) = closeCycle(at: Make.t0 + .days(30))
        let bill = try #require(invoice)
        let record = try #require(effects.records.first)
        #expect(record.counterparty == "B")
        #expect(record.kind == "invoice")
        #expect(record.refs == ["invoice": bill.id])
        #expect(try record.body.decode(Invoice.self) == bill)
        #expect(effects.sent.map(\.to) == ["B"])
    }

    @Test("PDL-099 the invoice as a MEF billing v2 CustomerBill has every field the yaml requires, amounts exact")
    mutating func customerBillShape() throws {
        _ = try activate()
        let bill = try #require(closeCycle(at: Make.t0 + .days(30)).invoice)
        let json = bill.customerBill()
        // The `required` lists of CustomerBill and CustomerBillItem in billingManagement.api.yaml.
        let billRequired = [
            "amountDue", "appliedPayment", "billCycle", "billDate", "billDocument", "billNo", "billingAccount",
            "billingPeriod", "category", "credits", "customerBillItem", "discounts", "fees", "financialAccount", "id",
            "lastUpdate", "paymentDueDate", "relatedContactInformation", "remainingAmount", "runType", "state",
            "taxExcludedAmount", "taxIncludedAmount", "taxItem",
        ]
        let itemRequired = [
            "id", "appliedFee", "appliedTax", "customerBillItemType", "description", "periodCoverage", "product",
            "productName", "productOrderItem", "state", "taxExcludedAmount", "unit", "unitQuantity", "unitRate",
        ]
        let object = try #require(json.objectValue)
        #expect(billRequired.filter { object[$0] == nil } == [])
        let items = try #require(json["x-customerBillItems"]?.arrayValue)
        #expect(items.count == 2)
        for item in items { #expect(itemRequired.filter { item.objectValue?[$0] == nil } == []) }
        // Enumerations of the yaml.
        #expect(["normal", "duplicate", "trial"].contains(json["category"]?.stringValue ?? ""))
        #expect(["onCycle", "offCycle"].contains(json["runType"]?.stringValue ?? ""))
        #expect(["generated", "paymentDue", "settled"].contains(json["state"]?.stringValue ?? ""))
        #expect(items.map { $0["customerBillItemType"]?.stringValue } == ["recurring", "recurring"])
        // 311.67 + 124.67 = 436.34 EUR.
        #expect(json["amountDue"] == ["unit": "EUR", "value": 436.34])
        #expect(items[0]["productOrderItem"]?["productOrderId"] == "o1")
    }

    @Test("PDL-101 the invoice names the contracted payment method: a stablecoin contract's invoice says USDC")
    mutating func contractedPaymentMethod() throws {
        let stablecoin = TradingContract(
            seller: "P", buyer: "B", terms: PaymentTerms(cycleDays: 30, dueDays: 15),
            paymentMethod: PaymentMethod(kind: .stablecoin, asset: "USDC", network: "ethereum"), anchor: Make.t0)
        var billing = SBUSBillingTests(overcharge: 0, contract: stablecoin)
        _ = try billing.activate()
        let bill = try #require(billing.closeCycle(at: Make.t0 + .days(30)).invoice)
        #expect(bill.paymentMethod == PaymentMethod(kind: .stablecoin, asset: "USDC", network: "ethereum"))
        #expect(bill.customerBill()["x-paymentMethod"]?["kind"] == "stablecoin")
        #expect(bill.customerBill()["x-paymentMethod"]?["asset"] == "USDC")
    }

    @Test("PDL-103 a disputed line that was wrong is recomputed from the ledger facts and corrected")
    mutating func automaticResolutionCorrects() throws {
        var billing = SBUSBillingTests(overcharge: 1_000)
        _ = try billing.activate()
        let bill = try #require(billing.closeCycle(at: Make.t0 + .days(30)).invoice)
        // The injected fault: the first line overcharged by 10 %: 311.67 × 1.10 = 342.837 → 342.84.
        #expect(bill.items[0].amount.minorUnits == 34_284)
        let dispute = Reconciliation(
            invoiceID: bill.id, outcome: .partial, agreedItems: ["2"], agreedAmount: Money(minorUnits: 12_467),
            disputed: [
                .init(
                    itemID: "1", chargeKey: bill.items[0].chargeKey, invoiced: Money(minorUnits: 34_284),
                    estimate: Money(minorUnits: 31_167), reason: "overcharged")
            ], at: Make.t0 + .days(30))
        let effects = billing.sbus.receive(dispute, from: "B", now: Make.t0 + .days(30)).effects
        let record = try #require(effects.records.first)
        #expect(record.kind == "invoice.resolved")
        let resolution = try record.body.decode(DisputeResolution.self)
        #expect(resolution.lines.map(\.recomputed) == [Money(minorUnits: 31_167)])
        #expect(resolution.lines.map(\.corrected) == [true])
        // Nothing is carried: the next invoice has only the next month's lines (550.00 and 220.00).
        let next = try #require(billing.closeCycle(at: Make.t0 + .days(60)).invoice)
        #expect(next.items.map(\.amount.minorUnits) == [55_000, 22_000])
    }

    @Test(
        "PDL-103 a line the facts uphold, settled manually for the buyer: corrected to the buyer's estimate, not carried"
    )
    func manualResolutionForBuyer() throws {
        let contract = TradingContract(
            seller: "P", buyer: "B", terms: PaymentTerms(cycleDays: 30, dueDays: 15), anchor: Make.t0,
            manualResolution: .buyer)
        var billing = SBUSBillingTests(overcharge: 0, contract: contract)
        _ = try billing.activate()
        let bill = try #require(billing.closeCycle(at: Make.t0 + .days(30)).invoice)
        let dispute = Reconciliation(
            invoiceID: bill.id, outcome: .partial, agreedItems: ["2"], agreedAmount: Money(minorUnits: 12_467),
            disputed: [
                .init(
                    itemID: "1", chargeKey: bill.items[0].chargeKey, invoiced: Money(minorUnits: 31_167),
                    estimate: Money(minorUnits: 30_000), reason: "expected 300.00")
            ], at: Make.t0 + .days(30))
        let record = try #require(
            billing.sbus.receive(dispute, from: "B", now: Make.t0 + .days(30)).effects.records.first)
        let line = try #require(try record.body.decode(DisputeResolution.self).lines.first)
        // 311.67 is what the facts give, but the parties settled for the buyer's 300.00.
        #expect(line.corrected && line.manual == true && line.recomputed == Money(minorUnits: 30_000))
        let next = try #require(billing.closeCycle(at: Make.t0 + .days(60)).invoice)
        #expect(next.items.map(\.amount.minorUnits) == [55_000, 22_000])
    }

    @Test(
        "PDL-103 the parties' manual decision on one line: that line corrected to the buyer's estimate, the other carried"
    )
    func manualDecisionForOneLine() throws {
        let contract = TradingContract(
            seller: "P", buyer: "B", terms: PaymentTerms(cycleDays: 30, dueDays: 15), anchor: Make.t0,
            manualDecisions: [.init(service: "P-svc-9", cycle: 0, item: "item-1", decision: .buyer)])
        var billing = SBUSBillingTests(overcharge: 0, contract: contract)
        _ = try billing.activate()
        let bill = try #require(billing.closeCycle(at: Make.t0 + .days(30)).invoice)
        #expect(bill.items.map(\.productOrderItem) == ["item-1", "item-2"])
        // Both lines right by the facts (311.67 and 124.67), both disputed by a buyer expecting 300.00 and 120.00.
        let dispute = Reconciliation(
            invoiceID: bill.id, outcome: .dispute, agreedItems: [], agreedAmount: Money(minorUnits: 0),
            disputed: [
                .init(
                    itemID: "1", chargeKey: bill.items[0].chargeKey, invoiced: Money(minorUnits: 31_167),
                    estimate: Money(minorUnits: 30_000), reason: "expected 300.00"),
                .init(
                    itemID: "2", chargeKey: bill.items[1].chargeKey, invoiced: Money(minorUnits: 12_467),
                    estimate: Money(minorUnits: 12_000), reason: "expected 120.00"),
            ], at: Make.t0 + .days(30))
        let record = try #require(
            billing.sbus.receive(dispute, from: "B", now: Make.t0 + .days(30)).effects.records.first)
        let lines = try record.body.decode(DisputeResolution.self).lines
        // Line 1 settled by hand for the buyer's 300.00; line 2 has no decision: upheld at 124.67 and carried.
        #expect(lines.map(\.itemID) == ["1", "2"])
        #expect(lines.map(\.corrected) == [true, false])
        #expect(lines.map(\.manual) == [true, nil])
        #expect(lines.map(\.recomputed) == [Money(minorUnits: 30_000), Money(minorUnits: 12_467)])
        let next = try #require(billing.closeCycle(at: Make.t0 + .days(60)).invoice)
        #expect(next.items.map(\.amount.minorUnits) == [55_000, 22_000, 12_467])
        #expect(next.items.map(\.carriedFrom) == [nil, nil, bill.id])
    }

    @Test("PDL-097 metered traffic is rated at the buyer contract's rate per started gigabyte, on one usage line")
    func usageRated() throws {
        let contract = TradingContract(
            seller: "P", buyer: "B", terms: PaymentTerms(cycleDays: 30, dueDays: 15), anchor: Make.t0,
            usageRate: Money(minorUnits: 5))
        var billing = SBUSBillingTests(overcharge: 0, contract: contract)
        _ = try billing.activate()
        func report(_ id: String, day: Int64, megabytes: Int64, jobID: String? = nil) -> PerformanceReport {
            PerformanceReport(
                serviceID: "P-svc-9", reportID: id, from: Make.t0 + .days(day - 1), to: Make.t0 + .days(day),
                scheduled: true, jobID: jobID,
                elements: [
                    ElementPerformance(
                        itemID: "item-1", source: "internal", measured: nil, objectives: nil, usageMB: megabytes),
                    ElementPerformance(itemID: "item-2", source: "S", measured: nil, objectives: nil, usageMB: 1_500),
                ])
        }
        // Two daily reports in the cycle, the same day again on the buyer's own schedule (not charged twice), and
        // one whose interval ends after the cycle (billed next cycle).
        for (message, at) in [
            (report("P-svc-9@15", day: 15, megabytes: 40_000), Make.t0 + .days(15)),
            (report("P-svc-9@16", day: 16, megabytes: 38_333), Make.t0 + .days(16)),
            (report("job-1@16", day: 16, megabytes: 38_333, jobID: "job-1"), Make.t0 + .days(16)),
            (report("P-svc-9@31", day: 31, megabytes: 40_000), Make.t0 + .days(31)),
        ] {
            _ = billing.sbus.handle(.report(buyer: "B", message), now: at)
        }
        let bill = try #require(billing.closeCycle(at: Make.t0 + .days(30)).invoice)
        let usage = try #require(bill.items.last)
        // (40,000 + 1,500) + (38,333 + 1,500) = 81,333 MB: 82 started GB × 0.05 = 4.10.
        #expect(usage.chargeType == .usageBased && usage.unit == "GB")
        #expect(usage.unitQuantity == 82 && usage.amount == Money(minorUnits: 410))
        #expect(usage.evidence == ["report.delivered report=P-svc-9@15", "report.delivered report=P-svc-9@16"])
        #expect(bill.amountDue == Money(minorUnits: 43_634 + 410))
    }

    @Test(
        "PDL-103 PDL-106 a disputed line the ledger facts confirm is upheld and stays open, carried to the next cycle")
    mutating func upheldLineIsCarried() throws {
        _ = try activate()
        let bill = try #require(closeCycle(at: Make.t0 + .days(30)).invoice)
        let dispute = Reconciliation(
            invoiceID: bill.id, outcome: .partial, agreedItems: ["2"], agreedAmount: Money(minorUnits: 12_467),
            disputed: [
                .init(
                    itemID: "1", chargeKey: bill.items[0].chargeKey, invoiced: Money(minorUnits: 31_167),
                    estimate: Money(minorUnits: 30_000), reason: "expected 300.00")
            ], at: Make.t0 + .days(30))
        let resolution = try #require(sbus.receive(dispute, from: "B", now: Make.t0 + .days(30)).effects.records.first)
        #expect(try resolution.body.decode(DisputeResolution.self).lines.map(\.corrected) == [false])
        let next = try #require(closeCycle(at: Make.t0 + .days(60)).invoice)
        // The month's 550.00 and 220.00, then the open line of the first cycle, 311.67, marked as carried.
        #expect(next.items.map(\.amount.minorUnits) == [55_000, 22_000, 31_167])
        #expect(next.items.map(\.carriedFrom) == [nil, nil, bill.id])
        #expect(next.items[2].coverage.cycle == 0)
        #expect(next.items.map(\.id) == ["1", "2", "3"])
    }
}

/// SLA credits and credit notes at the S-BUS (decision 12): an outage credited per the contract; credits beyond the
/// month's charges make a credit note, deducted from the next invoice once the buyer agrees it.
struct SBUSCreditTests {
    static func contract(creditPerHour: Int64) -> TradingContract {
        TradingContract(
            seller: "P", buyer: "B", terms: PaymentTerms(cycleDays: 30, dueDays: 15), anchor: Make.t0,
            slaCreditBasisPointsPerHour: creditPerHour)
    }

    /// The service of SBUSBillingTests (550.00 + 220.00 a month) with an outage of `outage` on day 40.
    static func billed(creditPerHour: Int64, outage: TimeSpan) throws -> (SBUSBillingTests, Invoice) {
        var billing = SBUSBillingTests(overcharge: 0, contract: contract(creditPerHour: creditPerHour))
        _ = try billing.activate()
        _ = billing.closeCycle(at: Make.t0 + .days(30))
        let move = OrderKey(buyer: "B", orderID: "c1")
        _ = billing.sbus.handle(
            .orderEvent(
                move, reference: "P-chg-7", .outageScheduled(from: Make.t0 + .days(40), duration: outage),
                evidence: nil), now: Make.t0 + .days(40))
        _ = billing.sbus.handle(
            .orderEvent(move, reference: "P-chg-7", .changed(serviceID: "P-svc-9"), evidence: nil),
            now: Make.t0 + .days(40) + outage)
        let document = try #require(billing.closeCycle(at: Make.t0 + .days(60)).invoice)
        return (billing, document)
    }

    @Test("an outage is credited per started hour at the contract's share of the service's monthly price")
    func outageCredit() throws {
        let (_, bill) = try Self.billed(creditPerHour: 200, outage: .hours(5) + .minutes(10))
        // 5 h 10 min → 6 started hours; 2 % of 770.00 (550.00 + 220.00) = 15.40 an hour: a credit of 92.40.
        #expect(bill.items.map(\.amount.minorUnits) == [55_000, 22_000, -9_240])
        #expect(bill.items[2].unitQuantity == 6 && bill.items[2].unitRate == Money(minorUnits: 1_540))
        #expect(bill.items[2].productOrderItem == InvoiceItem.outageCredit)
        // 770.00 − 92.40 = 677.60, still an invoice.
        #expect(bill.amountDue == Money(minorUnits: 67_760) && bill.id.hasPrefix("P-bill-"))
        // Shown as a MEF credit: positive, state `credit`, summed in `credits`.
        let json = bill.customerBill()
        #expect(json["credits"] == ["unit": "EUR", "value": 92.4])
        #expect(json["x-customerBillItems"]?.arrayValue?[2]["state"] == "credit")
    }

    @Test("credits beyond the charges make a credit note; once agreed it is deducted from the next invoice")
    func creditNoteDeducted() throws {
        var (billing, note) = try Self.billed(creditPerHour: 1_000, outage: .hours(12))
        // 10 % of 770.00 = 77.00 an hour × 12 = 924.00 against 770.00: −154.00, a credit note.
        #expect(note.amountDue == Money(minorUnits: -15_400))
        #expect(note.id.hasPrefix("P-cn-"))
        #expect(note.items.map(\.amount.minorUnits) == [55_000, 22_000, -92_400])
        let final = Reconciliation(
            invoiceID: note.id, outcome: .final, agreedItems: ["1", "2", "3"], agreedAmount: note.amountDue,
            disputed: [], at: Make.t0 + .days(60))
        _ = billing.sbus.receive(final, from: "B", now: Make.t0 + .days(60))
        let (next, effects) = billing.closeCycle(at: Make.t0 + .days(90))
        let bill = try #require(next)
        // 550.00 + 220.00 − 154.00 = 616.00.
        #expect(bill.items.map(\.amount.minorUnits) == [55_000, 22_000, -15_400])
        #expect(bill.items[2].productOrder == note.id)
        #expect(bill.amountDue == Money(minorUnits: 61_600))
        #expect(effects.records.map(\.kind) == ["invoice"])
    }
}

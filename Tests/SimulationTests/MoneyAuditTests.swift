import CanonicalJSON
import Foundation
import Ledger
import ScenarioModel
import SupplyChain
import Testing

@testable import Simulation

/// The money audit on a run's ledger copies: clean on honest runs; an inflated line, a held-back line and a
/// double-billed period are findings naming the invoice and the line.
struct MoneyAuditTests {
    /// The ledger copies `broker simulate NAME --out DIR` writes, read back as an auditor reads them.
    static func copies(_ name: String) throws -> [LedgerCopy] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("money-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (scenario, scenarioDirectory) = try ScenarioLoader.load(name)
        _ = try Simulator(plan: SimulationPlan(scenario, directory: scenarioDirectory), ledgerDirectory: directory)
            .run()
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().compactMap { file in
            try LedgerFile.open(path: directory.appendingPathComponent(file).path)
        }.flatMap(\.copies)
    }

    /// The copies with the invoice of `seller` for `cycle` (from 1) rewritten by `change`, in every copy.
    static func tampered(
        _ copies: [LedgerCopy], seller: String, cycle: Int, _ change: (Invoice) -> [InvoiceItem]
    ) throws -> [LedgerCopy] {
        try copies.map { copy in
            var copy = copy
            for index in copy.rows.indices where copy.rows[index].kind == "invoice" {
                let body = try JSONValue.parse(Data(copy.rows[index].body.utf8))
                let invoice = try body.decode(Invoice.self)
                guard invoice.seller.rawValue == seller, invoice.period.cycle == cycle - 1 else { continue }
                let altered = Invoice(
                    id: invoice.id, seller: invoice.seller, buyer: invoice.buyer, billDate: invoice.billDate,
                    period: invoice.period, paymentDueDate: invoice.paymentDueDate,
                    paymentMethod: invoice.paymentMethod, currency: invoice.currency, items: change(invoice))
                copy.rows[index].body = try JSONValue(encoding: altered).canonicalString
            }
            return copy
        }
    }

    @Test(
        "the money audit is clean on every honest money scenario",
        arguments: [
            "monthly-billing", "invoice-dispute", "netting", "partial-reconciliation", "sla-credit", "fault-billing",
            "performance-credits", "usage-billing",
        ])
    func honestRunsClean(name: String) throws {
        let book = InvoiceBook(copies: try Self.copies(name))
        #expect(!book.entries.isEmpty)
        #expect(MoneyAudit.audit(book).map(\.description) == [])
    }

    @Test("PDL-104 an inflated final line is found: the ledger's activation gives another amount")
    func inflatedLine() throws {
        let copies = try Self.tampered(try Self.copies("monthly-billing"), seller: "ACCESS", cycle: 2) { invoice in
            // The month's 500.00 made 550.00 (the buyer's final answer still says 600.00 for both lines).
            invoice.items.map { $0.chargeType == .recurring ? $0.with(amount: Money(minorUnits: 55_000)) : $0 }
        }
        let findings = MoneyAudit.audit(InvoiceBook(copies: copies))
        let inflated = try #require(findings.first { $0.rule == .lineAmount })
        #expect(inflated.invoiceID.hasPrefix("ACCESS-bill-") && inflated.line == "1")
        // 30 days at 500.00 a month: 500.00, not 550.00.
        #expect(inflated.detail.contains("550.00 EUR for 30 day(s); the ledger gives 30 day(s)"))
        #expect(inflated.detail.hasSuffix("500.00 EUR"))
        #expect(findings.contains { $0.rule == .wrongTotal && $0.invoiceID == inflated.invoiceID })
    }

    @Test("a service billed past its fault termination is found: the co-signed Service Terminated ends it")
    func billedPastTermination() throws {
        let copies = try Self.tampered(try Self.copies("fault-billing"), seller: "ACCESS", cycle: 2) { invoice in
            // The whole 30-day cycle at 300.00 a month, though the service ended after 10 started days.
            invoice.items.map {
                $0.chargeType == .recurring ? $0.with(amount: Money(minorUnits: 30_000), unitQuantity: 30) : $0
            }
        }
        let findings = MoneyAudit.audit(InvoiceBook(copies: copies))
        let line = try #require(findings.first { $0.rule == .lineAmount })
        #expect(line.invoiceID.hasPrefix("ACCESS-bill-"))
        #expect(line.detail.contains("300.00 EUR for 30 day(s); the ledger gives 10 day(s)"))
        #expect(line.detail.hasSuffix("100.00 EUR"))
    }

    @Test("a repair outage's SLA credit is checked against the co-signed outage.scheduled: 5 hours claimed, 4 there")
    func repairCredit() throws {
        let copies = try Self.tampered(try Self.copies("fault-billing"), seller: "ACCESS", cycle: 2) { invoice in
            invoice.items.map {
                $0.productOrderItem == InvoiceItem.outageCredit
                    ? $0.with(amount: Money(minorUnits: -3_000), unitQuantity: 5) : $0
            }
        }
        let findings = MoneyAudit.audit(InvoiceBook(copies: copies))
        let credit = try #require(findings.first { $0.rule == .lineAmount })
        // 2 % of 300.00 a month is 6.00 an hour; the repair outage lasted 4 hours: −24.00.
        #expect(credit.detail.contains("-30.00 EUR for 5 hour(s); the ledger gives 4 hour(s)"))
        #expect(credit.detail.hasSuffix("-24.00 EUR"))
    }

    @Test("a breach credit is checked against the co-signed report.delivered: one for a report not on the ledger")
    func breachCreditWithoutBreach() throws {
        let copies = try Self.copies("performance-credits")
        // An honest credit line moved onto a report id the ledger does not have.
        let tampered = try Self.tampered(copies, seller: "CHEAP", cycle: 2) { invoice in
            invoice.items.map {
                $0.productOrderItem == InvoiceItem.breachCredit && $0.id == "2"
                    ? InvoiceItem(
                        id: $0.id, chargeType: $0.chargeType, product: $0.product, productOrder: "CHEAP-svc-3@0",
                        productOrderItem: $0.productOrderItem, description: $0.description, coverage: $0.coverage,
                        unit: $0.unit, unitQuantity: 1, unitRate: $0.unitRate, amount: $0.amount, evidence: $0.evidence)
                    : $0
            }
        }
        let findings = MoneyAudit.audit(InvoiceBook(copies: tampered))
        let missing = try #require(findings.first { $0.rule == .missingEvidence })
        #expect(missing.invoiceID.hasPrefix("CHEAP-bill-") && missing.line == "2")
        #expect(missing.detail == "no co-signed report.delivered CHEAP-svc-3@0")
    }

    @Test("an inflated usage line is found: the co-signed reports' traffic gives 1,190 GB, not 1,250")
    func inflatedUsage() throws {
        let tampered = try Self.tampered(try Self.copies("usage-billing"), seller: "ACCESS", cycle: 2) { invoice in
            invoice.items.map {
                $0.chargeType == .usageBased ? $0.with(amount: Money(minorUnits: 2_500), unitQuantity: 1_250) : $0
            }
        }
        let findings = MoneyAudit.audit(InvoiceBook(copies: tampered))
        let line = try #require(findings.first { $0.rule == .lineAmount })
        #expect(line.invoiceID.hasPrefix("ACCESS-bill-") && line.line == "2")
        // 28 whole days of 40,000 MB and the two days of the 6-hour outage (38,333 and 31,666 MB): 1,189,999 MB,
        // 1,190 started GB at 0.02: 23.80.
        #expect(line.detail == "25.00 EUR for 1250 GB; the reports give 1189999 MB, 1190 GB at 0.02 EUR: 23.80 EUR")
    }

    @Test("a report's traffic charged on two invoices is double billing; one not on the ledger is missing evidence")
    func usageChargedTwice() throws {
        let copies = try Self.copies("usage-billing")
        let first = try #require(
            InvoiceBook(copies: copies).entries.first {
                $0.invoice.seller == "ACCESS" && $0.invoice.period.cycle == 0
            }?.invoice.items.first { $0.chargeType == .usageBased })
        let reportID = try #require(first.evidenceRefs(kind: .reportDelivered, ref: "report").first)
        // The second cycle's usage line also cites the first cycle's first report, and a report the ledger lacks.
        let tampered = try Self.tampered(copies, seller: "ACCESS", cycle: 2) { invoice in
            invoice.items.map { item in
                guard item.chargeType == .usageBased else { return item }
                return InvoiceItem(
                    id: item.id, chargeType: item.chargeType, product: item.product, productOrder: item.productOrder,
                    productOrderItem: item.productOrderItem, description: item.description, coverage: item.coverage,
                    unit: item.unit, unitQuantity: item.unitQuantity, unitRate: item.unitRate, amount: item.amount,
                    evidence: item.evidence + ["report.delivered report=\(reportID)"])
            }
        }
        let findings = MoneyAudit.audit(InvoiceBook(copies: tampered))
        let double = try #require(findings.first { $0.rule == .doubleBilled })
        #expect(
            double.line == "2" && double.detail.hasPrefix("the traffic of report \(reportID) is already charged on"))
        let unreported = try Self.tampered(copies, seller: "ACCESS", cycle: 2) { invoice in
            invoice.items.map { item in
                guard item.chargeType == .usageBased else { return item }
                return InvoiceItem(
                    id: item.id, chargeType: item.chargeType, product: item.product, productOrder: item.productOrder,
                    productOrderItem: item.productOrderItem, description: item.description, coverage: item.coverage,
                    unit: item.unit, unitQuantity: item.unitQuantity, unitRate: item.unitRate, amount: item.amount,
                    evidence: item.evidence + ["report.delivered report=ACCESS-svc-3@0"])
            }
        }
        let missing = try #require(
            MoneyAudit.audit(InvoiceBook(copies: unreported)).first { $0.rule == .missingEvidence })
        #expect(missing.line == "2" && missing.detail.hasSuffix("for ACCESS-svc-3@0"))
    }

    @Test("each provider's margin along the chain: what it invoiced minus what its seller invoiced it, per cycle")
    func marginsAlongTheChain() throws {
        let margins = MoneyAudit.margins(InvoiceBook(copies: try Self.copies("monthly-billing")))
        // The second cycle (a full month and the change fee): ACCESS 600.00 with no seller; REGIONAL 660.00 − 600.00;
        // WHOLESALE 726.00 − 660.00; RETAIL 871.20 − 726.00. ENTERPRISE only buys: no margin.
        let second = margins.filter { $0.cycle == 2 }
        #expect(second.map(\.party) == ["ACCESS", "REGIONAL", "RETAIL", "WHOLESALE"])
        #expect(second.map(\.margin.minorUnits) == [60_000, 6_000, 14_520, 6_600])
        #expect(second.map(\.invoicedBy.minorUnits) == [0, 60_000, 72_600, 66_000])
        // The twelfth cycle's bills are issued on day 360 and answered: every provider has twelve cycles.
        #expect(margins.filter { $0.party == "RETAIL" }.map(\.cycle) == Array(1...12))
    }

    @Test("a held-back line is found: a service active in an invoiced cycle has no line")
    func heldBackLine() throws {
        let copies = try Self.tampered(try Self.copies("monthly-billing"), seller: "WHOLESALE", cycle: 3) { invoice in
            invoice.items.filter { $0.chargeType != .recurring }
        }
        let findings = MoneyAudit.audit(InvoiceBook(copies: copies))
        let held = try #require(findings.first { $0.rule == .heldBack })
        #expect(held.invoiceID.hasPrefix("WHOLESALE-bill-"))
        #expect(held.detail.contains("is not billed for"))
    }

    @Test("a double-billed period is found: the first month's days billed again on the next invoice")
    func doubleBilledPeriod() throws {
        let honest = try Self.copies("monthly-billing")
        let first = try #require(
            InvoiceBook(copies: honest).entries.first {
                $0.invoice.seller == "REGIONAL" && $0.invoice.period.cycle == 0
            })
        let copies = try Self.tampered(honest, seller: "REGIONAL", cycle: 2) { invoice in
            invoice.items + [first.invoice.items[0].with(id: "\(invoice.items.count + 1)")]
        }
        let findings = MoneyAudit.audit(InvoiceBook(copies: copies))
        let double = try #require(findings.first { $0.rule == .doubleBilled })
        #expect(double.line == "3")
        #expect(double.detail.contains("is already on \(first.invoice.id) line 1"))
    }

    @Test("PDL-097 a line rated at another monthly price than the seller quoted is found, though its days add up")
    func rateNotQuoted() throws {
        let copies = try Self.tampered(try Self.copies("monthly-billing"), seller: "REGIONAL", cycle: 3) { invoice in
            // 550.00 quoted; billed at 600.00 for the full month: 600.00, consistent with its own days and rate.
            invoice.items.map {
                $0.chargeType == .recurring
                    ? InvoiceItem(
                        id: $0.id, chargeType: $0.chargeType, product: $0.product, productOrder: $0.productOrder,
                        productOrderItem: $0.productOrderItem, description: $0.description, coverage: $0.coverage,
                        unit: $0.unit, unitQuantity: $0.unitQuantity, unitRate: Money(minorUnits: 60_000),
                        amount: Money(minorUnits: 60_000), evidence: $0.evidence)
                    : $0
            }
        }
        let findings = MoneyAudit.audit(InvoiceBook(copies: copies))
        let rate = try #require(findings.first { $0.rule == .lineRate })
        #expect(rate.invoiceID.hasPrefix("REGIONAL-bill-") && rate.line == "1")
        #expect(rate.detail.hasSuffix("says 550.00 EUR"))
        #expect(!findings.contains { $0.rule == .lineAmount })
    }

    @Test("PDL-110 a netting statement that understates what the payee owed is found")
    func nettingUnderstated() throws {
        let copies = try Self.copies("netting").map { copy in
            var copy = copy
            for index in copy.rows.indices where copy.rows[index].kind == "netting" {
                var body = try JSONValue.parse(Data(copy.rows[index].body.utf8)).objectValue ?? [:]
                // The first statement: NORTH owed 396.00 and was owed 366.67; written as owed 300.00 instead.
                if body["owedToPayer"] == ["minorUnits": 36_667, "currency": "EUR"] {
                    body["owedToPayer"] = ["minorUnits": 30_000, "currency": "EUR"]
                }
                copy.rows[index].body = JSONValue.object(body).canonicalString
            }
            return copy
        }
        let findings = MoneyAudit.audit(InvoiceBook(copies: copies))
        let netting = try #require(findings.first { $0.rule == .wrongNetting })
        #expect(netting.invoiceID.hasPrefix("SOUTH-bill-"))
        #expect(netting.detail.contains("owed to the payer 300.00 EUR, final 366.67 EUR"))
        #expect(netting.detail.contains("net is not 396.00 EUR − 300.00 EUR"))
    }
}

import Foundation
import Ledger
import SupplyChain

/// What a run produced, for people (`summary`) and machines (`--json`).
public struct SimulationResult: Encodable, Sendable {
    public struct ItemOutcome: Encodable, Sendable {
        public let id: String
        public let state: String
        public let confidence: String?
        public let price: Double?
        public let installationIntervalDays: Int?
        public let deliveryType: String?
        /// The providers the item passed through, from the retail seller to the one that delivers it.
        public let path: [String]
        public let reason: String?
        public let alternates: Int
    }

    public struct DemandOutcome: Encodable, Sendable {
        public let id: String
        public let buyer: String
        public let seller: String
        public let kind: String
        public let deferred: Bool
        public let sentAt: String
        public let answeredAt: String?
        public let state: String?
        public let sellerReference: String?
        public let acknowledged: Bool
        public let notifications: Int
        public let confidence: String?
        public let totalPrice: Double?
        public let currency: String?
        public let validUntil: String?
        public let reason: String?
        public let findings: [String]
        public let items: [ItemOutcome]
        public let order: OrderOutcome?
    }

    /// What became of the retail buyer's order and of the service.
    public struct OrderOutcome: Encodable, Sendable {
        public let orderID: String
        public let state: String?
        public let reason: String?
        public let serviceID: String?
        public let activatedAt: String?
        /// Per item, the providers the ordered element passed through.
        public let servicePaths: [String: [String]]
        public let extensionRequests: Int
        public let changePrices: [Double]
        public let outages: [String]
        public let changesCompleted: Int
        /// The service's product terms at the end of the run, oldest first (start/end).
        public let terms: [String]
        /// The retail buyer's trouble tickets on the service.
        public var tickets: [TicketOutcome] = []
        /// Faults the seller told the buyer of, and the repair outages it scheduled.
        public var faultNotices: [String] = []
        public var faultOutages: [String] = []
        /// The outages scheduled for changes (PDL-118), each `<duration> from <start>`.
        public var changeOutages: [String] = []
        /// The service's state in each provider's inventory along the chain, by provider.
        public var serviceStates: [String: String] = [:]
        /// The performance reports the buyer received, in order.
        public var reports: [ReportOutcome] = []
    }

    /// One performance report as the retail buyer received it.
    public struct ReportOutcome: Encodable, Sendable {
        public let reportID: String
        public let scheduled: Bool
        public let from: String
        public let to: String
        public let availability: String?
        public let compliance: [String: String]
        public let missing: [String]

        public init(_ report: PerformanceReport) {
            reportID = report.reportID
            scheduled = report.scheduled
            from = report.from.description
            to = report.to.description
            availability = report.measured?.availabilityText
            compliance = report.compliance.mapValues(\.rawValue)
            missing = report.missing
        }

        var allMet: Bool { compliance.values.allSatisfy { $0 == "met" } }
    }

    /// A trouble ticket's life as the retail buyer saw it.
    public struct TicketOutcome: Encodable, Sendable {
        public let ticketID: String
        public let state: String
        public let resolution: String?
        public let history: [String]
    }

    public struct LedgerSummary: Encodable, Sendable {
        public let parties: [String]
        public let ledgerID: String
        public let entries: UInt64
        public let head: String
        /// The kinds of entry on the ledger, sorted.
        public let kinds: [String]
    }

    /// A provider's omni-lateral ledger at the end of a run: its SLA reputation publications and the neighbours'
    /// answers (PDL-115).
    public struct OmniSummary: Encodable, Sendable, Hashable {
        public let publisher: String
        public let ledgerID: String
        public let entries: UInt64
        /// The newest publication's `x.y:n`.
        public let latest: String?
        /// Answers expected (one per neighbour holding records of each entry), and what they were.
        public let expected: Int
        public let countersigned: Int
        public let refused: Int

        public init(
            publisher: String, ledgerID: String, entries: UInt64, latest: String?, expected: Int, countersigned: Int,
            refused: Int
        ) {
            self.publisher = publisher
            self.ledgerID = ledgerID
            self.entries = entries
            self.latest = latest
            self.expected = expected
            self.countersigned = countersigned
            self.refused = refused
        }

        /// The summary of an omni-lateral ledger as stored.
        public init(_ omni: OmniLedger) throws {
            let entries = try omni.entries()
            let verdicts = try omni.verdicts()
            self.init(
                publisher: omni.publisher.rawValue, ledgerID: omni.id.rawValue, entries: omni.size,
                latest: entries.last.flatMap { try? ReputationPublication.decode($0.body).get().reputation },
                expected: entries.reduce(0) { $0 + OmniReview.neighbours(of: $1).count },
                countersigned: verdicts.filter(\.isEndorsement).count,
                refused: verdicts.filter { !$0.isEndorsement }.count)
        }
    }

    public struct ExpectationOutcome: Encodable, Sendable {
        public let expectation: String
        public let passed: Bool
        public let detail: String
        /// Not checked, because the run has nothing to check it against (`ledgers: clean` on a run whose ledgers
        /// were not audited); counted as met, printed SKIP with the reason in `detail`.
        public var skipped = false

        /// PASS, FAIL or SKIP.
        public var verdict: String { skipped ? "SKIP" : passed ? "PASS" : "FAIL" }
    }

    public let scenario: String
    public let seed: UInt64
    public let demands: [DemandOutcome]
    public let ledgers: [LedgerSummary]
    /// Requests each provider received, per demand.
    public let requestsReceived: [String: [String: Int]]
    public let auditFindings: [String]
    public let expectations: [ExpectationOutcome]
    public let events: Int
    public let virtualDuration: String
    public let ledgerDirectory: String?
    /// Why the end-of-run audit did not run (head-only ledgers, a batch of runs, a benchmark); nil: it ran.
    public var auditSkipped: String?
    /// Each provider's SLA reputation at the end of the run, as it would publish it (`8.8:30`), by provider id.
    public var reputations: [String: String] = [:]
    /// Each publisher's omni-lateral ledger, by publisher id.
    public var omniLedgers: [OmniSummary] = []
    /// Whether the neighbours did not answer the publications (a head-only run: they answer from their entries).
    public var omniUnanswered = false
    /// Every invoice of the run, in the order issued, and what became of it.
    public internal(set) var invoices: [InvoiceOutcome] = []
    /// Per demand id, the messages of its exchange in the order they were delivered (simulated runs; a live run
    /// leaves it empty and the report draws the exchange from the items' paths).
    public var messages: [String: [MessageTrace]] = [:]

    public var passed: Bool { expectations.allSatisfy(\.passed) }

    /// The readable report `broker simulate` prints.
    public var summary: String {
        var lines: [String] = [
            "scenario \(scenario) (seed \(seed)): \(events) events, \(virtualDuration) of virtual time"
        ]
        for demand in demands {
            lines.append("")
            let mode = demand.deferred ? "deferred" : "immediate"
            lines.append(
                "\(demand.id): \(demand.buyer) → \(demand.seller) \(demand.kind) (\(mode)) sent \(demand.sentAt)")
            let price =
                demand.totalPrice.map { String(format: "%.2f %@/month", $0, demand.currency ?? "") } ?? "no price"
            lines.append(
                "  answer: \(demand.state ?? "none") at \(demand.answeredAt ?? "-") as \(demand.sellerReference ?? "-"), "
                    + "confidence \(demand.confidence ?? "-"), \(price)"
                    + (demand.validUntil.map { ", valid until \($0)" } ?? ""))
            if demand.deferred {
                lines.append(
                    "  acknowledged: \(demand.acknowledged ? "yes" : "no"), notifications: \(demand.notifications)")
            }
            if let reason = demand.reason { lines.append("  reason: \(reason)") }
            for finding in demand.findings { lines.append("  finding: \(finding)") }
            if let order = demand.order {
                var text = "  order \(order.orderID): \(order.state ?? "no answer")"
                if let service = order.serviceID { text += " as service \(service)" }
                if let at = order.activatedAt { text += " at \(at)" }
                lines.append(text)
                if let reason = order.reason { lines.append("    why: \(reason)") }
                for (item, path) in order.servicePaths.sorted(by: { $0.key < $1.key }) {
                    lines.append("    \(item) delivered via \(path.joined(separator: " → "))")
                }
                if order.extensionRequests > 0 {
                    lines.append("    activation window extensions asked: \(order.extensionRequests)")
                }
                for (index, price) in order.changePrices.enumerated() {
                    lines.append(
                        String(format: "    change %d quoted %.2f, outage %@", index + 1, price, order.outages[index]))
                }
                if order.changesCompleted > 0 { lines.append("    changes completed: \(order.changesCompleted)") }
                if !order.terms.isEmpty { lines.append("    terms: \(order.terms.joined(separator: "; "))") }
                for notice in order.faultNotices { lines.append("    fault notified: \(notice)") }
                for outage in order.faultOutages { lines.append("    repair outage: \(outage)") }
                for ticket in order.tickets {
                    lines.append("    ticket \(ticket.ticketID): \(ticket.state)")
                    for step in ticket.history { lines.append("      \(step)") }
                }
                if !order.reports.isEmpty {
                    let met = order.reports.filter(\.allMet).count
                    let missing = order.reports.filter { !$0.missing.isEmpty }.count
                    lines.append(
                        "    performance reports: \(order.reports.count) (\(met) met every objective, \(missing) with a missing element)"
                    )
                    let notable = order.reports.filter { !$0.scheduled || !$0.allMet }
                    if notable.count > 6 {
                        lines.append("      (the first 6 of \(notable.count) on demand or breaching)")
                    }
                    for report in notable.prefix(6) {
                        let breached = report.compliance.filter { $0.value != "met" }.sorted { $0.key < $1.key }
                            .map { "\($0.key) \($0.value)" }
                        lines.append(
                            "      \(report.scheduled ? "scheduled" : "on demand") \(report.from) to \(report.to): availability \(report.availability ?? "-")"
                                + (breached.isEmpty ? ", every objective met" : ", \(breached.joined(separator: ", "))")
                        )
                    }
                }
                if !order.serviceStates.isEmpty {
                    let states = order.serviceStates.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                    lines.append("    service along the chain: \(states.joined(separator: ", "))")
                }
            }
            for item in demand.items {
                var text = "  \(item.id): \(item.state)"
                if let confidence = item.confidence { text += " \(confidence)" }
                if let days = item.installationIntervalDays { text += ", \(days) days" }
                if let delivery = item.deliveryType { text += ", \(delivery)" }
                if let price = item.price { text += String(format: ", %.2f", price) }
                if item.alternates > 0 { text += ", \(item.alternates) alternate(s)" }
                lines.append(text)
                if !item.path.isEmpty { lines.append("    path: \(item.path.joined(separator: " → "))") }
                if let reason = item.reason { lines.append("    why: \(reason)") }
            }
        }
        if !invoices.isEmpty {
            lines.append("")
            lines.append("invoices (\(invoices.count)):")
            for invoice in invoices {
                var text =
                    "  \(invoice.id) \(invoice.seller) → \(invoice.buyer) cycle \(invoice.cycle)"
                    + (invoice.creditNote ? " (credit note): " : ": ")
                    + String(format: "%.2f %@", invoice.amountDue, invoice.currency)
                    + ", \(invoice.lines) line(s)"
                if invoice.carriedLines > 0 { text += " (\(invoice.carriedLines) carried)" }
                if !invoice.answers.isEmpty { text += ", \(invoice.answers.joined(separator: " → "))" }
                if invoice.disputedLines > 0 {
                    text +=
                        ", \(invoice.disputedLines) disputed, \(invoice.correctedLines) corrected, "
                        + "\(invoice.upheldLines) upheld"
                }
                if let final = invoice.finalAmount { text += String(format: ", final %.2f", final) }
                if let other = invoice.nettedWith {
                    text += ", netted with \(other)" + (invoice.net.map { String(format: " (net %.2f)", $0) } ?? "")
                }
                if let paid = invoice.paid {
                    text += String(format: ", paid %.2f", paid)
                    if let late = invoice.daysLate, late > 0 { text += " \(late) day(s) late" }
                }
                lines.append(text)
            }
        }
        lines.append("")
        lines.append("ledgers (\(ledgers.count)):")
        for ledger in ledgers {
            lines.append(
                "  \(ledger.parties.joined(separator: " ↔ ")): \(ledger.entries) entries, head \(ledger.head.prefix(16))…"
            )
        }
        if let ledgerDirectory { lines.append("  written to \(ledgerDirectory)") }
        if !reputations.isEmpty {
            lines.append(
                "SLA reputation (x.y:n): "
                    + reputations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if !omniLedgers.isEmpty {
            lines.append(
                omniUnanswered
                    ? "omni-lateral ledgers (not answered: on a head-only run the neighbours keep no entries to check them against):"
                    : "omni-lateral ledgers (each publication countersigned by the neighbours holding its records):")
            for omni in omniLedgers {
                lines.append(
                    "  \(omni.publisher): \(omni.entries) publications, latest \(omni.latest ?? "-"), "
                        + "\(omni.countersigned)/\(omni.expected) countersigned"
                        + (omni.refused > 0 ? ", \(omni.refused) refused" : ""))
            }
        }
        if let auditSkipped {
            lines.append("audit: not run: \(auditSkipped)")
        } else {
            lines.append(
                auditFindings.isEmpty
                    ? "audit: every copy clean, both copies of every ledger identical" : "audit findings:")
        }
        for finding in auditFindings { lines.append("  \(finding)") }
        if !expectations.isEmpty {
            lines.append("")
            lines.append("expectations:")
            for outcome in expectations {
                lines.append(
                    "  \(outcome.verdict) \(outcome.expectation)\(outcome.passed && !outcome.skipped ? "" : ": \(outcome.detail)")"
                )
            }
        }
        return lines.joined(separator: "\n")
    }
}

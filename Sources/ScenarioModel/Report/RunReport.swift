import Foundation
import Ledger
import SupplyChain

/// The run report: one self-contained HTML file (inline CSS and SVG, no script, nothing fetched) that shows a run's
/// topology, each demand's exchange, each service's life and every ledger with its entries and their audit.
///
/// Built only from what a run already holds: its plan, its `SimulationResult` and the parties' ledger copies, so a
/// simulated and a live run of one scenario give the same report apart from what differs between them.
public struct RunReport: Sendable {
    /// Both parties' copies of one bilateral ledger.
    public struct LedgerCopies: Sendable {
        public let id: LedgerID
        public let parties: [PartyID]
        /// Each holder's entries, in seq order.
        public let copies: [(holder: PartyID, entries: [LedgerEntry])]

        public init(id: LedgerID, parties: [PartyID], copies: [(holder: PartyID, entries: [LedgerEntry])]) {
            self.id = id
            self.parties = parties
            self.copies = copies
        }
    }

    public let plan: SimulationPlan
    public let result: SimulationResult
    public let ledgers: [LedgerCopies]
    /// Where the run happened (`simulated` or `live cluster`), shown in the title.
    public let driver: String

    public init(plan: SimulationPlan, result: SimulationResult, ledgers: [LedgerCopies], driver: String) {
        self.plan = plan
        self.result = result
        self.ledgers = ledgers
        self.driver = driver
    }

    /// The whole document.
    public var html: String {
        let passed = result.expectations.filter(\.passed).count
        let audit =
            result.auditFindings.isEmpty
            ? "every copy clean, both copies of every ledger identical"
            : "\(result.auditFindings.count) finding(s)"
        var body = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Run report: \(Self.escape(result.scenario))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <header>
            <h1>Run report: \(Self.escape(result.scenario))</h1>
            <p>\(Self.escape(driver)) run, seed \(result.seed): \(result.events) events, \(Self.escape(result.virtualDuration)) \
            of protocol time · \(result.demands.count) demand(s) · \(ledgers.count) ledger(s) · audit: \
            <span class="\(result.auditFindings.isEmpty ? "ok" : "bad")" id="audit-result">\(Self.escape(audit))</span> \
            · expectations \(passed)/\(result.expectations.count) met</p>
            <nav><a href="#topology">Topology</a> · <a href="#demands">Demands</a> · <a href="#services">Services</a> · \
            <a href="#ledgers">Ledgers</a> · <a href="#expectations">Expectations</a></nav>
            </header>

            """
        body += topologySection
        body += "<section id=\"demands\"><h2>Demands</h2>\n"
        for demand in result.demands { body += demandSection(demand) }
        body += "</section>\n<section id=\"services\"><h2>Services</h2>\n"
        let services = result.demands.filter { $0.order?.serviceID != nil }
        if services.isEmpty { body += "<p>No service was ordered in this run.</p>\n" }
        for demand in services { body += serviceSection(demand) }
        body += "</section>\n<section id=\"ledgers\"><h2>Ledgers</h2>\n"
        for ledger in ledgers { body += ledgerSection(ledger) }
        body += auditSection
        body += "</section>\n"
        body += expectationsSection
        body += "</body>\n</html>\n"
        return body
    }

    // MARK: - Sections

    var topologySection: String {
        let buyers = Array(Set(plan.demands.map(\.buyer))).sorted()
        return """
            <section id="topology"><h2>Topology</h2>
            <p>\(plan.providers.count) provider(s), \(buyers.count) retail buyer(s); an arrow points from a buyer to \
            the seller it may buy from.</p>
            \(topologySVG)
            </section>

            """
    }

    func demandSection(_ demand: SimulationResult.DemandOutcome) -> String {
        let price = demand.totalPrice.map { String(format: "%.2f %@/month", $0, demand.currency ?? "") } ?? "no price"
        var html = """
            <section class="demand" id="demand-\(Self.anchor(demand.id))" data-demand="\(Self.escape(demand.id))">
            <h3>Demand \(Self.escape(demand.id)): \(Self.escape(demand.buyer)) → \(Self.escape(demand.seller)) \
            \(Self.escape(demand.kind))</h3>
            <p>Sent \(Self.escape(demand.sentAt)); answer <strong>\(Self.escape(demand.state ?? "none"))</strong> at \
            \(Self.escape(demand.answeredAt ?? "-")), confidence \(Self.escape(demand.confidence ?? "-")), \
            \(Self.escape(price))\(demand.reason.map { ", reason: " + Self.escape($0) } ?? "")</p>

            """
        html += sequenceSVG(demand)
        if !demand.items.isEmpty {
            html += "<table><tr><th>item</th><th>state</th><th>price</th><th>path chosen</th></tr>\n"
            for item in demand.items {
                html +=
                    "<tr><td>\(Self.escape(item.id))</td><td>\(Self.escape(item.state))"
                    + "\(item.confidence.map { " " + Self.escape($0) } ?? "")</td>"
                    + "<td>\(item.price.map { String(format: "%.2f", $0) } ?? "-")</td>"
                    + "<td class=\"path\">\(Self.escape(item.path.joined(separator: " → ")))</td></tr>\n"
            }
            html += "</table>\n"
        }
        let silent = plan.behaviours.filter(\.value.silent).keys.map(\.rawValue).sorted()
        if !silent.isEmpty {
            html += "<p class=\"note\">Silent in this scenario: \(Self.escape(silent.joined(separator: ", "))).</p>\n"
        }
        return html + "</section>\n"
    }

    func serviceSection(_ demand: SimulationResult.DemandOutcome) -> String {
        guard let order = demand.order, let service = order.serviceID else { return "" }
        let events = timeline(of: demand, order: order)
        var html = """
            <section class="service" id="service-\(Self.anchor(service))" data-service="\(Self.escape(service))">
            <h3>Service \(Self.escape(service)) (order \(Self.escape(order.orderID)), demand \(Self.escape(demand.id)))</h3>
            <p>\(Self.escape(demand.buyer)) buys from \(Self.escape(demand.seller)); order \
            \(Self.escape(order.state ?? "no answer"))\(order.reason.map { ", " + Self.escape($0) } ?? "").</p>

            """
        html += timelineSVG(events)
        if !order.serviceStates.isEmpty {
            let states = order.serviceStates.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            html += "<p>Along the chain: \(Self.escape(states.joined(separator: ", ")))</p>\n"
        }
        return html + "</section>\n"
    }

    /// A service's life, oldest first as far as the outcome tells.
    func timeline(
        of demand: SimulationResult.DemandOutcome, order: SimulationResult.OrderOutcome
    ) -> [(kind: String, text: String)] {
        var events: [(kind: String, text: String)] = []
        events.append(("acceptance", "order \(order.orderID) \(order.state ?? "no answer")"))
        if order.extensionRequests > 0 {
            events.append(("change", "activation window extensions asked: \(order.extensionRequests)"))
        }
        if let activated = order.activatedAt { events.append(("activation", "activated at \(activated)")) }
        for (index, price) in order.changePrices.enumerated() {
            let outage = index < order.outages.count ? order.outages[index] : "-"
            events.append(("change", String(format: "change %d quoted %.2f, outage %@", index + 1, price, outage)))
        }
        if order.changesCompleted > 0 { events.append(("change", "changes completed: \(order.changesCompleted)")) }
        for (index, term) in order.terms.enumerated() {
            events.append((index == 0 ? "term" : "renewal", "term \(term)"))
        }
        for notice in order.faultNotices { events.append(("outage", "fault notified: \(notice)")) }
        for outage in order.faultOutages { events.append(("outage", "repair outage \(outage)")) }
        for ticket in order.tickets {
            events.append(("ticket", "ticket \(ticket.ticketID): \(ticket.state)"))
        }
        for report in order.reports {
            let breached = report.compliance.filter { $0.value != "met" }.count
            events.append(
                (
                    "report",
                    "\(report.scheduled ? "scheduled" : "on-demand") report \(report.from) to \(report.to): "
                        + "availability \(report.availability ?? "-")"
                        + (breached == 0 ? ", every objective met" : ", \(breached) objective(s) not met")
                ))
        }
        for invoice in result.invoices where invoice.buyer == demand.buyer && invoice.seller == demand.seller {
            events.append(
                (
                    "invoice",
                    String(
                        format: "invoice %@ cycle %d: %.2f %@", invoice.id, invoice.cycle, invoice.amountDue,
                        invoice.currency)
                        + (invoice.answers.isEmpty ? "" : ", \(invoice.answers.joined(separator: " → "))")
                ))
        }
        return events
    }

    func ledgerSection(_ ledger: LedgerCopies) -> String {
        let findings = result.auditFindings.filter { $0.hasPrefix(ledger.id.rawValue + "\t") }
        let seqsFound = Set(findings.compactMap { UInt64($0.split(separator: "\t")[1]) })
        let first = ledger.copies.first?.entries ?? []
        let others = ledger.copies.dropFirst().map { Dictionary(uniqueKeysWithValues: $0.entries.map { ($0.seq, $0) }) }
        var html = """
            <section class="ledger" id="ledger-\(Self.anchor(ledger.id.rawValue))" data-ledger="\(Self.escape(ledger.id.rawValue))">
            <h3>\(Self.escape(ledger.parties.map(\.rawValue).joined(separator: " ↔ "))): \(first.count) entries</h3>
            <p>Ledger <code>\(Self.escape(ledger.id.rawValue))</code>; copies held by \
            \(Self.escape(ledger.copies.map { "\($0.holder.rawValue) (\($0.entries.count))" }.joined(separator: ", "))). \
            Audit: <span class="\(findings.isEmpty ? "ok" : "bad")">\(findings.isEmpty ? "clean" : "\(findings.count) finding(s)")</span></p>

            """
        for finding in findings { html += "<p class=\"bad finding\">\(Self.escape(finding))</p>\n" }
        html += "<table><tr><th>seq</th><th>kind</th><th>author</th><th>time</th><th>refs</th><th>state</th></tr>\n"
        var previous = LedgerEntry.genesisPrevHash
        for entry in first {
            var problems: [String] = []
            if entry.computeHash().hexString != entry.entryHash { problems.append("hash mismatch") }
            if entry.prevHash != previous { problems.append("broken chain") }
            if !entry.isAgreed { problems.append("not countersigned") }
            if others.contains(where: { $0[entry.seq]?.entryHash != entry.entryHash }) {
                problems.append("copies differ")
            }
            if seqsFound.contains(entry.seq) { problems.append("audit finding") }
            previous = entry.entryHash
            let refs = entry.refs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let state = problems.isEmpty ? "verified" : problems.joined(separator: ", ")
            html +=
                "<tr class=\"entry\"><td>\(entry.seq)</td><td>\(Self.escape(entry.kind))</td>"
                + "<td>\(Self.escape(entry.author.rawValue))</td>"
                + "<td>\(Self.escape(Instant(milliseconds: entry.time).description))</td>"
                + "<td class=\"refs\">\(Self.escape(refs))</td>"
                + "<td class=\"\(problems.isEmpty ? "ok" : "bad")\">\(Self.escape(state))</td></tr>\n"
        }
        return html + "</table>\n</section>\n"
    }

    var auditSection: String {
        var html = "<section id=\"audit\"><h3>Audit</h3>\n"
        if result.auditFindings.isEmpty {
            html += "<p class=\"ok\">Every copy clean, both copies of every ledger identical.</p>\n"
        }
        for finding in result.auditFindings { html += "<p class=\"bad finding\">\(Self.escape(finding))</p>\n" }
        return html + "</section>\n"
    }

    var expectationsSection: String {
        var html = "<section id=\"expectations\"><h2>Expectations</h2>\n<ul>\n"
        for outcome in result.expectations {
            html +=
                "<li class=\"\(outcome.passed ? "ok" : "bad")\">\(outcome.verdict) "
                + "\(Self.escape(outcome.expectation))"
                + "\(outcome.passed && !outcome.skipped ? "" : ": " + Self.escape(outcome.detail))</li>\n"
        }
        return html + "</ul>\n</section>\n"
    }

    // MARK: - Text

    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2733;background:#fff}\
        h1{font-size:22px;margin:0 0 4px}h2{border-bottom:2px solid #2d6cdf;padding-bottom:2px;margin-top:28px}\
        h3{margin:18px 0 4px}section.demand,section.service,section.ledger{border:1px solid #d5dce6;\
        border-radius:6px;padding:8px 14px;margin:10px 0;background:#fbfcfe}\
        table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #d5dce6;padding:2px 6px;\
        text-align:left;vertical-align:top}th{background:#eef2f8}.ok{color:#177245}.bad{color:#b42318}\
        .refs{font:12px ui-monospace,monospace}.note{color:#5b6675}svg{display:block;margin:6px 0;max-width:100%}\
        code{font:12px ui-monospace,monospace}
        """

    /// HTML-escapes text for element content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// An id attribute's value: letters, digits, `-` and `_` kept, anything else as `_`.
    static func anchor(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}

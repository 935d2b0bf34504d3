import CanonicalJSON
import Ledger

/// The money audit (LEDGER.md §12): from ledger copies alone, every final invoice line is recomputed from the
/// co-signed entries it rests on, the agreed totals and payments are checked, and every service the seller activated
/// is billed once per cycle it invoiced: an inflated line, a double-billed period or a held-back line is a finding
/// naming the invoice and the line.
public enum MoneyAudit {
    /// One problem with the money on a ledger.
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        public enum Rule: String, Sendable, Hashable {
            /// A line names no co-signed entry of the kind its charge needs.
            case missingEvidence = "missing_evidence"
            /// A final line's amount (or days) is not what its evidence gives.
            case lineAmount = "line_amount"
            /// An agreed amount is not the sum of its agreed lines.
            case wrongTotal = "wrong_total"
            /// One service's days, or one change, billed on two lines.
            case doubleBilled = "double_billed"
            /// A service active in an invoiced cycle has no line for it.
            case heldBack = "held_back"
            /// A payment is not the agreed (or netted) amount, or its `late` flag is wrong.
            case wrongPayment = "wrong_payment"
            /// A recurring line's monthly rate is not the price the seller quoted for the item ordered.
            case lineRate = "line_rate"
            /// A netting statement's amounts are not the two invoices' final amounts, or its net is not their
            /// difference.
            case wrongNetting = "wrong_netting"
        }

        public let ledgerID: String
        public let invoiceID: String
        public let line: String?
        public let rule: Rule
        public let detail: String

        public var description: String {
            "\(ledgerID)\t\(invoiceID)\t\(line ?? "-")\t\(rule.rawValue)\t\(detail)"
        }
    }

    /// Checks every invoice of `book` against the entries of its ledger.
    public static func audit(_ book: InvoiceBook) -> [Finding] {
        var findings: [Finding] = []
        var billed: [String: [(entry: InvoiceBook.Entry, item: InvoiceItem)]] = [:]
        for entry in book.entries {
            let rows = book.ledgers[entry.ledgerID] ?? []
            findings += check(entry, rows: rows)
            for item in entry.invoice.items where item.carriedFrom == nil {
                billed[
                    "\(entry.ledgerID)|\(item.chargeType.rawValue)|\(item.productOrder)|\(item.productOrderItem)",
                    default: []
                ]
                .append((entry, item))
            }
        }
        // Double billing: two lines (not one carried from the other) for the same charge over overlapping days.
        for key in billed.keys.sorted() {
            let lines = billed[key] ?? []
            for (index, first) in lines.enumerated() {
                for second in lines[(index + 1)...]
                where first.item.coverage.start < second.item.coverage.end
                    && second.item.coverage.start < first.item.coverage.end
                {
                    findings.append(
                        Finding(
                            ledgerID: second.entry.ledgerID, invoiceID: second.entry.invoice.id, line: second.item.id,
                            rule: .doubleBilled,
                            detail:
                                "\(second.item.product) order \(second.item.productOrder) for \(second.item.coverage) "
                                + "is already on \(first.entry.invoice.id) line \(first.item.id)"))
                }
            }
        }
        // A report's traffic charged on two usage lines (not one carried from the other).
        var usageCharged: [String: (entry: InvoiceBook.Entry, item: InvoiceItem)] = [:]
        for entry in book.entries {
            for item in entry.invoice.items where item.chargeType == .usageBased && item.carriedFrom == nil {
                for reportID in item.evidenceRefs(kind: .reportDelivered, ref: "report") {
                    let key = "\(entry.ledgerID)|\(reportID)"
                    if let first = usageCharged[key],
                        first.entry.invoice.id != entry.invoice.id || first.item.id != item.id
                    {
                        findings.append(
                            Finding(
                                ledgerID: entry.ledgerID, invoiceID: entry.invoice.id, line: item.id,
                                rule: .doubleBilled,
                                detail:
                                    "the traffic of report \(reportID) is already charged on \(first.entry.invoice.id) "
                                    + "line \(first.item.id)"))
                    } else {
                        usageCharged[key] = (entry, item)
                    }
                }
            }
        }
        findings += heldBack(book, billed: billed)
        findings += netting(book)
        return findings
    }

    /// The final amount of each agreed line (after the seller's corrections), and the agreed total, if the buyer
    /// agreed any line.
    static func finalLines(_ entry: InvoiceBook.Entry) -> (lines: [String: Money], agreed: Money, manual: Set<String>)?
    {
        var manual: Set<String> = []
        var corrected: [String: Money] = [:]
        var answer: Reconciliation?
        for followUp in entry.followUps {
            switch LedgerKind(rawValue: followUp.kind) {
            case .invoiceResolved:
                for line in (try? followUp.body.decode(DisputeResolution.self))?.lines ?? [] where line.corrected {
                    corrected[line.itemID] = line.recomputed
                    if line.manual == true { manual.insert(line.itemID) }
                }
            case .invoiceFinal, .invoicePartial:
                answer = try? followUp.body.decode(Reconciliation.self)
            default:
                break
            }
        }
        guard let answer else { return nil }
        var lines: [String: Money] = [:]
        for item in entry.invoice.items where answer.agreedItems.contains(item.id) {
            lines[item.id] = corrected[item.id] ?? item.amount
        }
        return (lines, answer.agreedAmount, manual)
    }

    static func check(_ entry: InvoiceBook.Entry, rows: [InvoiceBook.EntryRef]) -> [Finding] {
        let invoice = entry.invoice
        var findings: [Finding] = []
        func finding(_ line: String?, _ rule: Finding.Rule, _ detail: String) {
            findings.append(
                Finding(ledgerID: entry.ledgerID, invoiceID: invoice.id, line: line, rule: rule, detail: detail))
        }
        guard let (lines, agreed, manual) = finalLines(entry) else { return [] }
        for item in invoice.items {
            // A line the parties settled manually rests on their decision (the invoice.resolved entry), not the facts.
            guard let amount = lines[item.id], !manual.contains(item.id) else { continue }
            let seller = invoice.seller.rawValue
            switch item.chargeType {
            case .recurring:
                guard
                    let activation = rows.first(where: {
                        $0.kind == LedgerKind.orderActivated.rawValue && $0.refs["order"] == item.productOrder
                            && $0.author == seller && $0.agreed
                    })
                else {
                    finding(item.id, .missingEvidence, "no co-signed order.activated for order \(item.productOrder)")
                    continue
                }
                let ended = end(of: activation, rows: rows, seller: seller)
                let days = item.coverage.billableDays(from: activation.time, until: ended?.time)
                let expected = item.unitRate.proRated(days: days)
                if days != item.unitQuantity || amount != expected {
                    finding(
                        item.id, .lineAmount,
                        "\(amount) for \(item.unitQuantity) day(s); the ledger gives \(days) day(s) at "
                            + "\(item.unitRate) a month: \(expected)")
                }
                if let quoted = quotedPrice(item, rows: rows, seller: seller), quoted != item.unitRate {
                    finding(
                        item.id, .lineRate,
                        "\(item.unitRate) a month; the quote order \(item.productOrder) was placed on says \(quoted)")
                }
            case .nonRecurring where item.productOrderItem == InvoiceItem.outageCredit:
                guard let (from, duration) = outage(item, rows: rows, seller: seller) else {
                    let kind = item.repairOutageStart == nil ? "change.outage_scheduled" : "outage.scheduled"
                    finding(item.id, .missingEvidence, "no co-signed \(kind) for \(item.productOrder)")
                    continue
                }
                let hours = duration.wholeHoursRoundedUp
                let expected = item.unitRate.times(hours).negated
                if item.unitQuantity != hours || amount != expected || from < item.coverage.start
                    || from >= item.coverage.end
                {
                    finding(
                        item.id, .lineAmount,
                        "\(amount) for \(item.unitQuantity) hour(s); the ledger gives \(hours) hour(s) from \(from) at "
                            + "\(item.unitRate): \(expected)")
                }
            case .nonRecurring where item.productOrderItem == InvoiceItem.breachCredit:
                guard
                    let delivered = rows.first(where: {
                        $0.kind == LedgerKind.reportDelivered.rawValue && $0.refs["report"] == item.productOrder
                            && $0.refs["service"] == item.product && $0.author == seller && $0.agreed
                    }),
                    let report = try? delivered.body.decode(PerformanceReport.self)
                else {
                    finding(item.id, .missingEvidence, "no co-signed report.delivered \(item.productOrder)")
                    continue
                }
                if report.breached.isEmpty || !report.scheduled {
                    finding(item.id, .lineAmount, "credits report \(item.productOrder), which breached no objective")
                } else if amount != item.unitRate.negated || item.unitQuantity != 1 || report.to > item.coverage.end {
                    finding(
                        item.id, .lineAmount,
                        "\(amount) for report \(item.productOrder) to \(report.to); one credit of \(item.unitRate) "
                            + "no earlier than the period its interval ended in (\(item.coverage))")
                }
            case .nonRecurring where item.productOrderItem == InvoiceItem.creditNoteApplied:
                let agreedNote = rows.last {
                    $0.kind == LedgerKind.invoiceFinal.rawValue && $0.refs["invoice"] == item.productOrder
                        && $0.author == invoice.buyer.rawValue && $0.agreed
                }
                guard let agreedNote, let note = try? agreedNote.body.decode(Reconciliation.self) else {
                    finding(item.id, .missingEvidence, "no credit note \(item.productOrder) agreed by the buyer")
                    continue
                }
                if amount != note.agreedAmount {
                    finding(item.id, .lineAmount, "deducts \(amount); credit note agreed at \(note.agreedAmount)")
                }
            case .nonRecurring:
                guard
                    let completed = rows.first(where: {
                        $0.kind == LedgerKind.changeCompleted.rawValue && $0.refs["order"] == item.productOrder
                            && $0.author == seller && $0.agreed
                    }),
                    let quoted = rows.first(where: {
                        $0.kind == LedgerKind.changeQuoted.rawValue && $0.refs["order"] == item.productOrder
                            && $0.author == seller && $0.agreed
                    }),
                    let notice = try? quoted.body.decode(OrderNotice.self),
                    case .changeQuoted(let price, _) = notice.event
                else {
                    finding(
                        item.id, .missingEvidence,
                        "no co-signed change.quoted and change.completed for \(item.productOrder)")
                    continue
                }
                if amount != price || completed.time < item.coverage.start || completed.time >= item.coverage.end {
                    finding(
                        item.id, .lineAmount,
                        "\(amount) for the change completed \(completed.time); quoted \(price), billable in \(item.coverage)"
                    )
                }
            case .usageBased:
                var megabytes: Int64 = 0
                var missing: [String] = []
                let reportIDs = item.evidenceRefs(kind: .reportDelivered, ref: "report")
                for reportID in reportIDs {
                    guard
                        let delivered = rows.first(where: {
                            $0.kind == LedgerKind.reportDelivered.rawValue && $0.refs["report"] == reportID
                                && $0.refs["service"] == item.product && $0.author == seller && $0.agreed
                        }),
                        let report = try? delivered.body.decode(PerformanceReport.self), report.billsUsage,
                        let usage = report.usageMB, report.to <= item.coverage.end
                    else {
                        missing.append(reportID)
                        continue
                    }
                    megabytes = .saturating(megabytes, plus: usage)
                }
                guard missing.isEmpty, !reportIDs.isEmpty, Set(reportIDs).count == reportIDs.count else {
                    finding(
                        item.id, .missingEvidence,
                        reportIDs.isEmpty
                            ? "names no report.delivered"
                            : missing.isEmpty
                                ? "names a report twice"
                                : "no co-signed report.delivered with metered traffic ended by \(item.coverage.end) "
                                    + "for \(missing.joined(separator: ", "))")
                    continue
                }
                let gigabytes = TradingContract.startedGigabytes(megabytes)
                let expected = item.unitRate.times(gigabytes)
                if item.unitQuantity != gigabytes || amount != expected {
                    finding(
                        item.id, .lineAmount,
                        "\(amount) for \(item.unitQuantity) GB; the reports give \(megabytes) MB, \(gigabytes) GB at "
                            + "\(item.unitRate): \(expected)")
                }
            }
        }
        let sum = invoice.amountDue(of: lines)
        if sum != agreed {
            finding(
                nil, .wrongTotal,
                "agreed \(agreed), but the agreed lines add up to \(sum)"
                    + (invoice.tax.map { " with \($0.category) at \(Double($0.basisPoints) / 100) %" } ?? ""))
        }
        var net: Money?
        for followUp in entry.followUps where followUp.kind == LedgerKind.netting.rawValue {
            if let statement = try? followUp.body.decode(NettingStatement.self), statement.payableInvoice == invoice.id
            {
                net = statement.net
            }
        }
        for followUp in entry.followUps where followUp.kind == LedgerKind.payment.rawValue {
            guard let payment = try? followUp.body.decode(Payment.self) else { continue }
            let due = payment.netting != nil ? (net ?? agreed) : agreed
            if payment.amount != due {
                finding(
                    nil, .wrongPayment, "paid \(payment.amount), \(payment.netting != nil ? "net" : "agreed") \(due)")
            }
            if followUp.body["late"]?.boolValue != payment.isLate {
                finding(nil, .wrongPayment, "paid \(payment.paidAt), due \(payment.dueDate): late is \(payment.isLate)")
            }
        }
        return findings
    }

    /// Each netting statement: its two amounts are the final amounts of the invoices it names, in one currency and
    /// cycle, and its net is their difference.
    static func netting(_ book: InvoiceBook) -> [Finding] {
        var findings: [Finding] = []
        func finalAmount(_ id: String, ledger: String) -> (Money, Invoice)? {
            guard let entry = book.entries.first(where: { $0.ledgerID == ledger && $0.invoice.id == id }),
                let final = entry.followUps.last(where: { $0.kind == LedgerKind.invoiceFinal.rawValue }),
                let answer = try? final.body.decode(Reconciliation.self)
            else { return nil }
            return (answer.agreedAmount, entry.invoice)
        }
        for entry in book.entries {
            for followUp in entry.followUps where followUp.kind == LedgerKind.netting.rawValue {
                guard let statement = try? followUp.body.decode(NettingStatement.self),
                    statement.payableInvoice == entry.invoice.id
                else { continue }
                var problems: [String] = []
                let payable = finalAmount(statement.payableInvoice, ledger: entry.ledgerID)
                let receivable = finalAmount(statement.receivableInvoice, ledger: entry.ledgerID)
                if payable?.0 != statement.owedByPayer {
                    problems.append(
                        "owed by the payer \(statement.owedByPayer), final \(payable.map { "\($0.0)" } ?? "none")")
                }
                if receivable?.0 != statement.owedToPayer {
                    problems.append(
                        "owed to the payer \(statement.owedToPayer), final \(receivable.map { "\($0.0)" } ?? "none")")
                }
                if let payable, let receivable,
                    payable.1.period.cycle != receivable.1.period.cycle || payable.1.currency != receivable.1.currency
                {
                    problems.append("the invoices are of different cycles or currencies")
                }
                if followUp.body["net"].flatMap({ try? $0.decode(Money.self) }) != statement.net {
                    problems.append("net is not \(statement.owedByPayer) − \(statement.owedToPayer)")
                }
                if !problems.isEmpty {
                    findings.append(
                        Finding(
                            ledgerID: entry.ledgerID, invoiceID: entry.invoice.id, line: nil, rule: .wrongNetting,
                            detail: problems.joined(separator: "; ")))
                }
            }
        }
        return findings
    }

    /// The monthly price the seller quoted for the line's item, from the `order.request` the line's order was placed
    /// with (its quote reference) and the seller's `quote.response` of that reference on the same ledger.
    static func quotedPrice(_ item: InvoiceItem, rows: [InvoiceBook.EntryRef], seller: String) -> Money? {
        guard
            let placed = rows.first(where: {
                $0.kind == LedgerKind.orderRequest.rawValue && $0.refs["order"] == item.productOrder
            }),
            let order = try? placed.body.decode(OrderRequest.self),
            case .provide(let quoteReference, _) = order.action
        else { return nil }
        // The quote.response body gives each item's monthly price as a decimal (`quote.items[].monthly`), as
        // LEDGER.md documents it; read back to minor units, exact for prices in cents.
        for row in rows where row.kind == LedgerKind.quoteResponse.rawValue && row.author == seller && row.agreed {
            guard row.body["sellerReference"]?.stringValue == quoteReference,
                let priced = row.body["quote"]?["items"]?.arrayValue?.first(where: {
                    $0["itemId"]?.stringValue == item.productOrderItem
                }),
                let monthly = priced["monthly"]?.numberValue
            else { continue }
            return Money(amount: monthly, currency: priced["currency"]?.stringValue ?? item.unitRate.currency)
        }
        return nil
    }

    /// The co-signed outage an SLA credit line rests on: a change's `change.outage_scheduled` (by its order), or a
    /// repair's `outage.scheduled` on the line's service starting when the line says.
    static func outage(
        _ item: InvoiceItem, rows: [InvoiceBook.EntryRef], seller: String
    ) -> (from: Instant, duration: TimeSpan)? {
        if let start = item.repairOutageStart {
            for row in rows
            where row.kind == LedgerKind.outageScheduled.rawValue && row.refs["service"] == item.product
                && row.author == seller && row.agreed
            {
                guard let notice = try? row.body.decode(TicketNotice.self),
                    case .outageScheduled(let from, let duration) = notice.event, from == start
                else { continue }
                return (from, duration)
            }
            return nil
        }
        guard
            let scheduled = rows.first(where: {
                $0.kind == LedgerKind.changeOutageScheduled.rawValue && $0.refs["order"] == item.productOrder
                    && $0.author == seller && $0.agreed
            }),
            let notice = try? scheduled.body.decode(OrderNotice.self),
            case .outageScheduled(let from, let duration) = notice.event
        else { return nil }
        return (from, duration)
    }

    /// When the service an activation started ended, on the seller's word: its order's `service.disconnected`
    /// (end of term), or the `service.terminated` of its service id (a fault, ETSI PDL scenarios A–C).
    static func end(
        of activation: InvoiceBook.EntryRef, rows: [InvoiceBook.EntryRef], seller: String
    ) -> InvoiceBook.EntryRef? {
        let serviceID = activation.body["event"]?["activated"]?["serviceID"]?.stringValue
        return rows.first {
            guard $0.author == seller, $0.agreed else { return false }
            if $0.kind == LedgerKind.serviceDisconnected.rawValue {
                return $0.refs["order"] == activation.refs["order"]
            }
            return $0.kind == LedgerKind.serviceTerminated.rawValue && serviceID != nil
                && $0.refs["service"] == serviceID
        }
    }

    /// Every service the seller activated on a ledger, still active in a cycle it invoiced that buyer, has a line in
    /// that cycle.
    static func heldBack(
        _ book: InvoiceBook, billed: [String: [(entry: InvoiceBook.Entry, item: InvoiceItem)]]
    ) -> [Finding] {
        var findings: [Finding] = []
        for entry in book.entries {
            let invoice = entry.invoice
            let rows = book.ledgers[entry.ledgerID] ?? []
            let period = invoice.period
            for activation in rows
            where activation.kind == LedgerKind.orderActivated.rawValue && activation.author == invoice.seller.rawValue
                && activation.agreed && activation.time < period.end
            {
                guard let order = activation.refs["order"] else { continue }
                let ended = end(of: activation, rows: rows, seller: invoice.seller.rawValue)
                if let ended, ended.time <= period.start { continue }
                let lines =
                    billed
                    .filter { $0.key.hasPrefix("\(entry.ledgerID)|recurring|\(order)|") }
                    .flatMap(\.value)
                let billedInCycle = lines.contains {
                    $0.entry.invoice.period.cycle == period.cycle
                        || ($0.item.coverage.start < period.end && period.start < $0.item.coverage.end)
                }
                // Only the first invoice of the cycle answers for it (a cycle has one invoice per buyer).
                let firstOfCycle =
                    book.entries.first {
                        $0.ledgerID == entry.ledgerID && $0.invoice.seller == invoice.seller
                            && $0.invoice.period.cycle == period.cycle
                    }?.invoice.id == invoice.id
                if !billedInCycle, firstOfCycle {
                    findings.append(
                        Finding(
                            ledgerID: entry.ledgerID, invoiceID: invoice.id, line: nil, rule: .heldBack,
                            detail: "order \(order), activated \(activation.time), is not billed for \(period)"))
                }
            }
        }
        return findings
    }
}

extension MoneyAudit {
    /// What one provider invoiced its buyers and was invoiced by its sellers in one cycle, in one currency, final
    /// amounts only (what both parties agreed on their ledger): its margin along the chain for that cycle.
    public struct Margin: Sendable, Hashable, CustomStringConvertible {
        public let party: String
        /// The billing cycle, from 1.
        public let cycle: Int
        public let currency: String
        public let invoiced: Money
        public let invoicedBy: Money

        public var margin: Money { invoiced + invoicedBy.negated }

        public var description: String {
            "\(party)\tcycle \(cycle)\tinvoiced \(invoiced)\tinvoiced by sellers \(invoicedBy)\tmargin \(margin)"
        }
    }

    /// Every provider's margin per cycle and currency, from the final lines of the invoices in the book: what it
    /// invoiced its buyers minus what its sellers invoiced it. A credit note counts where it is deducted (the line
    /// on the next invoice), not twice; lines not final, and parties that only buy (retail buyers), do not count.
    public static func margins(_ book: InvoiceBook) -> [Margin] {
        struct Key: Hashable {
            let party: String
            let cycle: Int
            let currency: String
        }
        var invoiced: [Key: Money] = [:]
        var invoicedBy: [Key: Money] = [:]
        var sellers: Set<String> = []
        for entry in book.entries {
            let invoice = entry.invoice
            guard let (lines, _, _) = finalLines(entry), invoice.amountDue.minorUnits >= 0 else { continue }
            let amount = lines.values.reduce(.zero(invoice.currency), +)
            let cycle = invoice.period.cycle + 1
            sellers.insert(invoice.seller.rawValue)
            let sold = Key(party: invoice.seller.rawValue, cycle: cycle, currency: invoice.currency)
            let bought = Key(party: invoice.buyer.rawValue, cycle: cycle, currency: invoice.currency)
            invoiced[sold] = (invoiced[sold] ?? .zero(invoice.currency)) + amount
            invoicedBy[bought] = (invoicedBy[bought] ?? .zero(invoice.currency)) + amount
        }
        let keys = Set(invoiced.keys).union(invoicedBy.keys.filter { sellers.contains($0.party) })
        return keys.sorted { ($0.party, $0.cycle, $0.currency) < ($1.party, $1.cycle, $1.currency) }.map {
            Margin(
                party: $0.party, cycle: $0.cycle, currency: $0.currency,
                invoiced: invoiced[$0] ?? .zero($0.currency), invoicedBy: invoicedBy[$0] ?? .zero($0.currency))
        }
    }
}

import Ledger
import SupplyChain

/// The buyer's side of billing (ETSI PDL §52–56, §60): the B-BUS keeps its own record of what it bought, estimates
/// every invoice line from it, accepts the lines within the contract's dispute threshold (decision 13) and disputes
/// the others, records the result on the seller's ledger (`invoice.final`, `invoice.partial`, `invoice.dispute`),
/// takes the seller's automatic resolution, and pays the agreed amount by the contracted method on the due date
/// (`payment`, late ones marked).
extension BBUS {
    /// Notes what a seller's order notice means for the buyer's own estimate.
    mutating func notePurchase(_ notice: OrderNotice, from seller: PartyID) {
        guard configuration.contracts[seller] != nil else { return }
        let orderID = notice.orderID
        switch notice.event {
        case .activated(let serviceID):
            guard purchases.purchases[orderID]?.seller == seller else { return }
            purchases.purchases[orderID]?.serviceID = serviceID
            purchases.purchases[orderID]?.activatedAt = notice.at
        case .changeQuoted(let price, _):
            guard subOrders[orderID]?.seller == seller, subOrders[orderID]?.isChange == true else { return }
            purchases.quotedFees[orderID] = price
        case .outageScheduled(let from, let duration):
            guard subOrders[orderID]?.seller == seller, subOrders[orderID]?.isChange == true else { return }
            purchases.pendingOutages[orderID] = (from, duration)
        case .changed(let serviceID):
            if let outage = purchases.pendingOutages.removeValue(forKey: orderID), outage.duration > .zero {
                purchases.outages[orderID] = PurchaseBook.Outage(
                    seller: seller, serviceID: serviceID, from: outage.from, duration: outage.duration)
            }
            guard let fee = purchases.quotedFees.removeValue(forKey: orderID), fee.minorUnits != 0 else { return }
            purchases.oneOffs[orderID] = PurchaseBook.OneOff(seller: seller, fee: fee, at: notice.at)
        case .disconnected(let serviceID):
            // On the disconnection's own sub-order (the buyer asked for it), the purchase is found by its service.
            guard purchases.purchases[orderID]?.seller == seller else {
                notePurchaseEnded(serviceID: serviceID, from: seller, at: notice.at)
                return
            }
            purchases.purchases[orderID]?.endedAt = notice.at
        case .rejected, .failed:
            purchases.purchases.removeValue(forKey: orderID)
            purchases.quotedFees.removeValue(forKey: orderID)
        default:
            break
        }
    }

    /// A seller's "Service Terminated" (ETSI PDL scenarios A–C): the buyer's estimate bills that service until then.
    mutating func notePurchaseEnded(serviceID: String, from seller: PartyID, at: Instant) {
        guard configuration.contracts[seller] != nil else { return }
        for (orderID, purchase) in purchases.purchases
        where purchase.seller == seller && purchase.serviceID == serviceID && purchase.endedAt == nil {
            purchases.purchases[orderID]?.endedAt = at
        }
    }

    /// A seller's repair outage: the SLA credit the buyer expects on the next invoice.
    mutating func notePurchaseOutage(serviceID: String, from: Instant, duration: TimeSpan, seller: PartyID) {
        guard configuration.contracts[seller] != nil, duration > .zero else { return }
        purchases.outages[RequestID(InvoiceItem.repairOutage(from: from))] = PurchaseBook.Outage(
            seller: seller, serviceID: serviceID, from: from, duration: duration)
    }

    /// A seller's scheduled report that breached an objective: the SLA breach credit the buyer expects, unless an
    /// outage credited by the hour explains it (`PerformanceReport.earnsBreachCredit`).
    mutating func notePurchaseBreach(_ report: PerformanceReport, from seller: PartyID) {
        guard let contract = configuration.contracts[seller], contract.slaCreditBasisPointsPerBreach > 0 else { return }
        let outages =
            contract.slaCreditBasisPointsPerHour > 0
            ? purchases.outages.values.filter { $0.seller == seller && $0.serviceID == report.serviceID }.map(\.from)
            : []
        guard report.earnsBreachCredit(outagesFrom: outages) else { return }
        purchases.breaches[report.reportID] = PurchaseBook.Breach(
            seller: seller, serviceID: report.serviceID, to: report.to)
    }

    /// A seller's scheduled report with metered traffic, under a contract that charges usage: what a usage line may
    /// charge for.
    mutating func notePurchaseUsage(_ report: PerformanceReport, from seller: PartyID) {
        guard configuration.contracts[seller]?.usageRate != nil, report.billsUsage, let megabytes = report.usageMB,
            purchases.usage[report.reportID] == nil
        else { return }
        purchases.usage[report.reportID] = PurchaseBook.Usage(
            seller: seller, serviceID: report.serviceID, to: report.to, megabytes: megabytes)
    }

    /// The reports a usage line of `invoiceID` may charge for: those it cites that the buyer received from the
    /// seller on that service, ended by the period's end, and not charged on another invoice (a line carried open
    /// may charge them again).
    func usageReports(of line: InvoiceItem, invoiceID: String, seller: PartyID) -> [String] {
        let origin = line.carriedFrom ?? invoiceID
        var counted = Set<String>()
        return line.evidenceRefs(kind: .reportDelivered, ref: "report").filter { reportID in
            guard let usage = purchases.usage[reportID], usage.seller == seller, usage.serviceID == line.product,
                usage.to <= line.coverage.end, usage.billedOn == nil || usage.billedOn == origin
            else { return false }
            return counted.insert(reportID).inserted
        }
    }

    /// The monthly price of what the buyer bought from `seller` as service `serviceID`.
    func purchasedMonthly(_ serviceID: String, from seller: PartyID, currency: String) -> Money {
        purchases.purchases.values.filter { $0.seller == seller && $0.serviceID == serviceID }.compactMap(\.price)
            .reduce(.zero(currency), +)
    }

    /// Notes an element ordered from a seller under contract, at the price the seller quoted.
    mutating func notePurchase(_ placement: SubOrderPlacement, subID: RequestID) {
        guard configuration.contracts[placement.seller] != nil else { return }
        purchases.purchases[subID] = PurchaseBook.Purchase(
            seller: placement.seller, itemID: placement.itemID, price: placement.price)
    }

    /// The buyer's own estimate of an invoice line, from its records alone, with what the estimate rests on.
    func estimate(_ line: InvoiceItem, seller: PartyID, invoiceID: String) -> (amount: Money, basis: String) {
        let zero = Money.zero(line.amount.currency)
        let orderID = RequestID(line.productOrder)
        // A line carried open after the facts upheld it, which the parties settled manually for the seller.
        if line.carriedFrom != nil, configuration.contracts[seller]?.manualResolution(of: line) == .seller {
            return (line.amount, "settled manually for the seller")
        }
        switch line.chargeType {
        case .recurring:
            guard let purchase = purchases.purchases[orderID], purchase.seller == seller, let price = purchase.price,
                let activated = purchase.activatedAt
            else { return (zero, "no service \(line.product) bought from \(seller) on order \(line.productOrder)") }
            let days = line.coverage.billableDays(from: activated, until: purchase.endedAt)
            let estimate = price.proRated(days: days).scaled(
                basisPoints: 10_000 - configuration.underestimateBasisPoints)
            return (estimate, "\(days) of 30 days at \(price) a month")
        case .nonRecurring where line.productOrderItem == InvoiceItem.outageCredit:
            guard let outage = purchases.outages[orderID], outage.seller == seller,
                outage.from >= line.coverage.start, outage.from < line.coverage.end,
                let contract = configuration.contracts[seller]
            else { return (zero, "no outage of \(line.product) announced for \(line.productOrder) in the period") }
            let monthly = purchasedMonthly(outage.serviceID, from: seller, currency: zero.currency)
            let hours = outage.duration.wholeHoursRoundedUp
            let hourly = contract.hourlyCredit(monthly: monthly)
            return (hourly.times(hours).negated, "SLA credit: \(hours) hour(s) at \(hourly)")
        case .nonRecurring where line.productOrderItem == InvoiceItem.breachCredit:
            guard let breach = purchases.breaches[line.productOrder], breach.seller == seller,
                breach.serviceID == line.product, breach.to <= line.coverage.end,
                let contract = configuration.contracts[seller]
            else { return (zero, "no breached report \(line.productOrder) on \(line.product) in the period") }
            let credit = contract.breachCredit(
                monthly: purchasedMonthly(breach.serviceID, from: seller, currency: zero.currency))
            return (credit.negated, "SLA credit for breached report \(line.productOrder): \(credit)")
        case .nonRecurring where line.productOrderItem == InvoiceItem.creditNoteApplied:
            guard let credit = purchases.creditNotes[line.productOrder] else {
                return (zero, "no agreed credit note \(line.productOrder)")
            }
            return (credit.negated, "credit note \(line.productOrder) agreed at \(credit)")
        case .nonRecurring:
            guard let charge = purchases.oneOffs[orderID], charge.seller == seller, charge.at >= line.coverage.start,
                charge.at < line.coverage.end
            else { return (zero, "no completed change \(line.productOrder) in the period") }
            return (charge.fee, "change fee quoted \(charge.fee)")
        case .usageBased:
            let reports = usageReports(of: line, invoiceID: invoiceID, seller: seller)
            let megabytes = reports.compactMap { purchases.usage[$0]?.megabytes }.reduce(Int64(0)) {
                .saturating($0, plus: $1)
            }
            guard let contract = configuration.contracts[seller], !reports.isEmpty,
                let (gigabytes, amount) = contract.usageCharge(megabytes: megabytes)
            else { return (zero, "no report with metered traffic on \(line.product) to charge in the period") }
            return (amount, "\(megabytes) MB in \(reports.count) report(s) received: \(gigabytes) GB")
        }
    }

    /// A seller's invoice arrives: compare every line with the buyer's estimate, answer, and plan the payment.
    public mutating func receive(_ invoice: Invoice, from seller: PartyID, now: Instant) -> [RoleStep] {
        guard let contract = configuration.contracts[seller], invoice.seller == seller, invoice.buyer == party,
            purchases.payables[invoice.id] == nil
        else { return [] }
        var payable = PurchaseBook.Payable(invoice: invoice, agreed: [:], open: [:], tax: contract.tax)
        var disputed: [Reconciliation.DisputedLine] = []
        for line in invoice.items {
            let (estimate, basis) = self.estimate(line, seller: seller, invoiceID: invoice.id)
            if line.chargeType == .usageBased {
                for reportID in usageReports(of: line, invoiceID: invoice.id, seller: seller) {
                    purchases.usage[reportID]?.billedOn = line.carriedFrom ?? invoice.id
                }
            }
            if contract.disputeThreshold.isActionable(invoiced: line.amount, estimate: estimate) {
                payable.open[line.id] = estimate
                disputed.append(
                    Reconciliation.DisputedLine(
                        itemID: line.id, chargeKey: line.chargeKey, invoiced: line.amount, estimate: estimate,
                        reason: "invoiced \(line.amount), expected \(estimate): \(basis)"))
            } else {
                payable.agreed[line.id] = line.amount
            }
        }
        purchases.payables[invoice.id] = payable
        let outcome: Reconciliation.Outcome =
            disputed.isEmpty ? .final : payable.agreed.isEmpty ? .dispute : .partial
        let answer = Reconciliation(
            invoiceID: invoice.id, outcome: outcome, agreedItems: payable.agreed.keys.sorted(),
            agreedAmount: payable.agreedAmount, disputed: disputed, at: now)
        noteCreditNote(answer)
        return answerSteps(answer, seller: seller) + [
            .effect(
                .setTimer(
                    Self.paymentTimer(invoice.id, seller: seller), at: invoice.paymentDueDate + contract.paymentDelay))
        ]
    }

    /// The seller's automatic resolution: corrected lines within the threshold of the buyer's estimate are agreed;
    /// when no line is left open, the invoice is final (PDL-104). Upheld lines stay open (PDL-106): the seller
    /// carries them to its next invoice.
    public mutating func receive(_ resolution: DisputeResolution, from seller: PartyID, now: Instant) -> [RoleStep] {
        guard let contract = configuration.contracts[seller], var payable = purchases.payables[resolution.invoiceID],
            payable.invoice.seller == seller
        else { return [] }
        for line in resolution.lines {
            guard let estimate = payable.open[line.itemID] else { continue }
            if line.corrected, !contract.disputeThreshold.isActionable(invoiced: line.recomputed, estimate: estimate) {
                payable.open.removeValue(forKey: line.itemID)
                payable.agreed[line.itemID] = line.recomputed
            } else if !line.corrected {
                payable.open.removeValue(forKey: line.itemID)  // upheld: it comes back on the next invoice
            }
        }
        purchases.payables[resolution.invoiceID] = payable
        guard payable.open.isEmpty, !payable.agreed.isEmpty, payable.agreed.count == payable.invoice.items.count
        else { return [] }
        let answer = Reconciliation(
            invoiceID: resolution.invoiceID, outcome: .final, agreedItems: payable.agreed.keys.sorted(),
            agreedAmount: payable.agreedAmount, disputed: [], at: now)
        noteCreditNote(answer)
        return answerSteps(answer, seller: seller)
    }

    /// A final document whose agreed amount is negative is a credit note: the seller deducts it from its next
    /// invoice, where the buyer expects to see it.
    private mutating func noteCreditNote(_ answer: Reconciliation) {
        guard answer.outcome == .final, answer.agreedAmount.minorUnits < 0 else { return }
        purchases.creditNotes[answer.invoiceID] = answer.agreedAmount.negated
    }

    /// The payment of an agreed invoice falls due: pay the agreed amount in the contracted method (PDL-107..109).
    public mutating func pay(_ invoiceID: String, seller: PartyID, now: Instant) -> [RoleStep] {
        guard let contract = configuration.contracts[seller], var payable = purchases.payables[invoiceID],
            !payable.paid, payable.agreedAmount.minorUnits > 0
        else { return [] }
        payable.paid = true
        purchases.payables[invoiceID] = payable
        var steps: [RoleStep] = []
        var amount = payable.agreedAmount
        var statementID: String?
        if contract.netting, let statement = netting(payable, seller: seller) {
            // The larger debtor records the statement and pays the net; the other pays nothing for this invoice.
            guard statement.payer == party else { return [] }
            statementID = "\(statement.payableInvoice)/\(statement.receivableInvoice)"
            amount = statement.net
            steps.append(
                effect: .record(
                    LedgerRecord(
                        counterparty: seller, kind: .netting,
                        refs: ["invoice": invoiceID, "netted": statement.receivableInvoice],
                        body: statement.ledgerBody)))
            guard amount.minorUnits > 0 else { return steps }
        }
        let payment = Payment(
            invoiceID: invoiceID, amount: amount, method: contract.paymentMethod,
            dueDate: payable.invoice.paymentDueDate, paidAt: now, netting: statementID)
        return steps + [
            .effect(
                .record(
                    LedgerRecord(
                        counterparty: seller, kind: .payment, refs: ["invoice": invoiceID], body: payment.ledgerBody))),
            .effect(.send(to: seller, .payment(payment))),
        ]
    }

    /// The timer that pays invoice `invoiceID` of `seller`.
    static func paymentTimer(_ invoiceID: String, seller: PartyID) -> TimerKey {
        TimerKey(buyer: seller, requestID: RequestID(invoiceID), purpose: .bbus(.paymentDue(invoiceID: invoiceID)))
    }

    /// Records an answer on the seller's ledger and sends it.
    private func answerSteps(_ answer: Reconciliation, seller: PartyID) -> [RoleStep] {
        [
            .effect(
                .record(
                    LedgerRecord(
                        counterparty: seller, kind: answer.entryKind, refs: ["invoice": answer.invoiceID],
                        body: answer.ledgerBody))),
            .effect(.send(to: seller, .reconciliation(answer))),
        ]
    }

    /// The B-BUS's timers that need the time: a payment falling due; the others go to `fire(_:key:)`.
    public mutating func fire(_ timer: BBUSTimer, key: RequestKey, now: Instant) -> [RoleStep] {
        switch timer {
        case .paymentDue(let invoiceID): pay(invoiceID, seller: key.buyer, now: now)
        case .responseDeadline: fire(timer, key: key)
        }
    }
}

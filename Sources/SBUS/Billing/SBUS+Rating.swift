import Ledger
import SupplyChain

/// Rating and invoicing (ETSI PDL §49–50, PDL-097..PDL-101): the S-BUS rates what each buyer under contract
/// consumed in a billing cycle against the buyer contract — recurring charges per item from activation to
/// disconnection, pro-rated by day, and one-off change fees — and issues one invoice per buyer and cycle, shaped as a
/// MEF billing v2 `CustomerBill`, recorded on the UBL and sent to the buyer.
extension SBUS {
    /// The timer that ends the billing cycles of `buyer`'s contract.
    static func billingTimer(_ buyer: PartyID) -> TimerKey {
        TimerKey(buyer: buyer, requestID: RequestID("billing"), purpose: .sbus(.billingCycle))
    }

    /// Notes what an event the SCO hands over means for the buyer's bill: an accepted order's prices, a
    /// service activated or ended, a change quoted or completed. Starts the cycle timer at the first service.
    mutating func rate(_ message: SCOToSBUS, now: Instant) -> [RoleStep] {
        switch message {
        case .changeCost(let key, _, let cost, _):
            guard accounts[key.buyer] != nil else { return [] }
            let fee = price(cost: cost, for: key.buyer)
            accounts[key.buyer]?.changeFees[key.orderID] = fee
            return []
        case .orderEvent(let key, _, let event, _):
            // Taken out of the table while it changes, and put back at the end: changed in place there, each
            // service added would copy the account's lists whole (every service the buyer ever had).
            guard var account = accounts.removeValue(forKey: key.buyer) else { return [] }
            var steps: [RoleStep] = []
            switch event {
            case .activated(let serviceID):
                guard let order = account.ordersInFulfilment.removeValue(forKey: key.orderID) else { break }
                account.services.append(
                    BillingAccount.RatedService(
                        serviceID: serviceID, orderID: key.orderID, prices: order.prices, activatedAt: now))
            case .outageScheduled(let from, let duration):
                account.pendingOutages[key.orderID] = (from, duration)
            case .changed(let serviceID):
                if let outage = account.pendingOutages.removeValue(forKey: key.orderID), outage.duration > .zero {
                    account.outages.append(
                        BillingAccount.Outage(
                            serviceID: serviceID, orderID: key.orderID, from: outage.from, duration: outage.duration))
                }
                guard let fee = account.changeFees.removeValue(forKey: key.orderID), fee.minorUnits != 0 else { break }
                account.oneOffs.append(
                    BillingAccount.OneOffCharge(serviceID: serviceID, orderID: key.orderID, fee: fee, at: now))
            case .disconnected(let serviceID):
                for index in account.services.indices
                where account.services[index].serviceID == serviceID && account.services[index].endedAt == nil {
                    account.services[index].endedAt = now
                }
            case .rejected, .failed:
                account.ordersInFulfilment.removeValue(forKey: key.orderID)
                account.changeFees.removeValue(forKey: key.orderID)
            default:
                break
            }
            if !account.cycleTimerSet, !account.services.isEmpty || !account.oneOffs.isEmpty {
                account.nextCycle = max(account.nextCycle, account.contract.cycle(containing: now))
                account.cycleTimerSet = true
                steps.append(
                    effect: .setTimer(Self.billingTimer(key.buyer), at: account.contract.period(account.nextCycle).end))
            }
            accounts[key.buyer] = account
            return steps
        case .orderClosed(let key):
            accounts[key.buyer]?.ordersInFulfilment.removeValue(forKey: key.orderID)
            return []
        case .serviceEvent(let buyer, let serviceID, _, .outageScheduled(let from, let duration)):
            // A repair outage is credited like a change's (the contract's SLA credit per started hour).
            guard duration > .zero, accounts[buyer] != nil else { return [] }
            accounts[buyer]?.outages.append(
                BillingAccount.Outage(
                    serviceID: serviceID, orderID: RequestID(InvoiceItem.repairOutage(from: from)), from: from,
                    duration: duration))
            return []
        case .report(let buyer, let report):
            // Metered traffic on the schedule agreed with the order: rated at the contract's usage rate. (The
            // account is not held in a local while its lists grow: that would copy them whole at every report.)
            let ratesUsage = accounts[buyer].map { $0.contract.usageRate != nil } ?? false
            if ratesUsage, report.billsUsage, let megabytes = report.usageMB {
                accounts[buyer]?.usage.append(
                    BillingAccount.Usage(
                        serviceID: report.serviceID, reportID: report.reportID, to: report.to, megabytes: megabytes))
            }
            // A scheduled report that breached an objective: the contract's breach credit (outages already credited
            // by the hour are not credited again).
            let earnsCredit = accounts[buyer].map { account in
                account.contract.slaCreditBasisPointsPerBreach > 0
                    && report.earnsBreachCredit(
                        outagesFrom: account.outages.filter { $0.serviceID == report.serviceID }.map(\.from)
                            .filter { _ in account.contract.slaCreditBasisPointsPerHour > 0 })
            }
            guard earnsCredit == true else { return [] }
            accounts[buyer]?.breaches.append(
                BillingAccount.Breach(serviceID: report.serviceID, reportID: report.reportID, to: report.to))
            return []
        case .serviceEvent(let buyer, let serviceID, _, .serviceTerminated):
            // A service terminated after a fault (ETSI PDL scenarios A–C) is billed until it ended.
            guard var account = accounts.removeValue(forKey: buyer) else { return [] }
            for index in account.services.indices
            where account.services[index].serviceID == serviceID && account.services[index].endedAt == nil {
                account.services[index].endedAt = now
            }
            accounts[buyer] = account
            return []
        default:
            return []  // answers to requests bill nothing
        }
    }

    /// Notes the monthly price of each item of an order accepted at the desk, for a buyer under contract.
    mutating func notePrices(of order: OrderPlacement) {
        guard accounts[order.key.buyer] != nil, let quote = quotes[order.quoteReference] else { return }
        let prices = order.elements.compactMap { element -> (String, Money)? in
            guard let price = quote.answers.first(where: { $0.itemID == element.itemID })?.offer?.price else {
                return nil
            }
            return (element.itemID, price)
        }
        accounts[order.key.buyer]?.ordersInFulfilment[order.key.orderID] = BillingAccount.PricedOrder(
            prices: prices.map { (itemID: $0.0, price: $0.1) })
    }

    /// The cycle ended: rate it, issue the invoice (when there is anything to bill), set the next cycle's timer.
    mutating func closeCycle(buyer: PartyID, now: Instant, ids: inout IDSequence) -> [RoleStep] {
        guard var account = accounts[buyer], account.cycleTimerSet else { return [] }
        let contract = account.contract
        let period = contract.period(account.nextCycle)
        guard now >= period.end else { return [] }
        var steps: [RoleStep] = []
        for index in account.credits.indices where account.credits[index].cycle == nil {
            account.credits[index].cycle = period.cycle
        }
        for index in account.breaches.indices
        where account.breaches[index].cycle == nil && account.breaches[index].to <= period.end {
            account.breaches[index].cycle = period.cycle
        }
        for index in account.usage.indices
        where account.usage[index].cycle == nil && account.usage[index].to <= period.end {
            account.usage[index].cycle = period.cycle
        }
        var items = Self.lines(for: period, account: account)
        items += account.carried
        account.carried = []
        if !items.isEmpty {
            // Credits beyond the charges: the document is a credit note (decision 12), which the buyer reconciles
            // like an invoice and which is deducted from the next invoice once agreed.
            let isCreditNote = items.map(\.amount.minorUnits).reduce(0, +) < 0
            let invoiceID = ids.next(isCreditNote ? "cn" : "bill")
            items = items.enumerated().map { $0.element.with(id: "\($0.offset + 1)") }
            // Injected fault: the first invoice to each buyer overcharges its first recurring line.
            if account.invoiceOrder.isEmpty, configuration.overchargeBasisPoints > 0,
                let index = items.firstIndex(where: { $0.chargeType == .recurring })
            {
                let inflated = items[index].amount.scaled(basisPoints: 10_000 + configuration.overchargeBasisPoints)
                items[index] = items[index].with(amount: inflated)
            }
            let invoice = Invoice(
                id: invoiceID, seller: party, buyer: buyer, billDate: now, period: period,
                paymentDueDate: now + .days(Int64(contract.terms.dueDays)), paymentMethod: contract.paymentMethod,
                currency: contract.currency, items: items, tax: contract.tax)
            account.issued[invoiceID] = BillingAccount.IssuedInvoice(invoice: invoice, state: .issued)
            account.invoiceOrder.append(invoiceID)
            steps += [
                .effect(
                    .record(
                        LedgerRecord(
                            counterparty: buyer, kind: isCreditNote ? .creditNote : .invoice,
                            refs: ["invoice": invoiceID], body: invoice.ledgerBody))),
                .effect(.send(to: buyer, .invoice(invoice))),
            ]
        }
        account.nextCycle += 1
        if account.hasMoreToBill {
            steps.append(effect: .setTimer(Self.billingTimer(buyer), at: contract.period(account.nextCycle).end))
        } else {
            account.cycleTimerSet = false
        }
        accounts[buyer] = account
        return steps
    }

    /// The lines of `period` from the account's facts, honestly rated (numbered later): each item of each service
    /// active in the period for the days it was active, then each one-off charge incurred in it.
    static func lines(for period: BillingPeriod, account: BillingAccount) -> [InvoiceItem] {
        var items: [InvoiceItem] = []
        for service in account.services {
            let days = period.billableDays(from: service.activatedAt, until: service.endedAt)
            guard days > 0 else { continue }
            var evidence = ["order.activated order=\(service.orderID.rawValue)"]
            if let ended = service.endedAt, ended < period.end {
                evidence.append("service.disconnected order=\(service.orderID.rawValue)")
            }
            for (itemID, price) in service.prices {
                items.append(
                    InvoiceItem(
                        id: "", chargeType: .recurring, product: service.serviceID,
                        productOrder: service.orderID.rawValue, productOrderItem: itemID,
                        description: "\(service.serviceID) item \(itemID): \(days) of 30 days at \(price) a month",
                        coverage: period, unit: "day", unitQuantity: days, unitRate: price,
                        amount: price.proRated(days: days), evidence: evidence))
            }
        }
        for charge in account.oneOffs where charge.at >= period.start && charge.at < period.end {
            items.append(
                InvoiceItem(
                    id: "", chargeType: .nonRecurring, product: charge.serviceID,
                    productOrder: charge.orderID.rawValue, productOrderItem: "change",
                    description: "\(charge.serviceID): change fee", coverage: period, unit: "each", unitQuantity: 1,
                    unitRate: charge.fee, amount: charge.fee,
                    evidence: [
                        "change.quoted order=\(charge.orderID.rawValue)",
                        "change.completed order=\(charge.orderID.rawValue)",
                    ]))
        }
        for outage in account.outages where outage.from >= period.start && outage.from < period.end {
            let hourly = account.contract.hourlyCredit(monthly: account.monthlyPrice(of: outage.serviceID))
            let hours = outage.duration.wholeHoursRoundedUp
            guard hourly.minorUnits > 0, hours > 0 else { continue }
            items.append(
                InvoiceItem(
                    id: "", chargeType: .nonRecurring, product: outage.serviceID,
                    productOrder: outage.orderID.rawValue, productOrderItem: InvoiceItem.outageCredit,
                    description: "\(outage.serviceID): SLA credit, \(hours) hour(s) of outage from \(outage.from)",
                    coverage: period, unit: "hour", unitQuantity: hours, unitRate: hourly,
                    amount: hourly.times(hours).negated,
                    evidence: [
                        outage.orderID.rawValue.hasPrefix("repair@")
                            ? "outage.scheduled service=\(outage.serviceID)"
                            : "change.outage_scheduled order=\(outage.orderID.rawValue)"
                    ]))
        }
        for breach in account.breaches where breach.cycle == period.cycle {
            let credit = account.contract.breachCredit(monthly: account.monthlyPrice(of: breach.serviceID))
            guard credit.minorUnits > 0 else { continue }
            items.append(
                InvoiceItem(
                    id: "", chargeType: .nonRecurring, product: breach.serviceID, productOrder: breach.reportID,
                    productOrderItem: InvoiceItem.breachCredit,
                    description: "\(breach.serviceID): SLA credit, report \(breach.reportID) breached its objectives",
                    coverage: period, unit: "each", unitQuantity: 1, unitRate: credit, amount: credit.negated,
                    evidence: ["report.delivered report=\(breach.reportID)"]))
        }
        // One usage line per service: the traffic of the reports billed in the cycle, in started gigabytes.
        let billedUsage = account.usage.filter { $0.cycle == period.cycle }
        var usageServices = Set<String>()
        for serviceID in billedUsage.map(\.serviceID) where usageServices.insert(serviceID).inserted {
            let reports = billedUsage.filter { $0.serviceID == serviceID }
            let megabytes = reports.map(\.megabytes).reduce(Int64(0)) { .saturating($0, plus: $1) }
            guard let rate = account.contract.usageRate,
                let (gigabytes, amount) = account.contract.usageCharge(megabytes: megabytes),
                let orderID = account.services.last(where: { $0.serviceID == serviceID })?.orderID
            else { continue }
            items.append(
                InvoiceItem(
                    id: "", chargeType: .usageBased, product: serviceID, productOrder: orderID.rawValue,
                    productOrderItem: InvoiceItem.usage,
                    description:
                        "\(serviceID): usage, \(megabytes) MB over \(reports.count) report(s), \(gigabytes) GB at \(rate) a GB",
                    coverage: period, unit: "GB", unitQuantity: gigabytes, unitRate: rate, amount: amount,
                    evidence: reports.map { "report.delivered report=\($0.reportID)" }))
        }
        for credit in account.credits where credit.cycle == period.cycle {
            items.append(
                InvoiceItem(
                    id: "", chargeType: .nonRecurring, product: credit.documentID, productOrder: credit.documentID,
                    productOrderItem: InvoiceItem.creditNoteApplied,
                    description: "credit note \(credit.documentID) deducted", coverage: period, unit: "each",
                    unitQuantity: 1, unitRate: credit.amount, amount: credit.amount.negated,
                    evidence: ["creditnote invoice=\(credit.documentID)", "invoice.final invoice=\(credit.documentID)"])
            )
        }
        return items
    }

    /// A line recomputed from the account's facts alone (what automatic dispute resolution does, PDL-103).
    static func recompute(_ line: InvoiceItem, account: BillingAccount) -> Money {
        lines(for: line.coverage, account: account).first { $0.chargeKey == line.chargeKey }?.amount
            ?? .zero(line.amount.currency)
    }
}

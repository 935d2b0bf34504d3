import Ledger
import SupplyChain

/// The seller's side of reconciliation (ETSI PDL §52–56, §60): the buyer's answer to an invoice, automatic
/// resolution of disputed lines from the co-signed ledger facts (PDL-103), open lines carried to the next cycle
/// (PDL-106), and the buyer's payments.
extension SBUS {
    /// The buyer answered an invoice: final, partial or disputed. Disputed lines are recomputed from the facts the
    /// S-BUS recorded on the ledger with the buyer; a line that was wrong is corrected, one that was right is
    /// upheld and stays open, carried to the next invoice. The resolution is recorded (`invoice.resolved`) and sent.
    public mutating func receive(_ reconciliation: Reconciliation, from buyer: PartyID, now: Instant) -> [RoleStep] {
        guard var account = accounts[buyer], var issued = account.issued[reconciliation.invoiceID] else { return [] }
        switch reconciliation.outcome {
        case .final: issued.state = .final
        case .partial: issued.state = .partial
        case .dispute: issued.state = .disputed
        }
        var lines: [DisputeResolution.Line] = []
        for disputed in reconciliation.disputed {
            guard let line = issued.invoice.items.first(where: { $0.id == disputed.itemID }) else { continue }
            let recomputed = Self.recompute(line, account: account)
            if recomputed != line.amount {
                lines.append(
                    DisputeResolution.Line(
                        itemID: line.id, chargeKey: line.chargeKey, recomputed: recomputed, corrected: true))
            } else if account.contract.manualResolution(of: line) == .buyer {
                // The facts uphold the line, but the parties settled it manually for the buyer's estimate.
                lines.append(
                    DisputeResolution.Line(
                        itemID: line.id, chargeKey: line.chargeKey, recomputed: disputed.estimate, corrected: true,
                        manual: true))
            } else {
                lines.append(
                    DisputeResolution.Line(
                        itemID: line.id, chargeKey: line.chargeKey, recomputed: recomputed, corrected: false))
                account.carried.append(line.with(carriedFrom: line.carriedFrom ?? issued.invoice.id))
            }
        }
        var creditSteps: [RoleStep] = []
        if reconciliation.outcome == .final, reconciliation.agreedAmount.minorUnits < 0,
            !account.credits.contains(where: { $0.documentID == reconciliation.invoiceID })
        {
            // An agreed credit note: deducted from the next invoice.
            account.credits.append(
                BillingAccount.Credit(
                    documentID: reconciliation.invoiceID, amount: reconciliation.agreedAmount.negated, cycle: nil))
            if !account.cycleTimerSet {
                account.cycleTimerSet = true
                creditSteps.append(
                    effect: .setTimer(Self.billingTimer(buyer), at: account.contract.period(account.nextCycle).end))
            }
        }
        account.issued[reconciliation.invoiceID] = issued
        accounts[buyer] = account
        if !creditSteps.isEmpty { return creditSteps }
        if reconciliation.outcome == .final, account.contract.netting {
            return [
                .message(
                    .sbusToBBUS(
                        .receivableFinal(
                            buyer: buyer, invoiceID: reconciliation.invoiceID, cycle: issued.invoice.period.cycle,
                            amount: reconciliation.agreedAmount)))
            ]
        }
        guard !lines.isEmpty else { return [] }
        let resolution = DisputeResolution(invoiceID: reconciliation.invoiceID, lines: lines, at: now)
        var steps: [RoleStep] = [
            .effect(
                .record(
                    LedgerRecord(
                        counterparty: buyer, kind: .invoiceResolved, refs: ["invoice": reconciliation.invoiceID],
                        body: resolution.ledgerBody))),
            .effect(.send(to: buyer, .disputeResolution(resolution))),
        ]
        // Open lines are billed again at the end of the next cycle, even when nothing else is.
        if !account.cycleTimerSet, !account.carried.isEmpty {
            accounts[buyer]?.cycleTimerSet = true
            steps.append(
                effect: .setTimer(Self.billingTimer(buyer), at: account.contract.period(account.nextCycle).end))
        }
        return steps
    }

    /// The buyer paid an invoice (its `payment` entry is on the ledger, countersigned by this provider).
    public mutating func receive(_ payment: Payment, from buyer: PartyID) -> [RoleStep] {
        guard accounts[buyer]?.issued[payment.invoiceID] != nil else { return [] }
        accounts[buyer]?.issued[payment.invoiceID]?.state = .settled
        return []
    }

    /// The invoices issued to `buyer`, oldest first, with their state (`issued`, `partial`, `disputed`, `final`,
    /// `settled`).
    public func invoices(to buyer: PartyID) -> [(invoice: Invoice, state: String)] {
        guard let account = accounts[buyer] else { return [] }
        return account.invoiceOrder.compactMap { id in
            account.issued[id].map { ($0.invoice, $0.state.rawValue) }
        }
    }
}

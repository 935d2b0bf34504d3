import CanonicalJSON
import Ledger
import SupplyChain

/// The money along the chain as a run recorded it: every invoice, the buyer's answers, the seller's resolutions and
/// the payments, gathered from the ledger entries the parties wrote (both drivers see the same entries).
public struct InvoiceTrail: Sendable {
    var invoices: [String: SimulationResult.InvoiceOutcome] = [:]
    var order: [String] = []

    public init() {}

    /// Notes one ledger entry; entries of other kinds are ignored.
    public mutating func note(_ record: LedgerRecord, by author: PartyID) {
        guard let kind = record.ledgerKind, let invoiceID = record.refs["invoice"] else { return }
        switch kind {
        case .invoice, .creditNote:
            guard let invoice = try? record.body.decode(Invoice.self) else { return }
            order.append(invoiceID)
            invoices[invoiceID] = SimulationResult.InvoiceOutcome(
                id: invoiceID, seller: invoice.seller.rawValue, buyer: invoice.buyer.rawValue,
                cycle: invoice.period.cycle + 1, billDate: invoice.billDate.description,
                dueDate: invoice.paymentDueDate.description, currency: invoice.currency,
                amountDue: invoice.amountDue.amount, lines: invoice.items.count,
                carriedLines: invoice.items.filter { $0.carriedFrom != nil }.count,
                paymentMethod: invoice.paymentMethod.description, creditNote: kind == .creditNote)
        case .invoiceFinal, .invoicePartial, .invoiceDispute:
            guard let answer = try? record.body.decode(Reconciliation.self) else { return }
            invoices[invoiceID]?.answers.append(answer.outcome.rawValue)
            invoices[invoiceID]?.disputedLines += answer.disputed.count
            if answer.outcome == .final { invoices[invoiceID]?.finalAmount = answer.agreedAmount.amount }
        case .invoiceResolved:
            guard let resolution = try? record.body.decode(DisputeResolution.self) else { return }
            invoices[invoiceID]?.correctedLines += resolution.lines.filter(\.corrected).count
            invoices[invoiceID]?.upheldLines += resolution.lines.filter { !$0.corrected }.count
        case .netting:
            guard let statement = try? record.body.decode(NettingStatement.self) else { return }
            invoices[statement.payableInvoice]?.nettedWith = statement.receivableInvoice
            invoices[statement.receivableInvoice]?.nettedWith = statement.payableInvoice
            invoices[statement.payableInvoice]?.net = statement.net.amount
        case .payment:
            guard let payment = try? record.body.decode(Payment.self) else { return }
            invoices[invoiceID]?.paid = payment.amount.amount
            invoices[invoiceID]?.paidAt = payment.paidAt.description
            invoices[invoiceID]?.daysLate = payment.isLate ? (payment.paidAt - payment.dueDate).wholeDaysRoundedUp : 0
        default:
            return
        }
    }

    /// The invoices in the order they were issued.
    public var outcomes: [SimulationResult.InvoiceOutcome] { order.compactMap { invoices[$0] } }
}

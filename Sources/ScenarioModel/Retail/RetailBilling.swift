import Ledger
import SupplyChain

/// A retail buyer under contract with its seller, as a pure decision shared by both drivers (the simulator and
/// `broker cluster`): it has no B-BUS of its own, so it accepts every invoice as issued (`invoice.final`) and pays
/// it on the due date, or late by the contract's injected `paymentDelay`. The driver records each answer on the
/// buyer's ledger and sends it, and makes the payment at `payAt`.
public enum RetailBilling {
    /// What a retail buyer does with one invoice.
    public struct Answer: Sendable {
        /// The answer to send the seller, recorded first on the buyer's ledger as `record`.
        public let reconciliation: Reconciliation
        public let record: LedgerRecord
        /// The payment to make at `payAt` (no later than now), when anything is due.
        public let payment: Payment?
        public let payAt: Instant
    }

    /// The answer to `invoice` from `seller`, or nil when the buyer has no contract with it.
    public static func answer(
        _ invoice: Invoice, from seller: PartyID, contracts: [TradingContract], now: Instant
    ) -> Answer? {
        let buyer = invoice.buyer
        guard let contract = contracts.first(where: { $0.seller == seller && $0.buyer == buyer }) else { return nil }
        let reconciliation = Reconciliation(
            invoiceID: invoice.id, outcome: .final, agreedItems: invoice.items.map(\.id),
            agreedAmount: invoice.amountDue, disputed: [], at: now)
        let record = LedgerRecord(
            counterparty: seller, kind: reconciliation.entryKind, refs: ["invoice": invoice.id],
            body: reconciliation.ledgerBody)
        guard invoice.amountDue.minorUnits > 0 else {
            return Answer(reconciliation: reconciliation, record: record, payment: nil, payAt: now)
        }
        let paidAt = invoice.paymentDueDate + contract.paymentDelay
        let payment = Payment(
            invoiceID: invoice.id, amount: invoice.amountDue, method: contract.paymentMethod,
            dueDate: invoice.paymentDueDate, paidAt: paidAt)
        return Answer(reconciliation: reconciliation, record: record, payment: payment, payAt: max(paidAt, now))
    }

    /// The `payment` entry a retail buyer records with `seller` before it sends the payment.
    public static func record(_ payment: Payment, seller: PartyID) -> LedgerRecord {
        LedgerRecord(
            counterparty: seller, kind: .payment, refs: ["invoice": payment.invoiceID], body: payment.ledgerBody)
    }
}

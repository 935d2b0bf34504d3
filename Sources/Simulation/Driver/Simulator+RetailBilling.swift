import Ledger
import ScenarioModel
import SupplyChain

/// A retail buyer under contract with its seller: it has no B-BUS of its own, so it accepts every invoice as
/// issued (`invoice.final`) and pays it on the due date, or late by the contract's injected `paymentDelay`.
extension Simulator {
    func retailInvoice(_ invoice: Invoice, from seller: PartyID) {
        let buyer = invoice.buyer
        guard let contract = plan.contracts.first(where: { $0.seller == seller && $0.buyer == buyer }) else { return }
        let answer = Reconciliation(
            invoiceID: invoice.id, outcome: .final, agreedItems: invoice.items.map(\.id),
            agreedAmount: invoice.amountDue, disputed: [], at: now)
        record(
            LedgerRecord(
                counterparty: seller, kind: answer.entryKind, refs: ["invoice": invoice.id], body: answer.ledgerBody),
            by: buyer)
        send(.reconciliation(answer), from: buyer, to: seller)
        guard invoice.amountDue.minorUnits > 0 else { return }
        let paidAt = invoice.paymentDueDate + contract.paymentDelay
        let payment = Payment(
            invoiceID: invoice.id, amount: invoice.amountDue, method: contract.paymentMethod,
            dueDate: invoice.paymentDueDate, paidAt: paidAt)
        queue.schedule(.retailPayment(buyer: buyer, seller: seller, payment), at: max(paidAt, now))
    }

    func retailPays(_ payment: Payment, buyer: PartyID, seller: PartyID) {
        record(
            LedgerRecord(
                counterparty: seller, kind: .payment, refs: ["invoice": payment.invoiceID], body: payment.ledgerBody),
            by: buyer)
        send(.payment(payment), from: buyer, to: seller)
    }
}

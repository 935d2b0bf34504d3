import Ledger
import ScenarioModel
import SupplyChain

/// A retail buyer under contract with its seller: it accepts every invoice as issued and pays it on the due date,
/// or late by the contract's injected `paymentDelay` (`RetailBilling` decides, as for `broker cluster`).
extension Simulator {
    func retailInvoice(_ invoice: Invoice, from seller: PartyID) {
        let buyer = invoice.buyer
        guard let answer = RetailBilling.answer(invoice, from: seller, contracts: plan.contracts, now: now) else {
            return
        }
        record(answer.record, by: buyer)
        send(.reconciliation(answer.reconciliation), from: buyer, to: seller)
        guard let payment = answer.payment else { return }
        queue.schedule(.retailPayment(buyer: buyer, seller: seller, payment), at: answer.payAt)
    }

    func retailPays(_ payment: Payment, buyer: PartyID, seller: PartyID) {
        record(RetailBilling.record(payment, seller: seller), by: buyer)
        send(.payment(payment), from: buyer, to: seller)
    }
}

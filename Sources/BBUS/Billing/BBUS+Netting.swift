import Ledger
import SupplyChain

/// Netting between parties that trade both ways (PDL-110, decision 14): only final amounts, in the same currency
/// and billing cycle. Net = owed(A→B) − owed(B→A); the larger debtor records the statement on their ledger and pays
/// the net; on a tie the party with the smaller id records it and nobody pays.
extension BBUS {
    /// What the S-BUS says: an invoice this provider issued to one of its sellers became final.
    public mutating func handle(_ message: SBUSToBBUS) -> [RoleStep] {
        switch message {
        case .receivableFinal(let buyer, let invoiceID, let cycle, let amount):
            guard configuration.contracts[buyer]?.netting == true else { return [] }
            purchases.receivables[buyer, default: [:]][cycle] = (invoiceID, amount)
            return []
        }
    }

    /// The netting of a payable invoice against what its seller owes this provider for the same cycle and
    /// currency, or nil when there is nothing final to net it with.
    func netting(_ payable: PurchaseBook.Payable, seller: PartyID) -> NettingStatement? {
        let invoice = payable.invoice
        guard payable.open.isEmpty, let receivable = purchases.receivables[seller]?[invoice.period.cycle],
            receivable.amount.currency == invoice.currency
        else { return nil }
        let owed = payable.agreedAmount
        let thisPays = owed > receivable.amount || (owed == receivable.amount && party < seller)
        return thisPays
            ? NettingStatement(
                payer: party, payee: seller, cycle: invoice.period.cycle, currency: invoice.currency,
                payableInvoice: invoice.id, owedByPayer: owed, receivableInvoice: receivable.invoiceID,
                owedToPayer: receivable.amount)
            : NettingStatement(
                payer: seller, payee: party, cycle: invoice.period.cycle, currency: invoice.currency,
                payableInvoice: receivable.invoiceID, owedByPayer: receivable.amount, receivableInvoice: invoice.id,
                owedToPayer: owed)
    }
}

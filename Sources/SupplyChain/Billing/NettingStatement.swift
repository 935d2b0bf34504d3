import CanonicalJSON
import Ledger

/// What two parties that trade both ways owe each other for one period and currency, netted (PDL-110, decision 14):
/// Net = owed(A→B) − owed(B→A); the larger debtor records the statement on their ledger and pays the net alone.
public struct NettingStatement: Codable, Sendable, Hashable {
    /// The party that records the statement and pays the net (the larger debtor).
    public let payer: PartyID
    public let payee: PartyID
    /// The billing cycle (from 0) and currency both invoices share.
    public let cycle: Int
    public let currency: String
    /// The payer's invoice from the payee, with its final amount.
    public let payableInvoice: String
    public let owedByPayer: Money
    /// The payee's invoice from the payer, with its final amount.
    public let receivableInvoice: String
    public let owedToPayer: Money

    public init(
        payer: PartyID, payee: PartyID, cycle: Int, currency: String, payableInvoice: String, owedByPayer: Money,
        receivableInvoice: String, owedToPayer: Money
    ) {
        self.payer = payer
        self.payee = payee
        self.cycle = cycle
        self.currency = currency
        self.payableInvoice = payableInvoice
        self.owedByPayer = owedByPayer
        self.receivableInvoice = receivableInvoice
        self.owedToPayer = owedToPayer
    }

    /// What the payer pays: owed(payer→payee) − owed(payee→payer), never negative.
    public var net: Money {
        Money(minorUnits: owedByPayer.minorUnits - owedToPayer.minorUnits, currency: currency)
    }

    public var ledgerBody: JSONValue {
        var body = (try? JSONValue(encoding: self))?.objectValue ?? [:]
        body["net"] = (try? JSONValue(encoding: net)) ?? .null
        return .object(body)
    }
}

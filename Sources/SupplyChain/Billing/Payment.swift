import CanonicalJSON
import Ledger

/// A payment of an invoice's agreed amount (PDL-107..PDL-109), in the contracted method, against its due date.
public struct Payment: Codable, Sendable, Hashable {
    public let invoiceID: String
    public let amount: Money
    public let method: PaymentMethod
    public let dueDate: Instant
    public let paidAt: Instant
    /// The netting statement this payment settles instead of the gross amount, when the parties net (PDL-110).
    public let netting: String?

    public init(
        invoiceID: String, amount: Money, method: PaymentMethod, dueDate: Instant, paidAt: Instant,
        netting: String? = nil
    ) {
        self.invoiceID = invoiceID
        self.amount = amount
        self.method = method
        self.dueDate = dueDate
        self.paidAt = paidAt
        self.netting = netting
    }

    /// Paid after the due date.
    public var isLate: Bool { paidAt > dueDate }

    /// The ledger body of a `payment` entry, with `late` and the days late spelt out for auditors.
    public var ledgerBody: JSONValue {
        var body = (try? JSONValue(encoding: self))?.objectValue ?? [:]
        body["late"] = .bool(isLate)
        body["daysLate"] = .number(Double(isLate ? (paidAt - dueDate).wholeDaysRoundedUp : 0))
        return .object(body)
    }
}

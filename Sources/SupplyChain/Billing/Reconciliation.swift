import CanonicalJSON
import Ledger

/// The buyer's answer to an invoice after comparing it line by line with its own estimate (ETSI PDL §52–56).
public struct Reconciliation: Codable, Sendable, Hashable {
    /// What the buyer concluded.
    public enum Outcome: String, Codable, Sendable, Hashable {
        /// Every line within the threshold: the invoice is final as issued (PDL-104).
        case final
        /// Some lines agreed and final, the disputed ones open (PDL-105, PDL-106).
        case partial
        /// Every line disputed.
        case dispute
    }

    /// One line the buyer disputes: what it was invoiced and what the buyer's own records give.
    public struct DisputedLine: Codable, Sendable, Hashable {
        public let itemID: String
        public let chargeKey: String
        public let invoiced: Money
        public let estimate: Money
        public let reason: String

        public init(itemID: String, chargeKey: String, invoiced: Money, estimate: Money, reason: String) {
            self.itemID = itemID
            self.chargeKey = chargeKey
            self.invoiced = invoiced
            self.estimate = estimate
            self.reason = reason
        }
    }

    public let invoiceID: String
    public let outcome: Outcome
    /// The lines agreed, by their number on the invoice.
    public let agreedItems: [String]
    /// The agreed amount: the sum of the agreed lines.
    public let agreedAmount: Money
    public let disputed: [DisputedLine]
    public let at: Instant

    public init(
        invoiceID: String, outcome: Outcome, agreedItems: [String], agreedAmount: Money, disputed: [DisputedLine],
        at: Instant
    ) {
        self.invoiceID = invoiceID
        self.outcome = outcome
        self.agreedItems = agreedItems
        self.agreedAmount = agreedAmount
        self.disputed = disputed
        self.at = at
    }

    /// The ledger kind that records this answer (decision 12).
    public var entryKind: LedgerKind {
        switch outcome {
        case .final: .invoiceFinal
        case .partial: .invoicePartial
        case .dispute: .invoiceDispute
        }
    }

    public var ledgerBody: JSONValue { (try? JSONValue(encoding: self)) ?? .null }
}

/// The seller's automatic resolution of disputed lines (PDL-103): each line recomputed from the co-signed ledger
/// facts both parties hold. A corrected line replaces the invoiced one; an upheld line stays open and is carried to
/// the next cycle (PDL-106).
public struct DisputeResolution: Codable, Sendable, Hashable {
    public struct Line: Codable, Sendable, Hashable {
        public let itemID: String
        public let chargeKey: String
        /// The amount recomputed from the ledger facts.
        public let recomputed: Money
        /// Whether the seller corrects the line to the recomputed amount (otherwise it upholds what it invoiced).
        public let corrected: Bool
        /// True when the amount is the parties' manual decision (the buyer's estimate), not the ledger facts'.
        public let manual: Bool?

        public init(itemID: String, chargeKey: String, recomputed: Money, corrected: Bool, manual: Bool? = nil) {
            self.itemID = itemID
            self.chargeKey = chargeKey
            self.recomputed = recomputed
            self.corrected = corrected
            self.manual = manual
        }
    }

    public let invoiceID: String
    public let lines: [Line]
    public let at: Instant

    public init(invoiceID: String, lines: [Line], at: Instant) {
        self.invoiceID = invoiceID
        self.lines = lines
        self.at = at
    }

    public var ledgerBody: JSONValue { (try? JSONValue(encoding: self)) ?? .null }
}

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

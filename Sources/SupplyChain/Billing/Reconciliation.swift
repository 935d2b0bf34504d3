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

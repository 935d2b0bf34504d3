import CanonicalJSON
import Ledger

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

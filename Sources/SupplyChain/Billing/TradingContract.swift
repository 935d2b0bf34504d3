import Ledger

/// The commercial terms of one trading relationship (a seller and its buyer): what the seller's invoices say and
/// how the buyer checks and pays them (ETSI PDL §47–64). Both parties hold the same contract, so the seller's
/// rating and the buyer's estimate use the same cycle and the same rules.
public struct TradingContract: Codable, Sendable, Hashable {
    public let seller: PartyID
    public let buyer: PartyID
    /// The invoice currency (ISO 4217): every amount on an invoice is in it.
    public let currency: String
    /// The billing cycle and the days to pay ("30x15", decision 15).
    public let terms: PaymentTerms
    /// How the buyer pays (PDL-101, PDL-107, PDL-108): a descriptor, no payment network is called.
    public let paymentMethod: PaymentMethod
    /// The buyer's dispute threshold (decision 13).
    public let disputeThreshold: DisputeThreshold
    /// Whether the two parties net what they owe each other per period and currency (PDL-110).
    public let netting: Bool
    /// The instant the first billing cycle starts; cycle k covers `[anchor + k × cycle, anchor + (k+1) × cycle)`.
    public let anchor: Instant
    /// Injected behaviour: the buyer pays this long after the due date (a late payment); zero pays on the day.
    public let paymentDelay: TimeSpan
    /// How the parties settle a line the automatic resolution upholds against the buyer's records (PDL-103,
    /// "manually"): nil leaves it open, carried from cycle to cycle (PDL-106).
    public let manualResolution: ManualResolution?

    /// The outcome of the parties' manual resolution of a disputed line the ledger facts cannot settle.
    public enum ManualResolution: String, Codable, Sendable, Hashable, CaseIterable {
        /// The seller's amount stands: the buyer agrees the line when it is carried to the next invoice.
        case seller
        /// The buyer's estimate stands: the seller corrects the line to it instead of carrying it.
        case buyer
    }

    public init(
        seller: PartyID, buyer: PartyID, currency: String = "EUR", terms: PaymentTerms = .standard,
        paymentMethod: PaymentMethod? = nil, disputeThreshold: DisputeThreshold = .exact, netting: Bool = false,
        anchor: Instant, paymentDelay: TimeSpan = .zero, manualResolution: ManualResolution? = nil
    ) {
        self.manualResolution = manualResolution
        self.seller = seller
        self.buyer = buyer
        self.currency = currency
        self.terms = terms
        self.paymentMethod = paymentMethod ?? PaymentMethod(kind: .fiat, asset: currency, network: nil)
        self.disputeThreshold = disputeThreshold
        self.netting = netting
        self.anchor = anchor
        self.paymentDelay = paymentDelay
    }

    /// The billing period with index `cycle` (0 is the first).
    public func period(_ cycle: Int) -> BillingPeriod {
        let length = TimeSpan.days(Int64(terms.cycleDays))
        let start = anchor + TimeSpan(milliseconds: length.milliseconds * Int64(cycle))
        return BillingPeriod(cycle: cycle, start: start, end: start + length)
    }

    /// The index of the cycle that contains `instant` (0 for instants before the anchor).
    public func cycle(containing instant: Instant) -> Int {
        guard instant > anchor else { return 0 }
        let length = TimeSpan.days(Int64(terms.cycleDays)).milliseconds
        return Int((instant - anchor).milliseconds / length)
    }
}

/// Payment terms written "AxB" (Table 4 of the standard, read as decision 15 does): an A-day billing cycle with
/// payment due B days after the bill.
public struct PaymentTerms: Codable, Sendable, Hashable, CustomStringConvertible {
    public let cycleDays: Int
    public let dueDays: Int

    public init(cycleDays: Int, dueDays: Int) {
        self.cycleDays = cycleDays
        self.dueDays = dueDays
    }

    /// "30x30": a 30-day cycle, payment due 30 days after the bill.
    public static let standard = PaymentTerms(cycleDays: 30, dueDays: 30)

    /// Reads "30x15"; nil unless both numbers are whole, the cycle 1–366 days and the due days 0–366.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let cycle = Int(parts[0]), let due = Int(parts[1]), (1...366).contains(cycle),
            (0...366).contains(due)
        else { return nil }
        self.init(cycleDays: cycle, dueDays: due)
    }

    public var description: String { "\(cycleDays)x\(dueDays)" }
}

/// How an invoice is paid (PDL-101, PDL-107): fiat, stablecoin or crypto, as a descriptor the invoice and the
/// payment entries carry. MEF billing v2 has no stablecoin or crypto method (decision 12), hence this type.
public struct PaymentMethod: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case fiat, stablecoin, crypto
    }

    public let kind: Kind
    /// The currency or token paid: `EUR`, `USDC`, `BTC`.
    public let asset: String
    /// Where it is paid: a bank scheme (`SEPA`) or a chain (`ethereum`); nil when the contract does not say.
    public let network: String?

    public init(kind: Kind, asset: String, network: String?) {
        self.kind = kind
        self.asset = asset
        self.network = network
    }

    public var description: String { "\(kind.rawValue) \(asset)" + (network.map { " on \($0)" } ?? "") }
}

/// When a difference between an invoiced line and the buyer's estimate is actionable (decision 13): when
/// |invoiced − estimate| > max(absolute, relative × |estimate|).
public struct DisputeThreshold: Codable, Sendable, Hashable {
    /// In minor units of the invoice currency.
    public let absoluteMinorUnits: Int64
    /// In basis points of the estimate (100 = 1 %).
    public let relativeBasisPoints: Int64

    public init(absoluteMinorUnits: Int64, relativeBasisPoints: Int64) {
        self.absoluteMinorUnits = absoluteMinorUnits
        self.relativeBasisPoints = relativeBasisPoints
    }

    /// Any difference, however small, is actionable.
    public static let exact = DisputeThreshold(absoluteMinorUnits: 0, relativeBasisPoints: 0)

    /// The largest difference tolerated for a line estimated at `estimate`, in minor units.
    public func tolerance(for estimate: Money) -> Int64 {
        let magnitude = estimate.minorUnits == .min ? Int64.max : abs(estimate.minorUnits)
        let relative = Money(minorUnits: magnitude).scaled(basisPoints: relativeBasisPoints).minorUnits
        return max(absoluteMinorUnits, relative)
    }

    /// Whether the invoiced amount differs from the estimate by more than the tolerance.
    public func isActionable(invoiced: Money, estimate: Money) -> Bool {
        let (difference, overflow) = invoiced.minorUnits.subtractingReportingOverflow(estimate.minorUnits)
        return overflow || difference.magnitude > UInt64(tolerance(for: estimate))
    }
}

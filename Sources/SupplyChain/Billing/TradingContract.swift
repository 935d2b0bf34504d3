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
    /// The SLA credit for outages: per started hour of a service's outage, this share of its monthly price, in
    /// basis points (0: none).
    public let slaCreditBasisPointsPerHour: Int64
    /// The SLA credit for performance: per scheduled report that breached an objective (PDL-111's comparison of
    /// measurement and commitment), this share of the service's monthly price, in basis points (0: none).
    public let slaCreditBasisPointsPerBreach: Int64
    /// The tax on every invoice (nil: none): the seller adds it, the buyer pays it at this rate.
    public let tax: InvoiceTax?
    /// The price of a gigabyte of metered traffic (usage-based charging, §49's rated utilization records); nil: no
    /// usage is charged.
    public let usageRate: Money?
    /// The parties' manual decisions on single disputed lines (PDL-103, "manually"), before `manualResolution`.
    public let manualDecisions: [ManualDecision]?

    /// The outcome of the parties' manual resolution of a disputed line the ledger facts cannot settle.
    public enum ManualResolution: String, Codable, Sendable, Hashable, CaseIterable {
        /// The seller's amount stands: the buyer agrees the line when it is carried to the next invoice.
        case seller
        /// The buyer's estimate stands: the seller corrects the line to it instead of carrying it.
        case buyer
    }

    /// The parties' manual decision on a disputed line: the charge of one service in one billing cycle, for one
    /// ordered item or every line of the service.
    public struct ManualDecision: Codable, Sendable, Hashable {
        /// The seller's service id the line charges for (the invoice line's `product`).
        public let service: String
        /// The billing cycle the line covers (0 is the first).
        public let cycle: Int
        /// The line's `productOrderItem` (the ordered item of a recurring line, `usage`, `change` …); nil: every line
        /// of the service in the cycle.
        public let item: String?
        public let decision: ManualResolution

        public init(service: String, cycle: Int, item: String? = nil, decision: ManualResolution) {
            self.service = service
            self.cycle = cycle
            self.item = item
            self.decision = decision
        }

        /// Whether the decision is about `line`.
        public func covers(_ line: InvoiceItem) -> Bool {
            service == line.product && cycle == line.coverage.cycle
                && (item.map { $0 == line.productOrderItem } ?? true)
        }
    }

    public init(
        seller: PartyID, buyer: PartyID, currency: String = "EUR", terms: PaymentTerms = .standard,
        paymentMethod: PaymentMethod? = nil, disputeThreshold: DisputeThreshold = .exact, netting: Bool = false,
        anchor: Instant, paymentDelay: TimeSpan = .zero, manualResolution: ManualResolution? = nil,
        slaCreditBasisPointsPerHour: Int64 = 0, slaCreditBasisPointsPerBreach: Int64 = 0, tax: InvoiceTax? = nil,
        usageRate: Money? = nil, manualDecisions: [ManualDecision] = []
    ) {
        self.tax = tax
        self.usageRate = usageRate
        self.manualDecisions = manualDecisions.isEmpty ? nil : manualDecisions
        self.slaCreditBasisPointsPerBreach = slaCreditBasisPointsPerBreach
        self.manualResolution = manualResolution
        self.slaCreditBasisPointsPerHour = slaCreditBasisPointsPerHour
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

    /// The SLA credit per started hour of outage on a service of `monthly` price (a positive amount; zero when
    /// the contract gives none).
    public func hourlyCredit(monthly: Money) -> Money {
        monthly.scaled(basisPoints: slaCreditBasisPointsPerHour)
    }

    /// The SLA credit for one breached report on a service of `monthly` price (positive; zero when none).
    public func breachCredit(monthly: Money) -> Money {
        monthly.scaled(basisPoints: slaCreditBasisPointsPerBreach)
    }

    /// How the parties settled `line` manually, if they did: their first decision that covers it, else the
    /// contract's rule for every line.
    public func manualResolution(of line: InvoiceItem) -> ManualResolution? {
        manualDecisions?.first { $0.covers(line) }?.decision
            ?? manualResolution
    }

    /// The usage line's quantity and amount for `megabytes` of traffic: whole gigabytes, a started one counting (1
    /// GB = 1,000 MB), at the contract's rate; nil when the contract charges no usage.
    public func usageCharge(megabytes: Int64) -> (gigabytes: Int, amount: Money)? {
        guard let usageRate else { return nil }
        let gigabytes = Self.startedGigabytes(megabytes)
        return (gigabytes, usageRate.times(gigabytes))
    }

    /// Megabytes of traffic in started gigabytes (1 GB = 1,000 MB): what a usage line's quantity is.
    public static func startedGigabytes(_ megabytes: Int64) -> Int {
        Int((min(max(0, megabytes), Int64.max - 999) + 999) / 1_000)
    }

    /// The index of the cycle that contains `instant` (0 for instants before the anchor).
    public func cycle(containing instant: Instant) -> Int {
        guard instant > anchor else { return 0 }
        let length = TimeSpan.days(Int64(terms.cycleDays)).milliseconds
        return Int((instant - anchor).milliseconds / length)
    }
}

/// The contract of one trading relationship in a scenario file (`contracts:`): what the seller's invoices say and
/// how the buyer checks and pays them. Every field but the two parties has a default; see README, "Contracts".
extension Scenario {
    public struct ContractSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "seller": .value, "buyer": .value, "currency": .value, "paymentTerms": .value,
            "paymentMethod": .section(PaymentMethodSpec.self), "disputeThreshold": .section(ThresholdSpec.self),
            "netting": .value, "paymentDelay": .value, "manualResolution": .value,
            "slaCreditPerHour": .value, "slaCreditPerBreach": .value, "tax": .section(TaxSpec.self),
            "usageRate": .value, "manualDecisions": .list(.section(ManualDecisionSpec.self)),
        ]

        /// The provider that invoices.
        public var seller: String
        /// The provider or retail buyer that is invoiced.
        public var buyer: String
        /// ISO 4217 code; default the scenario's `defaults.currency` (EUR).
        public var currency: String?
        /// "AxB": an A-day billing cycle, payment due B days after the bill; default "30x30".
        public var paymentTerms: String?
        public var paymentMethod: PaymentMethodSpec?
        public var disputeThreshold: ThresholdSpec?
        /// Net what the two parties owe each other per period and currency; default false.
        public var netting: Bool?
        /// Injected behaviour: the buyer pays this long after each due date (a late payment); default on time.
        public var paymentDelay: DurationText?
        /// How the parties settle a line the ledger facts uphold against the buyer: seller or buyer; default none
        /// (it stays open, carried from cycle to cycle).
        public var manualResolution: String?
        /// The SLA credit per started hour of a service's outage, as a share of its monthly price; default none.
        public var slaCreditPerHour: Percentage?
        /// The SLA credit per scheduled performance report that breached an objective, as a share of the service's
        /// monthly price; default none.
        public var slaCreditPerBreach: Percentage?
        /// `{ rate: 20%, category: VAT }`: the tax on every invoice; default none.
        public var tax: TaxSpec?
        /// The price of a gigabyte of metered traffic (the seller's catalog `usagePerDay`), charged per started GB
        /// on a usage line each cycle; default none (usage is not charged).
        public var usageRate: Double?
        /// The parties' manual decisions on single disputed lines, by service and cycle, before `manualResolution`.
        public var manualDecisions: [ManualDecisionSpec]?
    }

    /// `{ service: CARRIER-svc-5, cycle: 0, item: a, decision: buyer }`: how the parties settled the disputed line
    /// of one service's item (or, without `item`, every line of the service) in one billing cycle (0 is the first).
    public struct ManualDecisionSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "service": .value, "cycle": .value, "item": .value, "decision": .value,
        ]

        public var service: String
        public var cycle: Int
        public var item: String?
        public var decision: String
    }

    /// `{ rate: 20%, category: VAT }`.
    public struct TaxSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = ["rate": .value, "category": .value]

        public var rate: Percentage
        /// Default `VAT`.
        public var category: String?
    }

    /// `{ kind: stablecoin, asset: USDC, network: ethereum }`; default fiat in the contract's currency.
    public struct PaymentMethodSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = ["kind": .value, "asset": .value, "network": .value]

        public var kind: String?
        public var asset: String?
        public var network: String?
    }

    /// `{ absolute: 5.00, relative: 1% }`: a line is disputed when it differs from the buyer's estimate by more
    /// than both; default 0 and 0 (any difference).
    public struct ThresholdSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = ["absolute": .value, "relative": .value]

        public var absolute: Double?
        public var relative: Percentage?
    }
}

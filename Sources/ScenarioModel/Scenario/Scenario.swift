import CanonicalJSON
import Foundation

/// A scenario file: providers, their catalogs and sellers, retail demand over time, injected behaviour, and the
/// expectations the run checks. See README.md, "Scenario format".
public struct Scenario: Decodable, Sendable, KnownKeys {
    public static let knownKeys: [String: KeyShape] = [
        "name": .value, "description": .value, "seed": .value, "start": .value, "defaults": .section(Defaults.self),
        "providers": .list(.section(ProviderSpec.self)), "links": .list(.section(LinkSpec.self)),
        "demand": .list(.section(DemandSpec.self)), "expect": .list(.section(Expectation.self)), "runFor": .value,
        "faults": .list(.section(FaultSpec.self)), "tickets": .list(.section(TicketSpec.self)),
        "reportRequests": .list(.section(ReportRequestSpec.self)),
        "contracts": .list(.section(ContractSpec.self)),
    ]

    public var name: String
    public var description: String?
    /// The seed of every random choice (loop-list salts, keys): the same seed gives the same ledger head hashes.
    public var seed: UInt64?
    /// Virtual time zero, RFC 3339.
    public var start: String?
    public var defaults: Defaults?
    public var providers: [ProviderSpec]
    public var links: [LinkSpec]?
    public var demand: [DemandSpec]
    public var expect: [Expectation]?
    /// Elements of services that fail, where and when, and what each provider decides (ETSI PDL §25).
    public var faults: [FaultSpec]?
    /// Trouble tickets the retail buyers open on their services.
    public var tickets: [TicketSpec]?
    /// On-demand performance reports the retail buyers ask for.
    public var reportRequests: [ReportRequestSpec]?
    /// How long virtual time runs after the last demand (renewals would otherwise go on forever); default 3 years.
    public var runFor: DurationText?
    /// The contract of each billed trading relationship (rating, invoices, reconciliation, payment).
    public var contracts: [ContractSpec]?

    public struct Defaults: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "latency": .value, "processingTime": .value, "quoteValidity": .value, "currency": .value,
            "behaviour": .section(Behaviour.self),
        ]

        public var latency: DurationText?
        public var processingTime: DurationText?
        public var quoteValidity: DurationText?
        public var currency: String?
        /// Behaviour of every provider that does not say otherwise, key by key (the stochastic keys above all).
        public var behaviour: Behaviour?
    }

    public struct ProviderSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "id": .value, "markup": .value, "discounts": .value, "processingTime": .value, "quoteValidity": .value,
            "sellers": .list(.section(SellerSpec.self)), "ranking": .value, "behaviour": .section(Behaviour.self),
            "catalog": .list(.section(CatalogSpec.self)), "minimumReputation": .value,
            "publishReputationEvery": .value,
        ]

        public var id: String
        public var markup: Percentage?
        public var discounts: [String: Percentage]?
        public var processingTime: DurationText?
        public var quoteValidity: DurationText?
        public var sellers: [SellerSpec]?
        public var ranking: [String]?
        public var behaviour: Behaviour?
        public var catalog: [CatalogSpec]?
        /// Sellers whose SLA reputation (as this provider computes it from their reports) is below this are not
        /// asked: 7.0.
        public var minimumReputation: Double?
        /// The shortest time between two publications of this provider's SLA reputation on its omni-lateral
        /// ledger: 1d by default.
        public var publishReputationEvery: DurationText?
    }

    /// A seller this provider buys from: its id, or `{ id: FAR, offerings: [TRANSIT] }` when the relationship
    /// covers only some offerings.
    public struct SellerSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = ["id": .value, "offerings": .value]

        public var id: String
        public var offerings: [String]?

        private enum CodingKeys: String, CodingKey { case id, offerings }

        public init(from decoder: any Decoder) throws {
            if let id = try? decoder.singleValueContainer().decode(String.self) {
                self.id = id
                self.offerings = nil
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            offerings = try container.decodeIfPresent([String].self, forKey: .offerings)
        }
    }

    /// Injected behaviour: a seller that never answers, or one that answers late; fixed or drawn from the run's
    /// seed (`delay` as a distribution, `silence`, `activationFailure`, `capacity`).
    public struct Behaviour: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "silent": .value, "delay": .section(DelaySpec.self), "chainTestFails": .value, "overcharge": .value,
            "underestimates": .value, "silence": .value, "activationFailure": .value,
            "capacity": .section(CapacitySpec.self),
        ]

        /// Receives nothing and answers nothing (down, or ignoring its buyers).
        public var silent: Bool?
        /// Extra delay on everything it sends: `2s`, or a distribution drawn afresh for each message.
        public var delay: DelaySpec?
        /// The probability (0 to 1) that it ignores a request it receives, drawn for each request.
        public var silence: Double?
        /// The probability (0 to 1) that each offering of its catalog fails every activation in a run, drawn once
        /// per run and offering.
        public var activationFailure: Double?
        /// The SOF capacity of each offering of its catalog, drawn once per run and offering.
        public var capacity: CapacitySpec?
        /// The SCO's end-to-end test of every service chain fails (PDL-048).
        public var chainTestFails: Bool?
        /// The first invoice to each buyer overcharges its first recurring line by this much (a wrong line).
        public var overcharge: Percentage?
        /// Its B-BUS estimates every recurring line this much too low (a buyer whose records are wrong).
        public var underestimates: Percentage?
    }

    /// A delay: `2s` (fixed), `{ fixed: 2s }`, `{ uniform: [1s, 5s] }` or `{ exponential: 2m, cap: 30m }` (the mean
    /// of an exponential distribution, and the longest delay drawn; default cap ten times the mean).
    public struct DelaySpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "fixed": .value, "uniform": .value, "exponential": .value, "cap": .value,
        ]

        public var fixed: DurationText?
        public var uniform: [DurationText]?
        public var exponential: DurationText?
        public var cap: DurationText?

        private enum CodingKeys: String, CodingKey { case fixed, uniform, exponential, cap }

        public init(from decoder: any Decoder) throws {
            if let container = try? decoder.singleValueContainer(), let text = try? container.decode(DurationText.self)
            {
                fixed = text
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            fixed = try container.decodeIfPresent(DurationText.self, forKey: .fixed)
            uniform = try container.decodeIfPresent([DurationText].self, forKey: .uniform)
            exponential = try container.decodeIfPresent(DurationText.self, forKey: .exponential)
            cap = try container.decodeIfPresent(DurationText.self, forKey: .cap)
        }
    }

    /// A SOF capacity: `3` (fixed), `{ fixed: 3 }` or `{ uniform: [1, 5] }` (every whole number equally likely).
    public struct CapacitySpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = ["fixed": .value, "uniform": .value]

        public var fixed: Int?
        public var uniform: [Int]?

        private enum CodingKeys: String, CodingKey { case fixed, uniform }

        public init(from decoder: any Decoder) throws {
            if let container = try? decoder.singleValueContainer(), let number = try? container.decode(Int.self) {
                fixed = number
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            fixed = try container.decodeIfPresent(Int.self, forKey: .fixed)
            uniform = try container.decodeIfPresent([Int].self, forKey: .uniform)
        }
    }

    public struct CatalogSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "offering": .value, "places": .value, "buildPlaces": .value, "cost": .value, "buildCost": .value,
            "leadTime": .value, "buildTime": .value, "confidence": .value, "maxBandwidthMbps": .value,
            "capacity": .value, "activationFails": .value, "changeFee": .value, "relocationOutage": .value,
            "specification": .value, "place": .value, "placeTypes": .value,
            "sla": .section(MetricsSpec.self), "performance": .section(MetricsSpec.self), "usagePerDay": .value,
        ]

        public var offering: String
        public var places: [String]?
        public var buildPlaces: [String]?
        public var cost: Double
        public var buildCost: Double?
        public var leadTime: DurationText?
        public var buildTime: DurationText?
        public var confidence: String?
        public var maxBandwidthMbps: Int?
        public var capacity: Int?
        /// Injected fault: activating this offering fails.
        public var activationFails: Bool?
        public var changeFee: Double?
        public var relocationOutage: DurationText?
        /// The product specification the offering is one of (MEF 79.1 Use Case 2b).
        public var specification: String?
        /// What the specification says of places: required, forbidden or optional (default) (R18–R20).
        public var place: String?
        /// The place types (`@type`) the offering takes; default every type (R21).
        public var placeTypes: [String]?
        /// The SLA objectives of the offering.
        public var sla: MetricsSpec?
        /// How it really performs (default: comfortably within the SLA).
        public var performance: MetricsSpec?
        /// Gigabytes a day its hand-off carries, metered with the performance (needs an `sla`); default not metered.
        public var usagePerDay: Int?
    }

    /// SLA objectives or measured performance: `availability: 99.9%`, `delay: 5ms`, `frameLoss: 0.01%`,
    /// `delayVariation: 1ms` (delays also in `us`).
    public struct MetricsSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "availability": .value, "delay": .value, "frameLoss": .value, "delayVariation": .value,
        ]

        public var availability: String?
        public var delay: String?
        public var frameLoss: String?
        public var delayVariation: String?
    }

    /// A retail buyer asks for a performance report on its service.
    public struct ReportRequestSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "at": .value, "demand": .value, "from": .value, "to": .value, "within": .value,
        ]

        /// When it asks, from the scenario's start.
        public var at: DurationText
        public var demand: String
        /// The interval reported on, from the scenario's start.
        public var from: DurationText
        public var to: DurationText
        /// How long the seller has to answer (default 1h).
        public var within: DurationText?
    }

    public struct LinkSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = ["between": .value, "latency": .value]

        public var between: [String]
        public var latency: DurationText
    }

    public struct DemandSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "id": .value, "at": .value, "buyer": .value, "seller": .value, "kind": .value, "immediate": .value,
            "completionWithin": .value, "provideAlternative": .value, "registerHub": .value,
            "items": .list(.section(ItemSpec.self)), "payload": .value, "order": .section(OrderSpec.self),
        ]

        public var id: String
        public var at: DurationText?
        public var buyer: String
        public var seller: String
        public var kind: String?
        public var immediate: Bool?
        public var completionWithin: DurationText?
        public var provideAlternative: Bool?
        public var registerHub: Bool?
        public var items: [ItemSpec]?
        /// A MEF Sonata POQ payload: inline, or a path relative to the scenario file.
        public var payload: PayloadSpec?
        /// Order what the quote offered, then change or renew the service.
        public var order: OrderSpec?

        /// A demand built in code (the benchmark's generated ecosystems).
        public init(id: String, buyer: String, seller: String, provideAlternative: Bool?) {
            self.id = id
            self.buyer = buyer
            self.seller = seller
            self.provideAlternative = provideAlternative
        }
    }

    /// The retail buyer's order on the quote it received, and what it does with the service afterwards.
    public struct OrderSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "after": .value, "acceptanceWindow": .value, "activationWindow": .value, "term": .value,
            "endOfTermAction": .value, "grantExtension": .value, "alterItem": .value,
            "changes": .list(.section(ChangeSpec.self)), "renew": .section(RenewSpec.self),
            "reports": .section(ReportsSpec.self), "disconnect": .section(DisconnectSpec.self),
        ]

        /// How long after the quote arrives the order is placed (past the quote's validity it is rejected).
        public var after: DurationText?
        public var acceptanceWindow: DurationText?
        public var activationWindow: DurationText?
        public var term: DurationText?
        public var endOfTermAction: String?
        /// Whether the buyer grants a seller's request for more activation time (default true).
        public var grantExtension: Bool?
        /// Order this item with another bandwidth than quoted (the seller must refuse: PDL-021).
        public var alterItem: String?
        /// Changes after activation, each `after` the activation.
        public var changes: [ChangeSpec]?
        /// A renewal after activation: a new term that keeps the old one in history.
        public var renew: RenewSpec?
        /// Scheduled performance reports agreed with the order.
        public var reports: ReportsSpec?
        /// The buyer disconnects the service (a Sonata `delete`) this long after activation.
        public var disconnect: DisconnectSpec?
    }

    /// A disconnection the buyer orders `after` the activation, effective at once (its date is the order's time)
    /// or `effective` that long after the order; the buyer may cancel it `withdrawAfter` the order, before its date.
    public struct DisconnectSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "after": .value, "effective": .value, "withdrawAfter": .value,
        ]

        public var after: DurationText
        public var effective: DurationText?
        public var withdrawAfter: DurationText?
    }

    /// The reporting schedule agreed with an order: every `every` from the order, each due `within` after its
    /// interval (default 1h).
    public struct ReportsSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = ["every": .value, "within": .value]

        public var every: DurationText
        public var within: DurationText?
    }

    public struct ChangeSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = ["after": .value, "bandwidthMbps": .value, "place": .value]

        public var after: DurationText?
        public var bandwidthMbps: Int?
        public var place: String?
    }

    public struct RenewSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = ["after": .value, "term": .value, "endOfTermAction": .value]

        public var after: DurationText?
        public var term: DurationText
        public var endOfTermAction: String?
    }

    /// An element of a demand's service fails: where (the provider whose own element it is), who notices, whether
    /// the service is in operation, and what the provider decides.
    public struct FaultSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "at": .value, "demand": .value, "element": .value, "provider": .value, "detectedBy": .value,
            "inOperation": .value, "decision": .value, "outage": .value, "repairTime": .value, "decisions": .value,
            "description": .value,
        ]

        /// When, from the scenario's start.
        public var at: DurationText
        public var demand: String
        /// The item id of the element (default: the demand's first item).
        public var element: String?
        /// The provider whose own element fails (default: the last provider on the element's path).
        public var provider: String?
        /// The provider that finds the fault and acts on it at once (default: `provider`); `none` when only a
        /// buyer's ticket brings it to light.
        public var detectedBy: String?
        /// Whether the service is in operation (default true); false gives scenarios J and K.
        public var inOperation: Bool?
        /// The faulty provider's decision: restore (default), abandon or ignore.
        public var decision: String?
        /// With restore: how long the service is down for the repair (default: no outage).
        public var outage: DurationText?
        /// With restore and no outage: how long the repair takes (default 1h).
        public var repairTime: DurationText?
        /// The decisions of providers above the faulty one, by provider id (default restore: follow the seller's
        /// repair); `abandon` there is scenario C.
        public var decisions: [String: String]?
        public var description: String?
    }

    /// A retail buyer opens a trouble ticket on its service.
    public struct TicketSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "at": .value, "demand": .value, "description": .value, "observedImpact": .value, "close": .value,
        ]

        /// When, from the scenario's start.
        public var at: DurationText
        public var demand: String
        public var description: String?
        /// degraded, intermittent or down (default down).
        public var observedImpact: String?
        /// Whether the buyer closes the ticket once it is resolved (default true); otherwise it closes on its own
        /// after the seller's agreed time.
        public var close: Bool?
    }

    public struct ItemSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "id": .value, "offering": .value, "place": .value, "bandwidthMbps": .value, "relatesTo": .value,
        ]

        public var id: String
        public var offering: String
        public var place: String?
        public var bandwidthMbps: Int?
        public var relatesTo: [String]?

        /// An item built in code (the benchmark's generated ecosystems).
        public init(id: String, offering: String) {
            self.id = id
            self.offering = offering
        }
    }

    public enum PayloadSpec: Decodable, Sendable {
        case file(String)
        case inline(JSONValue)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let path = try? container.decode(String.self) {
                self = .file(path)
            } else {
                self = .inline(try container.decode(JSONValue.self))
            }
        }
    }

    /// One check on the outcome. Exactly one of `demand`, `party` or `ledgers` says what it is about.
    public struct Expectation: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "demand": .value, "state": .value, "confidence": .value, "price": .value, "path": .value, "item": .value,
            "itemState": .value, "notifications": .value, "alternates": .value, "party": .value,
            "requestsReceived": .value, "ledgers": .value, "order": .value, "orderReason": .value,
            "servicePath": .value, "changesCompleted": .value, "changePrices": .value, "outages": .value,
            "terms": .value, "ledger": .value, "hasEntry": .value, "lacksEntry": .value, "ticket": .value,
            "ticketResolution": .value, "faultOutages": .value, "serviceStates": .value, "reports": .value,
            "reportsMet": .value, "reportsMissing": .value, "onDemandAvailability": .value, "reputation": .value,
            "invoices": .value, "count": .value,
            "amounts": .value, "answers": .value, "finalAmounts": .value, "disputedLines": .value,
            "correctedLines": .value, "carriedLines": .value, "payments": .value, "latePayments": .value,
            "paidAmounts": .value, "netted": .value, "creditNotes": .value,
        ]

        public var demand: String?
        public var state: String?
        public var confidence: String?
        public var price: Double?
        public var path: [String]?
        public var item: String?
        public var itemState: String?
        public var notifications: Int?
        public var alternates: Int?
        public var party: String?
        public var requestsReceived: Int?
        public var ledgers: String?
        /// The order's final state: ACCEPTED, ACTIVATED, REJECTED, FAILED, DISCONNECTED.
        public var order: String?
        /// A phrase the order's rejection or failure reason contains.
        public var orderReason: String?
        /// The providers an item's ordered element passed through (after any re-sourcing).
        public var servicePath: [String]?
        /// Completed changes and their quoted prices / outages, in order.
        public var changesCompleted: Int?
        public var changePrices: [Double]?
        public var outages: [String]?
        /// Product terms in the service's history at the end of the run.
        public var terms: Int?
        /// With `ledger: [A, B]`: that ledger has an entry of this kind.
        public var ledger: [String]?
        public var hasEntry: String?
        /// With `ledger: [A, B]`: that ledger has no entry of this kind.
        public var lacksEntry: String?
        /// The state of the retail buyer's trouble ticket on the demand's service at the end of the run.
        public var ticket: String?
        /// A phrase the ticket's resolution contains.
        public var ticketResolution: String?
        /// The repair outages the retail buyer was told of, in order.
        public var faultOutages: [String]?
        /// The state of the demand's service in each provider's inventory at the end (active, terminated), by id.
        public var serviceStates: [String: String]?
        /// How many performance reports the retail buyer received on the service; how many met every objective;
        /// how many had a missing element.
        public var reports: Int?
        public var reportsMet: Int?
        public var reportsMissing: Int?
        /// The availability of each on-demand report, in order (`99.9722%`, four decimals).
        public var onDemandAvailability: [String]?
        /// Providers' SLA reputations at the end, as they publish them (`8.8:30`), by provider id.
        public var reputation: [String: String]?
        /// With `invoices: [SELLER, BUYER]`: the invoices that seller issued that buyer, checked by the keys below.
        public var invoices: [String]?
        /// How many invoices.
        public var count: Int?
        /// Each invoice's amount due, in order.
        public var amounts: [Double]?
        /// Each invoice's first answer from the buyer: final, partial or dispute.
        public var answers: [String]?
        /// Each invoice's final agreed amount, in order.
        public var finalAmounts: [Double]?
        /// Lines disputed / corrected by the seller's automatic resolution / carried over open, over all invoices.
        public var disputedLines: Int?
        public var correctedLines: Int?
        public var carriedLines: Int?
        /// Payments made, and how many of them after the due date.
        public var payments: Int?
        public var latePayments: Int?
        /// The amount of each payment made, in invoice order (a netted invoice's payer pays the net).
        public var paidAmounts: [Double]?
        /// How many of the invoices were netted against one in the other direction.
        public var netted: Int?
        /// How many of the documents are credit notes.
        public var creditNotes: Int?
    }
}

/// A duration written `250ms`, `2s`, `5m`, `3h` or `30d`.
public struct DurationText: Decodable, Sendable, Hashable {
    public let text: String

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            text = "\(number)ms"
        } else {
            text = try container.decode(String.self)
        }
    }
}

/// A percentage written `10%` or as a fraction `0.1`.
public struct Percentage: Decodable, Sendable, Hashable {
    public let basisPoints: Int64?
    public let text: String

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            text = "\(number)"
            basisPoints = Int64(roundingExactly: number * 10_000)
        } else {
            text = try container.decode(String.self)
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.hasSuffix("%"), let value = Double(trimmed.dropLast()) {
                basisPoints = Int64(roundingExactly: value * 100)
            } else {
                basisPoints = nil
            }
        }
    }
}

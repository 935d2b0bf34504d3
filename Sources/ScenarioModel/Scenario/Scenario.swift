import CanonicalJSON
import Foundation

/// A scenario file: providers, their catalogs and sellers, retail demand over time, injected behaviour, and the
/// expectations the run checks. See README.md, "Scenario format".
public struct Scenario: Decodable, Sendable, KnownKeys {
    public static let knownKeys: [String: KeyShape] = [
        "name": .value, "description": .value, "seed": .value, "start": .value, "defaults": .section(Defaults.self),
        "providers": .list(.section(ProviderSpec.self)), "links": .list(.section(LinkSpec.self)),
        "demand": .list(.section(DemandSpec.self)), "expect": .list(.section(Expectation.self)), "runFor": .value,
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
    /// How long virtual time runs after the last demand (renewals would otherwise go on forever); default 3 years.
    public var runFor: DurationText?

    public struct Defaults: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "latency": .value, "processingTime": .value, "quoteValidity": .value, "currency": .value,
        ]

        public var latency: DurationText?
        public var processingTime: DurationText?
        public var quoteValidity: DurationText?
        public var currency: String?
    }

    public struct ProviderSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "id": .value, "markup": .value, "discounts": .value, "processingTime": .value, "quoteValidity": .value,
            "sellers": .list(.section(SellerSpec.self)), "ranking": .value, "behaviour": .section(Behaviour.self),
            "catalog": .list(.section(CatalogSpec.self)),
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

    /// Injected behaviour: a seller that never answers, or one that answers late.
    public struct Behaviour: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "silent": .value, "delay": .value, "chainTestFails": .value,
        ]

        /// Receives nothing and answers nothing (down, or ignoring its buyers).
        public var silent: Bool?
        /// Extra delay on everything it sends.
        public var delay: DurationText?
        /// The SCO's end-to-end test of every service chain fails (PDL-048).
        public var chainTestFails: Bool?
    }

    public struct CatalogSpec: Decodable, Sendable, KnownKeys {
        public static let knownKeys: [String: KeyShape] = [
            "offering": .value, "places": .value, "buildPlaces": .value, "cost": .value, "buildCost": .value,
            "leadTime": .value, "buildTime": .value, "confidence": .value, "maxBandwidthMbps": .value,
            "capacity": .value, "activationFails": .value, "changeFee": .value, "relocationOutage": .value,
            "specification": .value, "place": .value, "placeTypes": .value,
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
            "terms": .value, "ledger": .value, "hasEntry": .value,
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

import Sonata
import SupplyChain

/// One product offering the provider delivers itself, and where (the SOF's catalog, inventory and capacity).
public struct CatalogEntry: Codable, Sendable, Hashable {
    /// The ecosystem-wide product offering id (e.g. `ACCESS-EPL`).
    public let offering: String
    /// Places served ON-NET; `*` serves any place and elements without a place.
    public let places: [String]
    /// Places the provider can reach by building (ON-NET with Build): yellow, slower, dearer.
    public let buildPlaces: [String]
    /// Monthly recurring cost to the provider.
    public let cost: Money
    /// Extra monthly cost of a built connection.
    public let buildCost: Money
    /// Standard installation interval.
    public let leadTime: TimeSpan
    /// Extra time when a build is needed.
    public let buildTime: TimeSpan
    /// Confidence for ON-NET delivery.
    public let confidence: ServiceabilityColor
    /// The highest bandwidth this offering delivers, if limited.
    public let maxBandwidthMbps: Int?
    /// How many more elements can be delivered (capacity); `nil` is unlimited.
    public let capacity: Int?
    /// Injected fault: activation of this offering fails (the SOF reports Service Element Activation Failed).
    public let activationFails: Bool
    /// One-off price of a bandwidth change or a relocation.
    public let changeFee: Money
    /// Outage a relocation needs (a bandwidth change needs none).
    public let relocationOutage: TimeSpan
    /// The product specification this offering is one of (MEF 79.1 Use Case 2b: a POQ may name the
    /// specification, and the seller picks the offering); `nil` when the offering is sold only by its own id.
    public let specification: String?
    /// What the offering's specification says of places (R18–R21); absent (as in catalogs written before it
    /// existed) means any place or none.
    private let placeRules: PlacePolicy?
    public var placePolicy: PlacePolicy { placeRules ?? .optional }
    /// What the SLA of this offering commits to, if it has one.
    public var sla: SLAObjectives? = nil
    /// How the offering really performs, before noise and outages (default: comfortably within the SLA).
    public var performance: PerformanceMetrics? = nil
    /// The traffic the offering's hand-off carries a day, in gigabytes, when the SOF meters it (usage-based
    /// charging): measured with the performance, pro rata the time the element was up.
    public var usagePerDayGB: Int64? = nil

    public init(
        offering: String, places: [String], buildPlaces: [String] = [], cost: Money,
        buildCost: Money = Money(minorUnits: 0),
        leadTime: TimeSpan, buildTime: TimeSpan = .days(30), confidence: ServiceabilityColor = .green,
        maxBandwidthMbps: Int? = nil, capacity: Int? = nil, activationFails: Bool = false,
        changeFee: Money = Money(minorUnits: 0), relocationOutage: TimeSpan = .hours(4),
        specification: String? = nil, placePolicy: PlacePolicy = .optional
    ) {
        self.offering = offering
        self.places = places
        self.buildPlaces = buildPlaces
        self.cost = cost
        self.buildCost = buildCost
        self.leadTime = leadTime
        self.buildTime = buildTime
        self.confidence = confidence
        self.maxBandwidthMbps = maxBandwidthMbps
        self.capacity = capacity
        self.activationFails = activationFails
        self.changeFee = changeFee
        self.relocationOutage = relocationOutage
        self.specification = specification
        self.placeRules = placePolicy == .optional ? nil : placePolicy
    }

    func serves(_ place: String?) -> Bool {
        places.contains("*") || (place.map { places.contains($0) } ?? false)
    }

    func builds(_ place: String?) -> Bool {
        place.map { buildPlaces.contains($0) } ?? false
    }
}

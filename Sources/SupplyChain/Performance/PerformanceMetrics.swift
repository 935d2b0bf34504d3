/// One-way service performance over a measurement interval (MEF 10.4 SLS metrics), in exact integers: parts per
/// million for ratios, microseconds for delays, so that reports and their ledger entries are the same everywhere.
public struct PerformanceMetrics: Codable, Sendable, Hashable {
    /// Availability, parts per million (1,000,000 = 100 %).
    public var availabilityPPM: Int64
    /// One-way frame delay, microseconds.
    public var delayMicros: Int64
    /// Frame loss ratio, parts per million.
    public var frameLossPPM: Int64
    /// Inter-frame delay variation, microseconds.
    public var delayVariationMicros: Int64

    public init(availabilityPPM: Int64, delayMicros: Int64, frameLossPPM: Int64, delayVariationMicros: Int64) {
        self.availabilityPPM = availabilityPPM
        self.delayMicros = delayMicros
        self.frameLossPPM = frameLossPPM
        self.delayVariationMicros = delayVariationMicros
    }

    public static let million: Int64 = 1_000_000

    /// The longest delay a report may state: a day, in microseconds.
    public static let longestDelayMicros: Int64 = 86_400_000_000

    /// Whether every value is one a measurement can have: ratios within 0…100 %, delays within 0…a day. A seller's
    /// report with any other value is not taken (its arithmetic here could not be trusted, or could overflow).
    public var isPlausible: Bool {
        (0...Self.million).contains(availabilityPPM) && (0...Self.million).contains(frameLossPPM)
            && (0...Self.longestDelayMicros).contains(delayMicros)
            && (0...Self.longestDelayMicros).contains(delayVariationMicros)
    }

    /// Elements in series along the chaining sequence (after-delivery.md §2, ITU-T Y.1541-style concatenation):
    /// availability multiplies, delay and delay variation add, loss combines as 1 − Π(1 − loss). Ratios are rounded
    /// down to the part per million, so an aggregate never looks better than its parts.
    public static func serial(_ parts: [PerformanceMetrics]) -> PerformanceMetrics? {
        guard var total = parts.first else { return nil }
        for part in parts.dropFirst() {
            total.availabilityPPM = total.availabilityPPM * part.availabilityPPM / million
            total.delayMicros = .saturating(total.delayMicros, plus: part.delayMicros)
            total.delayVariationMicros = .saturating(total.delayVariationMicros, plus: part.delayVariationMicros)
            let delivered = (million - total.frameLossPPM) * (million - part.frameLossPPM) / million
            total.frameLossPPM = million - delivered
        }
        return total
    }
}

/// What an SLA commits to (the catalog entry's objectives, aggregated along a chain like the measurements).
public typealias SLAObjectives = PerformanceMetrics

/// Whether a metric met its objective; `unknown` when part of the chain did not report (never assumed met).
public enum Compliance: String, Codable, Sendable, Hashable {
    case met, breached, unknown
}

/// The four SLA metrics, named as reports and scenarios name them.
public enum SLAMetric: String, Codable, Sendable, Hashable, CaseIterable {
    case availability, delay, frameLoss, delayVariation

    /// The metric's value in `metrics`.
    public func value(in metrics: PerformanceMetrics) -> Int64 {
        switch self {
        case .availability: metrics.availabilityPPM
        case .delay: metrics.delayMicros
        case .frameLoss: metrics.frameLossPPM
        case .delayVariation: metrics.delayVariationMicros
        }
    }

    /// Availability must reach its objective; the others must not exceed theirs.
    public func meets(_ actual: Int64, _ objective: Int64) -> Bool {
        self == .availability ? actual >= objective : actual <= objective
    }

    /// How close `actual` came to `objective`, from 0 to 1,000,000 (after-delivery.md decision 2): fully when met,
    /// else max(0, 1 − |actual − objective| / |objective|).
    public func score(_ actual: Int64, _ objective: Int64) -> Int64 {
        if meets(actual, objective) { return PerformanceMetrics.million }
        guard objective != 0 else { return 0 }
        let deviation = abs(actual - objective) * PerformanceMetrics.million / abs(objective)
        return max(0, PerformanceMetrics.million - deviation)
    }
}

extension PerformanceMetrics {
    /// Each metric against `objectives`.
    public func compliance(with objectives: SLAObjectives) -> [SLAMetric: Compliance] {
        Dictionary(
            uniqueKeysWithValues: SLAMetric.allCases.map { metric in
                (metric, metric.meets(metric.value(in: self), metric.value(in: objectives)) ? .met : .breached)
            })
    }
}

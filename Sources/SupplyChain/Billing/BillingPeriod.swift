/// One billing interval `[start, end)` of a contract, identifiable by its cycle index (§48: each interval must be
/// identifiable, for SLA credits).
public struct BillingPeriod: Codable, Sendable, Hashable, CustomStringConvertible {
    public let cycle: Int
    public let start: Instant
    public let end: Instant

    public init(cycle: Int, start: Instant, end: Instant) {
        self.cycle = cycle
        self.start = start
        self.end = end
    }

    /// Whole days a service active over `[from, until)` is billed for in this period: the overlap, with a part of
    /// a day counting as a day (0 when they do not overlap).
    public func billableDays(from: Instant, until: Instant?) -> Int {
        let first = max(from, start)
        let last = min(until ?? end, end)
        guard last > first else { return 0 }
        return (last - first).wholeDaysRoundedUp
    }

    public var description: String { "\(start) – \(end)" }
}

extension Money {
    /// The charge for `days` of a monthly recurring price, a month counting 30 days: `self × days / 30`, rounded
    /// half away from zero to the minor unit. Exact integer arithmetic, never floating point.
    public func proRated(days: Int) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: Int64(days))
        guard !overflow else { return Money(minorUnits: minorUnits < 0 ? .min : .max, currency: currency) }
        let quotient = product / 30
        let remainder = product % 30
        let rounded = quotient + (remainder >= 15 ? 1 : remainder <= -15 ? -1 : 0)
        return Money(minorUnits: rounded, currency: currency)
    }

    /// Zero in `currency`.
    public static func zero(_ currency: String) -> Money { Money(minorUnits: 0, currency: currency) }
}

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

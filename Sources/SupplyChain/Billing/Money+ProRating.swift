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

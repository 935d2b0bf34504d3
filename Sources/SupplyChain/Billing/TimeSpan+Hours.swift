extension TimeSpan {
    /// Whole hours, a started hour counting as an hour (what an SLA credit counts).
    public var wholeHoursRoundedUp: Int { whole(3_600_000) }
}

extension Money {
    /// `self` times a whole number, saturating at the largest amounts.
    public func times(_ count: Int) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: Int64(count))
        guard !overflow else {
            return Money(minorUnits: (minorUnits < 0) == (count < 0) ? .max : .min, currency: currency)
        }
        return Money(minorUnits: product, currency: currency)
    }

    /// The amount with the opposite sign.
    public var negated: Money { Money(minorUnits: minorUnits == .min ? .max : -minorUnits, currency: currency) }
}

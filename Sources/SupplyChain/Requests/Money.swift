/// An amount of money in minor units (cents), so prices add up exactly and hash the same everywhere.
public struct Money: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var minorUnits: Int64
    public var currency: String

    public init(minorUnits: Int64, currency: String = "EUR") {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// The largest amount a price, cost or fee may have (a trillion): sums and markups of such amounts along any
    /// chain stay far inside `Int64` cents.
    public static let largestAmount: Double = 1_000_000_000_000

    /// From a decimal amount such as 968.5; rounded to the nearest cent (clamped to `Int64` cents; callers check
    /// input against `largestAmount`).
    public init(amount: Double, currency: String = "EUR") {
        self.init(minorUnits: Int64(saturating: amount * 100), currency: currency)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }

    public static func + (lhs: Money, rhs: Money) -> Money {
        let (sum, overflow) = lhs.minorUnits.addingReportingOverflow(rhs.minorUnits)
        return Money(minorUnits: overflow ? (rhs.minorUnits < 0 ? .min : .max) : sum, currency: lhs.currency)
    }

    /// Scales by `basisPoints / 10_000`, rounding half away from zero to the cent.
    public func scaled(basisPoints: Int64) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: basisPoints)
        guard !overflow else {
            return Money(minorUnits: (minorUnits < 0) == (basisPoints < 0) ? .max : .min, currency: currency)
        }
        let rounded = (product / 10_000) + (product % 10_000 >= 5_000 ? 1 : product % 10_000 <= -5_000 ? -1 : 0)
        return Money(minorUnits: rounded, currency: currency)
    }

    /// `968.00 EUR`.
    public var description: String {
        let sign = minorUnits < 0 ? "-" : ""
        let absolute = minorUnits.magnitude
        let cents = absolute % 100
        return "\(sign)\(absolute / 100).\(cents < 10 ? "0" : "")\(cents) \(currency)"
    }

    /// The decimal amount, for JSON output.
    public var amount: Double { Double(minorUnits) / 100 }
}

/// An amount of money in minor units (cents), so prices add up exactly and hash the same everywhere.
public struct Money: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var minorUnits: Int64
    public var currency: String

    public init(minorUnits: Int64, currency: String = "EUR") {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// From a decimal amount such as 968.5; rounded to the nearest cent.
    public init(amount: Double, currency: String = "EUR") {
        self.init(minorUnits: Int64((amount * 100).rounded()), currency: currency)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }

    public static func + (lhs: Money, rhs: Money) -> Money {
        Money(minorUnits: lhs.minorUnits + rhs.minorUnits, currency: lhs.currency)
    }

    /// Scales by `basisPoints / 10_000`, rounding half away from zero to the cent.
    public func scaled(basisPoints: Int64) -> Money {
        let product = minorUnits * basisPoints
        let rounded = (product + (product >= 0 ? 5_000 : -5_000)) / 10_000
        return Money(minorUnits: rounded, currency: currency)
    }

    /// `968.00 EUR`.
    public var description: String {
        let sign = minorUnits < 0 ? "-" : ""
        let absolute = abs(minorUnits)
        let cents = absolute % 100
        return "\(sign)\(absolute / 100).\(cents < 10 ? "0" : "")\(cents) \(currency)"
    }

    /// The decimal amount, for JSON output.
    public var amount: Double { Double(minorUnits) / 100 }
}

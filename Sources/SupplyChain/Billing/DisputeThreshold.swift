/// When a difference between an invoiced line and the buyer's estimate is actionable (decision 13): when
/// |invoiced − estimate| > max(absolute, relative × |estimate|).
public struct DisputeThreshold: Codable, Sendable, Hashable {
    /// In minor units of the invoice currency.
    public let absoluteMinorUnits: Int64
    /// In basis points of the estimate (100 = 1 %).
    public let relativeBasisPoints: Int64

    public init(absoluteMinorUnits: Int64, relativeBasisPoints: Int64) {
        self.absoluteMinorUnits = absoluteMinorUnits
        self.relativeBasisPoints = relativeBasisPoints
    }

    /// Any difference, however small, is actionable.
    public static let exact = DisputeThreshold(absoluteMinorUnits: 0, relativeBasisPoints: 0)

    /// The largest difference tolerated for a line estimated at `estimate`, in minor units.
    public func tolerance(for estimate: Money) -> Int64 {
        let magnitude = estimate.minorUnits == .min ? Int64.max : abs(estimate.minorUnits)
        let relative = Money(minorUnits: magnitude).scaled(basisPoints: relativeBasisPoints).minorUnits
        return max(absoluteMinorUnits, relative)
    }

    /// Whether the invoiced amount differs from the estimate by more than the tolerance.
    public func isActionable(invoiced: Money, estimate: Money) -> Bool {
        let (difference, overflow) = invoiced.minorUnits.subtractingReportingOverflow(estimate.minorUnits)
        return overflow || difference.magnitude > UInt64(tolerance(for: estimate))
    }
}

/// Conversions from numbers that come from outside (JSON bodies, headers, scenario files) that never trap.
///
/// Swift's `Int(_: Double)` traps on NaN, infinities and values beyond the type's range; a body holding
/// `1e19` must give a business answer, not stop a node.
extension Int64 {
    /// `value` rounded to the nearest integer, or `nil` when it is NaN, infinite or outside `Int64`'s range.
    public init?(roundingExactly value: Double) {
        let rounded = value.rounded()
        // 2^63 is exactly representable as a Double; every Double below it converts without trapping.
        guard rounded.isFinite, rounded >= -9_223_372_036_854_775_808.0, rounded < 9_223_372_036_854_775_808.0
        else { return nil }
        self.init(rounded)
    }

    /// `value` rounded to the nearest integer, clamped to `Int64`'s range (NaN gives 0).
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if let exact = Int64(roundingExactly: value) {
            self = exact
        } else {
            self = value < 0 ? .min : .max
        }
    }
}

extension Int {
    /// `value` rounded to the nearest integer, clamped to `Int`'s range (NaN gives 0).
    public init(saturating value: Double) { self.init(truncatingIfNeeded: Int64(saturating: value)) }
}

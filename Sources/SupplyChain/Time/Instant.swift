import Foundation

/// A point in protocol time: milliseconds since the Unix epoch, UTC.
///
/// Roles never read a clock: every input carries `now` as an `Instant`, so the simulator can run 30 days of
/// windows in microseconds and the live node can pass the wall clock.
public struct Instant: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public init(_ date: Date) { self.milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    public var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.milliseconds < rhs.milliseconds }

    // Protocol time arithmetic saturates at the ends of `Int64` (like `Money`): an instant or a span a peer sent
    // (an order's window, a report's interval, an outage) can be absurd, but never traps the process, and a journal
    // replaying it cannot either.
    public static func + (lhs: Instant, rhs: TimeSpan) -> Instant {
        Instant(milliseconds: Int64.saturating(lhs.milliseconds, plus: rhs.milliseconds))
    }

    public static func - (lhs: Instant, rhs: TimeSpan) -> Instant {
        Instant(milliseconds: Int64.saturating(lhs.milliseconds, minus: rhs.milliseconds))
    }

    public static func - (lhs: Instant, rhs: Instant) -> TimeSpan {
        TimeSpan(milliseconds: Int64.saturating(lhs.milliseconds, minus: rhs.milliseconds))
    }

    public var description: String { MEFDateTimeFormatting.string(self) }
}

/// A length of protocol time in milliseconds.
public struct TimeSpan: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func seconds(_ value: Int64) -> TimeSpan { TimeSpan(milliseconds: value * 1000) }
    public static func minutes(_ value: Int64) -> TimeSpan { .seconds(value * 60) }
    public static func hours(_ value: Int64) -> TimeSpan { .minutes(value * 60) }
    public static func days(_ value: Int64) -> TimeSpan { .hours(value * 24) }
    public static let zero = TimeSpan(milliseconds: 0)

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.milliseconds < rhs.milliseconds }
    public static func + (lhs: TimeSpan, rhs: TimeSpan) -> TimeSpan {
        TimeSpan(milliseconds: Int64.saturating(lhs.milliseconds, plus: rhs.milliseconds))
    }
    public static func - (lhs: TimeSpan, rhs: TimeSpan) -> TimeSpan {
        TimeSpan(milliseconds: Int64.saturating(lhs.milliseconds, minus: rhs.milliseconds))
    }

    /// Whole units of `unit` milliseconds, rounded up (never trapping on an absurd span).
    public func whole(_ unit: Int64) -> Int {
        let (quotient, remainder) = milliseconds.quotientAndRemainder(dividingBy: unit)
        return Int(quotient + (remainder > 0 ? 1 : 0))
    }

    /// Whole days, rounded up: what an installation interval in `calendarDays` states.
    public var wholeDaysRoundedUp: Int { whole(86_400_000) }

    /// `1500ms`, `2s`, `3h`, `30d` (the notation scenario files use), or a sum such as `314d5h630ms`.
    public var description: String {
        guard milliseconds > 0 else {
            return milliseconds == 0 ? "0ms" : "-" + TimeSpan(milliseconds: -milliseconds).description
        }
        let units: [(Int64, String)] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s"), (1, "ms")]
        var rest = milliseconds
        var parts = ""
        for (size, suffix) in units where rest >= size {
            parts += "\(rest / size)\(suffix)"
            rest %= size
        }
        return parts
    }

    /// Parses `250ms`, `2s`, `5m`, `3h`, `30d` (a bare number is milliseconds); `nil` when malformed.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let suffixes: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, factor) in suffixes where trimmed.hasSuffix(suffix) {
            guard let number = Double(trimmed.dropLast(suffix.count)), number >= 0,
                let milliseconds = Int64(roundingExactly: number * Double(factor))
            else { return nil }
            self.milliseconds = milliseconds
            return
        }
        guard let number = Int64(trimmed), number >= 0 else { return nil }
        self.milliseconds = number
    }
}

/// RFC 3339 text for an `Instant`, as MEF Sonata dates are written.
public enum MEFDateTimeFormatting {
    /// Whole seconds go through the formatter; the milliseconds are written from the integer, since the formatter
    /// works on a `Date` (a `Double`) and truncates `…01.120` to `…01.119`.
    public static func string(_ instant: Instant) -> String {
        let (seconds, milliseconds) = instant.milliseconds.floorDividedByThousand
        let whole = Date.ISO8601FormatStyle(timeZone: .gmt).format(Date(timeIntervalSince1970: Double(seconds)))
        guard milliseconds != 0 else { return whole }
        let fraction = String(milliseconds + 1000).dropFirst()
        return "\(whole.dropLast()).\(fraction)Z"
    }
}

extension Instant {
    /// Later than any instant a scenario reaches.
    public static let distantFuture = Instant(milliseconds: .max / 2)
}

extension Int64 {
    /// Seconds and the milliseconds left over, rounding towards minus infinity (so the remainder is 0…999).
    fileprivate var floorDividedByThousand: (Int64, Int64) {
        let remainder = ((self % 1000) + 1000) % 1000
        return ((self - remainder) / 1000, remainder)
    }
}

extension Int64 {
    /// `a + b`, clamped to `Int64`'s range instead of trapping.
    public static func saturating(_ a: Int64, plus b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? .min : .max) : sum
    }

    /// `a − b`, clamped to `Int64`'s range instead of trapping.
    public static func saturating(_ a: Int64, minus b: Int64) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b < 0 ? .max : .min) : difference
    }
}

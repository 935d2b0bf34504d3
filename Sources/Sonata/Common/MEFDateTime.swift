import Foundation

/// An RFC 3339 `date-time` as MEF Sonata carries it, keeping the sender's exact text for lossless round trips.
///
/// Decoding fails with a `DecodingError.dataCorrupted` naming the field when the text is not RFC 3339
/// (`2023-10-12T00:00:00Z`, `2023-10-12T00:00:00.123+02:00`), so a wrong date format becomes a finding.
public struct MEFDateTime: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The text as received (or as produced by `init(_ date:)`).
    public let text: String
    /// The instant the text denotes.
    public let date: Date

    public init(_ date: Date) {
        self.date = date
        self.text = MEFDateTime.format(date)
    }

    /// Parses RFC 3339 text; `nil` when it is not a valid date-time.
    public init?(text: String) {
        guard let date = MEFDateTime.parse(text) else { return nil }
        self.text = text
        self.date = date
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = MEFDateTime(text: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an RFC 3339 date-time (e.g. 2023-10-12T00:00:00Z)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public var description: String { text }

    public static func == (lhs: MEFDateTime, rhs: MEFDateTime) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// Formats an instant as `yyyy-MM-ddTHH:mm:ss(.SSS)Z`, milliseconds only when present.
    ///
    /// The milliseconds are rounded and written from the integer: the formatter truncates the `Double` a `Date`
    /// holds, so an instant at `…00.100` (stored as `…00.09999…`) would read `…00.099`, a millisecond early.
    public static func format(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = (milliseconds / 1000).rounded(.down)
        let whole = Date.ISO8601FormatStyle(timeZone: .gmt).format(Date(timeIntervalSince1970: seconds))
        let fraction = Int(milliseconds - seconds * 1000)
        guard fraction > 0 && fraction < 1000 else { return whole }
        return "\(whole.dropLast()).\(String(fraction + 1000).dropFirst())Z"
    }

    /// RFC 3339 §5.6: full-date "T" full-time, with "Z" or a numeric offset, optional fraction.
    ///
    /// Hand-written rather than a `Regex`: the S-BUS parses dates on every request, and a regex literal is
    /// compiled anew on each call.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return nil }
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for index in start..<(start + count) {
                let byte = bytes[index]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), bytes[4] == UInt8(ascii: "-"), let month = number(5, 2),
            bytes[7] == UInt8(ascii: "-"), let day = number(8, 2),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"), let hour = number(11, 2),
            bytes[13] == UInt8(ascii: ":"), let minute = number(14, 2), bytes[16] == UInt8(ascii: ":"),
            let second = number(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
            second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, let h = number(index + 1, 2), bytes[index + 3] == UInt8(ascii: ":"),
                let m = number(index + 4, 2), h < 24, m < 60
            else { return nil }
            offsetSeconds = (bytes[index] == UInt8(ascii: "-") ? -1 : 1) * (h * 3600 + m * 60)
        default:
            return nil
        }
        // Days from the civil date (proleptic Gregorian), rejecting days past the month's end.
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= monthDays[month - 1] else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}

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
    public static func format(_ date: Date) -> String {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        let hasFraction = date.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) != 0
        return hasFraction ? style.format(date) : Date.ISO8601FormatStyle(timeZone: .gmt).format(date)
    }

    /// RFC 3339 §5.6: full-date "T" full-time, with "Z" or a numeric offset, optional fraction.
    public static func parse(_ text: String) -> Date? {
        let pattern = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/
        guard let match = text.wholeMatch(of: pattern) else { return nil }
        guard let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
            let hour = Int(match.4), let minute = Int(match.5), let second = Int(match.6),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var offsetSeconds = 0
        let zone = String(match.8)
        if zone != "Z" && zone != "z" {
            let sign = zone.hasPrefix("-") ? -1 : 1
            let parts = zone.dropFirst().split(separator: ":")
            guard let h = Int(parts[0]), let m = Int(parts[1]), h < 24, m < 60 else { return nil }
            offsetSeconds = sign * (h * 3600 + m * 60)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let base = calendar.date(from: components), calendar.component(.day, from: base) == day else {
            return nil
        }
        let fraction = match.7.map { Double("0" + $0) ?? 0 } ?? 0
        return base.addingTimeInterval(fraction - Double(offsetSeconds))
    }
}

/// A length of time in whole calendar or business units (`Duration`), e.g. 12 calendar months of term.
///
/// Named `MEFDuration` so it does not shadow the standard library's `Duration`.
public struct MEFDuration: Codable, Sendable, Hashable {
    /// How many `units`.
    public let amount: Int
    /// The unit of time `amount` counts.
    public let units: TimeUnit

    public init(amount: Int, units: TimeUnit) {
        self.amount = amount
        self.units = units
    }
}

/// A unit of time (`TimeUnit`, MEF 79 §8.4.3), calendar or business.
public enum TimeUnit: String, SonataEnum {
    case calendarMonths, calendarDays, calendarHours, calendarMinutes, businessDays, businessHours, businessMinutes
}

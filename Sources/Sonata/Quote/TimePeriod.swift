/// A period of time (`TimePeriod`): a deadline, a start, or both; a quote's `validFor` uses only the end.
public struct TimePeriod: Codable, Sendable, Hashable {
    /// The start of the period.
    public let startDateTime: MEFDateTime?
    /// The end of the period.
    public let endDateTime: MEFDateTime?

    public init(startDateTime: MEFDateTime? = nil, endDateTime: MEFDateTime? = nil) {
        self.startDateTime = startDateTime
        self.endDateTime = endDateTime
    }
}

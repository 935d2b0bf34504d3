/// The S-BUS's timers.
public enum SBUSTimer: Hashable, Codable, Sendable {
    /// A resolved ticket the buyer has not closed closes itself (after-delivery.md decision 5).
    case ticketAutoClose
}

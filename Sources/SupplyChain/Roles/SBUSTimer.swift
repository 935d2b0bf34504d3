/// The S-BUS's timers.
public enum SBUSTimer: Hashable, Codable, Sendable {
    /// A resolved ticket the buyer has not closed closes itself (after-delivery.md decision 5).
    case ticketAutoClose
    /// A billing cycle of the contract with the timer's buyer ends: rate it and invoice (PDL-097, PDL-098).
    case billingCycle
}

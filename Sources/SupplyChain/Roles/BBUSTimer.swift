/// The B-BUS's timers.
public enum BBUSTimer: Hashable, Codable, Sendable {
    /// The sellers' response window ends: silence counts as "unable" (ETSI Inquiry and Quote step 6).
    case responseDeadline
}

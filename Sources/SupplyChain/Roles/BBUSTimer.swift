/// The B-BUS's timers.
public enum BBUSTimer: Hashable, Codable, Sendable {
    /// The sellers' response window ends: silence counts as "unable" (ETSI Inquiry and Quote step 6).
    case responseDeadline
    /// An agreed invoice falls due (or, with an injected delay, the day the buyer pays it late): pay it.
    case paymentDue(invoiceID: String)
}

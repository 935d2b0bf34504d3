/// A timer and the role that owns it: the B-BUS waits for its sellers, the SCO for its order windows, activations,
/// changes and terms. The router hands each timer back to its owner.
public enum RoleTimer: Hashable, Codable, Sendable, CustomStringConvertible {
    case bbus(BBUSTimer)
    case sco(SCOTimer)

    /// A timer as journals written before timers were typed name it, or `nil` for a name no role ever used.
    public init?(journaled text: String) {
        let parts = text.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        switch (parts[0], parts.count > 1 ? parts[1] : nil) {
        case ("deadline", nil): self = .bbus(.responseDeadline)
        case ("accept", nil): self = .sco(.acceptanceWindow)
        case ("activation", nil): self = .sco(.activationWindow)
        case ("element", let itemID?): self = .sco(.elementActivation(itemID: itemID))
        case ("change", _): self = .sco(.changeDone)
        case ("term", let serviceID?): self = .sco(.endOfTerm(serviceID: serviceID))
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .bbus(let timer): "bbus.\(timer)"
        case .sco(let timer): "sco.\(timer)"
        }
    }
}

/// The B-BUS's timers.
public enum BBUSTimer: Hashable, Codable, Sendable {
    /// The sellers' response window ends: silence counts as "unable" (ETSI Inquiry and Quote step 6).
    case responseDeadline
}

/// The SCO's timers, one per fulfilment, change and term process.
public enum SCOTimer: Hashable, Codable, Sendable {
    /// The Order Acceptance Window ends (PDL-034).
    case acceptanceWindow
    /// The Order Activation Window ends (PDL-037).
    case activationWindow
    /// The SOF finishes activating one element (PDL-050).
    case elementActivation(itemID: String)
    /// This provider's part of a change (and its outage) is over (PDL-118).
    case changeDone
    /// A product term ends: roll, renew or disconnect.
    case endOfTerm(serviceID: String)
}

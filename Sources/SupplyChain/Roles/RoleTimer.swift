/// A timer and the role that owns it: the B-BUS waits for its sellers, the SCO for its order windows, activations,
/// changes and terms. The router hands each timer back to its owner.
public enum RoleTimer: Hashable, Codable, Sendable, CustomStringConvertible {
    case bbus(BBUSTimer)
    case sco(SCOTimer)
    case sbus(SBUSTimer)

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
        case .sbus(let timer): "sbus.\(timer)"
        }
    }
}

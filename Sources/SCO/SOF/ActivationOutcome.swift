import SupplyChain

/// How activating an element goes: whether it succeeds, how long it takes, in words.
public struct ActivationOutcome: Sendable, Hashable {
    public let succeeds: Bool
    public let takes: TimeSpan
    public let detail: String

    public init(succeeds: Bool, takes: TimeSpan, detail: String) {
        self.succeeds = succeeds
        self.takes = takes
        self.detail = detail
    }
}

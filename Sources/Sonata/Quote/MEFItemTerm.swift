/// The commitment term of a quote or order item (`MEFItemTerm`): how long, and what happens when it ends.
public struct MEFItemTerm: Codable, Sendable, Hashable {
    /// The name of the term, e.g. `Yearly Subscription`.
    public let name: String
    /// A description of the term.
    public let description: String?
    /// How long the term lasts.
    public let duration: Duration
    /// What the Seller does when the term expires.
    public let endOfTermAction: EndOfTermAction
    /// With `roll`: the period the Buyer keeps paying for after the term; absent otherwise.
    public let rollInterval: Duration?

    public init(
        name: String,
        description: String? = nil,
        duration: Duration,
        endOfTermAction: EndOfTermAction,
        rollInterval: Duration? = nil
    ) {
        self.name = name
        self.description = description
        self.duration = duration
        self.endOfTermAction = endOfTermAction
        self.rollInterval = rollInterval
    }
}

/// What the Seller does when a term expires (`MEFEndOfTermAction`).
public enum EndOfTermAction: String, SonataEnum {
    /// The contract continues for `rollInterval` at a time.
    case roll
    /// The product is disconnected.
    case autoDisconnect
    /// The contract renews for the same duration.
    case autoRenew
}

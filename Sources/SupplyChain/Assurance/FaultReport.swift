import Ledger

/// What a provider decides to do about a fault (ETSI PDL §25: the root-cause analysis and the decision are internal
/// to the provider, so the simulator takes them as inputs).
public enum FaultDecision: Codable, Sendable, Hashable {
    /// Repair. An internal repair with an outage takes the service down for `outage` (scenario F) and is done when
    /// the outage ends; without one (G) it is done after `repairTime`. For an external fault the seller repairs
    /// (D, E) and the outage, if any, is the seller's.
    case restore(outage: TimeSpan, repairTime: TimeSpan)
    /// Terminate the service (A, B, C).
    case abandon
    /// Leave it (H).
    case ignore
}

/// A fault on one element of a service this provider delivers, as its monitoring (or its root-cause analysis of a
/// buyer's ticket) sees it. Whether the fault is internal or external follows from the inventory: an element the
/// provider's SOF delivers is internal, one bought from a seller external.
public struct FaultReport: Codable, Sendable, Hashable {
    /// This provider's service id.
    public let serviceID: String
    /// The element that failed (the order item id).
    public let itemID: String
    /// Whether the service is still in operation (A–H) or not (J, K: an instance that has already ended).
    public let inOperation: Bool
    public let decision: FaultDecision
    /// Whether the provider acts on it now (proactive fault management, ETSI PDL §22); otherwise it knows of the
    /// fault and acts when a ticket arrives.
    public let detected: Bool
    /// What was seen, for the tickets and the ledger.
    public let description: String

    public init(
        serviceID: String, itemID: String, inOperation: Bool, decision: FaultDecision, detected: Bool,
        description: String
    ) {
        self.serviceID = serviceID
        self.itemID = itemID
        self.inOperation = inOperation
        self.decision = decision
        self.detected = detected
        self.description = description
    }
}

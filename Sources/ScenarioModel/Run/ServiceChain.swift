import Ledger
import SCO
import SupplyChain

/// What a provider's inventory says about one service: its state and where each element comes from. The drivers
/// read it to walk a retail service down the chain (the simulator from the cores, `broker cluster` from each node's
/// operator route).
public struct ServiceSnapshot: Codable, Sendable, Hashable {
    public struct Element: Codable, Sendable, Hashable {
        public let itemID: String
        /// `nil` when the provider delivers it itself.
        public let seller: PartyID?
        public let sellerServiceID: String?
    }

    public let serviceID: String
    public let buyer: PartyID
    /// active, pendingTerminate or terminated.
    public let state: String
    public let elements: [Element]

    public init(_ record: ServiceRecord) {
        serviceID = record.serviceID
        buyer = record.buyer
        state = record.state.rawValue
        elements = record.elements.map {
            Element(itemID: $0.itemID, seller: $0.seller, sellerServiceID: $0.sellerServiceID)
        }
    }

    /// The element for `itemID` (or the first), and the seller's service behind it, if it is bought.
    public func element(_ itemID: String) -> Element? {
        elements.first { $0.itemID == itemID } ?? elements.first
    }

    /// The next hop down the chain for `itemID`: the seller and its service id.
    public func next(_ itemID: String) -> (PartyID, String)? {
        guard let element = element(itemID), let seller = element.seller, let id = element.sellerServiceID else {
            return nil
        }
        return (seller, id)
    }
}

/// One hop of a retail service down the chain: the provider and its record of the service.
public struct ServiceHop: Sendable {
    public let party: PartyID
    public let service: ServiceSnapshot

    public init(party: PartyID, service: ServiceSnapshot) {
        self.party = party
        self.service = service
    }

    /// The chain behind element `itemID` of a retail service, from the retail seller down to the provider that
    /// delivers the element itself, read from each provider's inventory (`lookup`).
    public static func chain(
        from seller: PartyID, serviceID: String, itemID: String, lookup: (PartyID, String) -> ServiceSnapshot?
    ) -> [ServiceHop] {
        var hops: [ServiceHop] = []
        var next: (PartyID, String)? = (seller, serviceID)
        while let (party, id) = next, let service = lookup(party, id), hops.count < 64 {
            hops.append(ServiceHop(party: party, service: service))
            next = service.next(itemID)
        }
        return hops
    }
}

extension SimulationPlan.FaultPlan {
    /// The fault reports this fault gives the providers along `chain`, from the faulty provider up: the faulty
    /// provider's own element, and the alarm each provider above it sees on the element bought from below (with
    /// its decision). Empty when the faulty provider is not on the chain.
    public func reports(along chain: [ServiceHop]) -> [(party: PartyID, report: FaultReport)] {
        let location = provider.flatMap { party in chain.firstIndex { $0.party == party } } ?? (chain.count - 1)
        guard location >= 0, location < chain.count else { return [] }
        var detector: Int?
        switch detectedBy {
        case .faultyProvider: detector = location
        case .provider(let party): detector = chain.firstIndex { $0.party == party }
        case .none: detector = nil
        }
        return chain.indices.prefix(location + 1).reversed().map { index in
            let hop = chain[index]
            return (
                hop.party,
                FaultReport(
                    serviceID: hop.service.serviceID, itemID: hop.service.element(itemID)?.itemID ?? itemID,
                    inOperation: inOperation,
                    decision: index == location
                        ? decision : (decisions[hop.party] ?? .restore(outage: .zero, repairTime: .zero)),
                    detected: index == detector, description: description)
            )
        }
    }
}

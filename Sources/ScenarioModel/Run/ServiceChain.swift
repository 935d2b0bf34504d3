import Ledger
import SCO
import SupplyChain

/// One hop of a retail service down the chain: the provider, its service id, and its record of the service.
public struct ServiceHop: Sendable {
    public let party: PartyID
    public let serviceID: String
    public let record: ServiceRecord
}

extension ServiceHop {
    /// The chain behind element `itemID` of a retail service, from the retail seller down to the provider that
    /// delivers the element itself, read from each provider's inventory (`lookup`).
    public static func chain(
        from seller: PartyID, serviceID: String, itemID: String,
        lookup: (PartyID, String) -> ServiceRecord?
    ) -> [ServiceHop] {
        var hops: [ServiceHop] = []
        var next: (PartyID, String)? = (seller, serviceID)
        while let (party, id) = next, let record = lookup(party, id), hops.count < 64 {
            hops.append(ServiceHop(party: party, serviceID: id, record: record))
            let element = record.elements.first { $0.itemID == itemID } ?? record.elements.first
            next = element.flatMap { element in
                element.seller.flatMap { seller in element.sellerServiceID.map { (seller, $0) } }
            }
        }
        return hops
    }
}

extension SimulationPlan.FaultPlan {
    /// The fault reports this fault gives the providers along `chain`: the faulty provider's own element, and the
    /// alarm each provider above it sees on the element bought from below (with its decision). Empty when the
    /// faulty provider is not on the chain.
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
            let element = hop.record.elements.first { $0.itemID == itemID } ?? hop.record.elements.first
            return (
                hop.party,
                FaultReport(
                    serviceID: hop.serviceID, itemID: element?.itemID ?? itemID, inOperation: inOperation,
                    decision: index == location
                        ? decision : (decisions[hop.party] ?? .restore(outage: .zero, repairTime: .zero)),
                    detected: index == detector, description: description)
            )
        }
    }
}

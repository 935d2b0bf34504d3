import BBUS
import CanonicalJSON
import Ledger
import Provider
import SBUS
import SCO
import ScenarioModel
import Sonata
import SupplyChain

/// Builds a large random wholesale ecosystem for the simulator benchmark: providers with routes to one another,
/// product offerings delivered at the end of chains of 3 to 8 hops, and a stream of retail POQs.
///
/// Every chain is a route for one offering: each hop buys that offering from the next (its B-BUS relationship is
/// limited to the offering), the last hop has it in its catalog. A third of the chains get a second, competing
/// seller at one hop, so B-BUS ranking is exercised too. All choices come from the seed.
public enum EcosystemGenerator {
    public struct Shape: Sendable {
        public var providers: Int
        public var requests: Int
        public var chains: Int
        public var minHops: Int
        public var maxHops: Int

        public init(
            providers: Int = 1_000, requests: Int = 10_000, chains: Int = 2_000, minHops: Int = 3, maxHops: Int = 8
        ) {
            self.providers = providers
            self.requests = requests
            self.chains = chains
            self.minHops = minHops
            self.maxHops = maxHops
        }
    }

    public static func plan(_ shape: Shape, seed: UInt64) -> SimulationPlan {
        var random = SeededEntropy(seed: seed)
        let ids = (0..<shape.providers).map { PartyID(rawValue: "P\($0)") }
        var sellers: [[PartyID]] = Array(repeating: [], count: shape.providers)
        var offerings: [[PartyID: Set<String>]] = Array(repeating: [:], count: shape.providers)
        var catalogs: [[CatalogEntry]] = Array(repeating: [], count: shape.providers)
        var entries: [(offering: String, entry: Int)] = []

        func buys(_ buyer: Int, _ offering: String, from seller: Int) {
            if !sellers[buyer].contains(ids[seller]) { sellers[buyer].append(ids[seller]) }
            offerings[buyer][ids[seller], default: []].insert(offering)
        }

        for chain in 0..<shape.chains {
            let hops = Int.random(in: shape.minHops...shape.maxHops, using: &random)
            var members: [Int] = []
            while members.count < hops {
                let candidate = Int.random(in: 0..<shape.providers, using: &random)
                if !members.contains(candidate) { members.append(candidate) }
            }
            let offering = "OFFER-\(chain)"
            for index in 0..<(hops - 1) { buys(members[index], offering, from: members[index + 1]) }
            let last = members[hops - 1]
            let cost = Double(Int.random(in: 100...900, using: &random))
            catalogs[last].append(
                CatalogEntry(
                    offering: offering, places: ["*"], cost: Money(amount: cost), leadTime: .days(Int64(hops * 3))))
            if chain % 3 == 0, hops >= 3 {
                // A competing seller for the hop before last: it delivers the same offering at another price.
                var rival = Int.random(in: 0..<shape.providers, using: &random)
                while members.contains(rival) { rival = Int.random(in: 0..<shape.providers, using: &random) }
                buys(members[hops - 2], offering, from: rival)
                catalogs[rival].append(
                    CatalogEntry(
                        offering: offering, places: ["*"], cost: Money(amount: cost * 0.9), leadTime: .days(20)))
            }
            entries.append((offering, members[0]))
        }

        let configurations = (0..<shape.providers).map { index in
            let contact = RelatedContactInformation(
                name: "\(ids[index]) desk", emailAddress: "desk@p\(index).example", number: "+1-555-0100",
                role: POQValidator.buyerContactRole)
            return ProviderConfiguration(
                party: ids[index],
                sbus: SBUSConfiguration(
                    markupBasisPoints: Int64(Int.random(in: 300...2_000, using: &random)),
                    processingTime: .milliseconds(200),
                    sellerContact: RelatedContactInformation(
                        name: contact.name, emailAddress: contact.emailAddress, number: contact.number,
                        role: POQValidator.sellerContactRole)),
                catalog: catalogs[index],
                bbus: BBUSConfiguration(sellers: sellers[index], offerings: offerings[index], buyerContact: contact))
        }

        var demands: [SimulationPlan.Demand] = []
        for request in 0..<shape.requests {
            let (offering, entry) = entries[Int.random(in: 0..<entries.count, using: &random)]
            let spec = Scenario.DemandSpec(
                id: "d\(request)", buyer: "RETAIL-\(request % 50)", seller: ids[entry].rawValue,
                provideAlternative: false)
            let at = TimeSpan(milliseconds: Int64(request) * 10)
            let window = TimeSpan.minutes(10)
            demands.append(
                SimulationPlan.Demand(
                    id: spec.id, at: at, buyer: PartyID(rawValue: spec.buyer), seller: ids[entry], kind: .poq,
                    payload: SimulationPlan.payload(
                        for: spec, items: [Scenario.ItemSpec(id: "item-1", offering: offering)], immediate: false,
                        completion: benchmarkStart + at + window),
                    deferred: true, window: window, registerHub: false))
        }
        return SimulationPlan(
            name: "generated-\(shape.providers)-providers", seed: seed, start: benchmarkStart,
            providers: configurations,
            demands: demands, latency: .milliseconds(10))
    }

    static let benchmarkStart = Instant(milliseconds: 1_767_603_600_000)
}

extension TimeSpan {
    static func milliseconds(_ value: Int64) -> TimeSpan { TimeSpan(milliseconds: value) }
}

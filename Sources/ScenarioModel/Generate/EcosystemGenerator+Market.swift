import Foundation
import SupplyChain

extension EcosystemGenerator {
    /// A market being generated: its providers and demand, drawn in a fixed order from one seeded stream, then
    /// written as YAML.
    struct Market {
        struct Entry {
            var offering: String
            var places: [String]
            var cost: Double
            var leadTime: TimeSpan
            var confidence: String
            /// SLA and measured performance (the reports benchmark): availability ppm, delay µs, each.
            var measured: (slaPPM: Int, delayMicros: Int, performancePPM: Int, performanceDelayMicros: Int)?
        }

        struct Provider {
            var id: String
            var markupBasisPoints = 0
            var sellers: [String] = []
            /// When the relationship covers only some offerings: by seller.
            var offerings: [String: [String]] = [:]
            var catalog: [Entry] = []
            var slow = false
        }

        struct Demand {
            var id: String
            var at: Int64
            var buyer: String
            var seller: String
            var inquiry: Bool
            var offering: String
            var place: String?
        }

        let parameters: Parameters
        var random: SeededEntropy
        var providers: [Provider] = []
        var tierOf: [Int] = []
        /// The first tier's providers (who the retail buyers ask), and what each can be asked for.
        var entries: [(offering: String, provider: Int)] = []
        /// Latency of each trading link, by the two indices, lower first.
        var links: [(Int, Int, Int)] = []
        var linked: Set<Int> = []
        var demands: [Demand] = []

        init(parameters: Parameters, random: SeededEntropy) {
            self.parameters = parameters
            self.random = random
        }

        mutating func draw(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

        mutating func happens(_ probability: Double) -> Bool { StochasticStream.happens(probability, &random) }

        mutating func confidence() -> String {
            let weights = parameters.confidence
            if weights[1] == 0 && weights[2] == 0 { return "green" }  // nothing to draw
            var pick = draw(0...(weights.reduce(0, +) - 1))
            for (index, weight) in weights.enumerated() {
                if pick < weight { return ["green", "yellow", "red"][index] }
                pick -= weight
            }
            return "green"
        }

        mutating func buys(_ buyer: Int, from seller: Int, offering: String? = nil) {
            if !providers[buyer].sellers.contains(providers[seller].id) {
                providers[buyer].sellers.append(providers[seller].id)
                // One latency for every link (the benchmarks' ecosystem) is the default latency: nothing to draw.
                if parameters.latencyMillis.count > 1,
                    linked.insert(min(buyer, seller) << 32 | max(buyer, seller)).inserted
                {
                    links.append((min(buyer, seller), max(buyer, seller), draw(parameters.latencyMillis)))
                }
            }
            if let offering, !providers[buyer].offerings[providers[seller].id, default: []].contains(offering) {
                providers[buyer].offerings[providers[seller].id, default: []].append(offering)
            }
        }

        // MARK: - Topologies

        mutating func tiers(_ sizes: [Int], sellersPerProvider: Int, peerShare: Double) {
            var members: [[Int]] = []
            for (tier, size) in sizes.enumerated() {
                let width = String(size - 1).count
                members.append([])
                for index in 0..<size {
                    let number = String(index)
                    members[tier].append(providers.count)
                    providers.append(
                        Provider(id: "T\(tier)-" + String(repeating: "0", count: width - number.count) + number))
                    tierOf.append(tier)
                }
            }
            for index in providers.indices {
                providers[index].markupBasisPoints = draw(parameters.markupBasisPoints)
                providers[index].slow = parameters.slowTier == tierOf[index]
            }
            let last = sizes.count - 1
            for index in providers.indices where tierOf[index] < last {
                let below = members[tierOf[index] + 1]
                var chosen: [Int] = []
                while chosen.count < min(sellersPerProvider, below.count) {
                    let candidate = below[draw(0...(below.count - 1))]
                    if !chosen.contains(candidate) { chosen.append(candidate) }
                }
                for seller in chosen { buys(index, from: seller) }
            }
            for index in providers.indices {
                let peers = members[tierOf[index]].filter { $0 != index }
                guard !peers.isEmpty, happens(peerShare) else { continue }
                let peer = peers[draw(0...(peers.count - 1))]
                buys(index, from: peer)
                if happens(0.5) { buys(peer, from: index) }  // a mutual trading pair
            }
            let sites = (0..<parameters.places).map { "SITE-\($0)" }
            for index in members[last] {
                for offering in 0..<parameters.offerings {
                    var places: [String] = ["*"]
                    if !sites.isEmpty {
                        let count = min(draw(parameters.placesPerEntry), sites.count)
                        places = []
                        while places.count < count {
                            let site = sites[draw(0...(sites.count - 1))]
                            if !places.contains(site) { places.append(site) }
                        }
                        places.sort { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }
                    }
                    providers[index].catalog.append(
                        Entry(
                            offering: "OFFER-\(offering)", places: places, cost: Double(draw(parameters.cost)),
                            leadTime: .days(Int64(draw(5...30))), confidence: confidence(), measured: nil))
                }
            }
            for index in members[0] {
                for offering in 0..<parameters.offerings { entries.append(("OFFER-\(offering)", index)) }
            }
        }

        mutating func chains(providers count: Int, chains: Int, hops range: ClosedRange<Int>) {
            providers = (0..<count).map { Provider(id: "P\($0)") }
            tierOf = Array(repeating: 0, count: count)
            let reporting = parameters.reportingDays != nil
            for chain in 0..<chains {
                let hops = draw(range)
                var members: [Int] = []
                while members.count < hops {
                    let candidate = draw(0...(count - 1))
                    if !members.contains(candidate) { members.append(candidate) }
                }
                let offering = "OFFER-\(chain)"
                for index in 0..<(hops - 1) { buys(members[index], from: members[index + 1], offering: offering) }
                let cost = Double(draw(parameters.cost))
                providers[members[hops - 1]].catalog.append(
                    entry(offering, cost: cost, leadTime: reporting ? Reporting.leadTime : .days(Int64(hops * 3))))
                // With every provider already on the route there is nobody left to compete.
                if chain % 3 == 0, hops >= 3, hops < count {
                    // A competing seller for the hop before last: it delivers the same offering at 90 % of the price
                    // (in cents, so that the file says it exactly).
                    var rival = draw(0...(count - 1))
                    while members.contains(rival) { rival = draw(0...(count - 1)) }
                    buys(members[hops - 2], from: rival, offering: offering)
                    providers[rival].catalog.append(
                        entry(
                            offering, cost: (cost * 90).rounded() / 100,
                            leadTime: reporting ? Reporting.leadTime : .days(20)))
                }
                entries.append((offering, members[0]))
            }
            for index in providers.indices { providers[index].markupBasisPoints = draw(parameters.markupBasisPoints) }
        }

        /// A catalog entry of the chains; with reporting, an SLA (availability 99.9 % to 99.99 %, a delay of 1 to
        /// 10 ms) and a measured baseline comfortably within it.
        mutating func entry(_ offering: String, cost: Double, leadTime: TimeSpan) -> Entry {
            var entry = Entry(
                offering: offering, places: ["*"], cost: cost, leadTime: leadTime, confidence: confidence(),
                measured: nil)
            guard parameters.reportingDays != nil else { return entry }
            let availability = [999_000, 999_500, 999_900][draw(0...2)]
            let delay = draw(1...10) * 1_000
            entry.measured = (availability, delay, 1_000_000 - draw(0...50), delay * draw(60...85) / 100)
            return entry
        }

        // MARK: - Demand

        mutating func demand() {
            guard !entries.isEmpty else { return }
            var at: Int64 = 0
            let sites = (0..<parameters.places).map { "SITE-\($0)" }
            for request in 0..<parameters.demands {
                if let rate = parameters.ratePerHour {
                    if request > 0 {
                        let unit = StochasticStream.unitInterval(&random)
                        at += Int64((-log(1 - unit) * 3_600_000 / rate).rounded())
                    }
                } else {
                    at = Int64(request) * parameters.spacing.milliseconds
                }
                let (offering, provider) = entries[draw(0...(entries.count - 1))]
                let place = sites.isEmpty ? nil : sites[draw(0...(sites.count - 1))]
                demands.append(
                    Demand(
                        id: "d\(request)", at: at, buyer: "RETAIL-\(request % parameters.buyers)",
                        seller: providers[provider].id, inquiry: happens(parameters.inquiryShare),
                        offering: offering, place: place))
            }
        }
    }
}

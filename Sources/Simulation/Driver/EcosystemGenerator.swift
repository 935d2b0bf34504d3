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
///
/// With `reportingDays`, the ecosystem is the reports benchmark's: every offering has an SLA and a measured
/// baseline in its catalog, all with the same lead time, and each retail demand is an inquiry whose quote is
/// ordered with daily scheduled reports and a term of at least a year; virtual time stops once every service has
/// been reported on for that many days.
public enum EcosystemGenerator {
    public struct Shape: Sendable {
        public var providers: Int
        public var requests: Int
        public var chains: Int
        public var minHops: Int
        public var maxHops: Int
        /// Days of daily performance reports on every ordered service; `nil`: retail POQs only.
        public var reportingDays: Int?

        public init(
            providers: Int = 1_000, requests: Int = 10_000, chains: Int = 2_000, minHops: Int = 3, maxHops: Int = 8,
            reportingDays: Int? = nil
        ) {
            self.providers = providers
            self.requests = requests
            self.chains = chains
            self.minHops = minHops
            self.maxHops = maxHops
            self.reportingDays = reportingDays
        }
    }

    /// The reports benchmark's ordering: the inquiry's answer window, the wait before ordering, the one lead time
    /// of every offering, and the reporting schedule (daily, each report due within an hour).
    public enum Reporting {
        public static let answerWindow = TimeSpan.minutes(10)
        public static let orderAfter = TimeSpan.minutes(1)
        public static let leadTime = TimeSpan.days(5)
        public static let every = TimeSpan.days(1)
        /// Each provider publishes its SLA reputation on its omni-lateral ledger at most once a month.
        public static let publication = TimeSpan.days(30)
        public static let within = TimeSpan.hours(1)

        /// Virtual time after the last demand: until its service, ordered and activated, has had `days` daily
        /// reports, plus six hours, so that a report a few minutes late still counts and none more is due.
        static func runFor(days: Int) -> TimeSpan {
            answerWindow + orderAfter + leadTime + .days(Int64(days)) + .hours(6)
        }

        /// A term of at least a year that outlasts the run.
        static func term(days: Int) -> TimeSpan { .days(Int64(max(365, days + 30))) }
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
            let reporting = shape.reportingDays != nil
            catalogs[last].append(
                CatalogEntry(
                    offering: offering, places: ["*"], cost: Money(amount: cost),
                    leadTime: reporting ? Reporting.leadTime : .days(Int64(hops * 3)),
                    measured: reporting, using: &random))
            // With every provider already on the route there is nobody left to compete.
            if chain % 3 == 0, hops >= 3, hops < shape.providers {
                // A competing seller for the hop before last: it delivers the same offering at another price.
                var rival = Int.random(in: 0..<shape.providers, using: &random)
                while members.contains(rival) { rival = Int.random(in: 0..<shape.providers, using: &random) }
                buys(members[hops - 2], offering, from: rival)
                catalogs[rival].append(
                    CatalogEntry(
                        offering: offering, places: ["*"], cost: Money(amount: cost * 0.9),
                        leadTime: reporting ? Reporting.leadTime : .days(20), measured: reporting, using: &random))
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
                bbus: BBUSConfiguration(sellers: sellers[index], offerings: offerings[index], buyerContact: contact),
                reputationPublication: Reporting.publication)
        }

        var demands: [SimulationPlan.Demand] = []
        for request in 0..<shape.requests {
            let (offering, entry) = entries[Int.random(in: 0..<entries.count, using: &random)]
            let spec = Scenario.DemandSpec(
                id: "d\(request)", buyer: "RETAIL-\(request % 50)", seller: ids[entry].rawValue,
                provideAlternative: false)
            let at = TimeSpan(milliseconds: Int64(request) * 10)
            let window = shape.reportingDays == nil ? TimeSpan.minutes(10) : Reporting.answerWindow
            demands.append(
                SimulationPlan.Demand(
                    id: spec.id, at: at, buyer: PartyID(rawValue: spec.buyer), seller: ids[entry],
                    kind: shape.reportingDays == nil ? .poq : .inquiry,
                    payload: SimulationPlan.payload(
                        for: spec, items: [Scenario.ItemSpec(id: "item-1", offering: offering)], immediate: false,
                        completion: benchmarkStart + at + window),
                    deferred: true, window: window, registerHub: false,
                    order: shape.reportingDays.map { days in
                        SimulationPlan.OrderPlan(
                            after: Reporting.orderAfter, term: Reporting.term(days: days),
                            reports: (Reporting.every, Reporting.within))
                    }))
        }
        return SimulationPlan(
            name: "generated-\(shape.providers)-providers", seed: seed, start: benchmarkStart,
            providers: configurations,
            demands: demands, latency: .milliseconds(10),
            runFor: shape.reportingDays.map(Reporting.runFor(days:)) ?? .days(1_095))
    }

    static let benchmarkStart = Instant(milliseconds: 1_767_603_600_000)
}

extension CatalogEntry {
    /// A generated catalog entry; `measured` gives it an SLA (availability 99.9 % to 99.99 %, a delay of 1 to
    /// 10 ms, frame loss 0.01 %, delay variation a fifth of the delay) and a baseline comfortably within it.
    fileprivate init(
        offering: String, places: [String], cost: Money, leadTime: TimeSpan, measured: Bool,
        using random: inout SeededEntropy
    ) {
        self.init(offering: offering, places: places, cost: cost, leadTime: leadTime)
        guard measured else { return }
        let availability = [999_000, 999_500, 999_900][Int.random(in: 0..<3, using: &random)]
        let delay = Int64(Int.random(in: 1...10, using: &random)) * 1_000
        sla = SLAObjectives(
            availabilityPPM: Int64(availability), delayMicros: delay, frameLossPPM: 100,
            delayVariationMicros: delay / 5)
        performance = PerformanceMetrics(
            availabilityPPM: PerformanceMetrics.million - Int64(Int.random(in: 0...50, using: &random)),
            delayMicros: delay * Int64(Int.random(in: 60...85, using: &random)) / 100, frameLossPPM: 40,
            delayVariationMicros: delay / 10)
    }
}

extension TimeSpan {
    static func milliseconds(_ value: Int64) -> TimeSpan { TimeSpan(milliseconds: value) }
}

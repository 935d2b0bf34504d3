import Foundation
import Ledger
import SupplyChain

/// Writes scenario files of generated wholesale ecosystems (`broker generate`): providers and who buys from whom,
/// catalogs, markups, latencies, stochastic behaviour and a stream of retail demand, every choice drawn from the
/// seed, so that the same parameters and seed give the same file, byte for byte.
///
/// Two topologies. `tiers`: providers in tiers, each buying from a few providers of the tier below and, with a
/// given share, from a peer of its own tier (mutual pairs and cycles, which loop prevention must break); the
/// lowest tier delivers every offering at some places. `chains` (the benchmarks' ecosystem): routes of 3 to 8
/// hops through random providers, one offering per route, each hop buying only that offering from the next, and a
/// third of the routes with a competing seller at the hop before last.
///
/// The benchmarks run the file this writes (`plan(_:seed:)`): one piece of code makes every generated ecosystem.
public enum EcosystemGenerator {
    /// What to generate. The defaults are a small tiered market; `benchmark(_:)` is the benchmarks' preset.
    public struct Parameters: Sendable, Hashable {
        public enum Topology: Sendable, Hashable {
            /// Providers per tier (tier 0 sells to the retail buyers), sellers each provider buys from in the tier
            /// below, and the share of providers that also buy from a peer of their own tier.
            case tiers([Int], sellersPerProvider: Int, peerShare: Double)
            /// The benchmarks' routes.
            case chains(providers: Int, chains: Int, hops: ClosedRange<Int>)
        }

        public var name: String?
        public var topology: Topology = .tiers([2, 4, 4], sellersPerProvider: 2, peerShare: 0.1)
        /// Product offerings the lowest tier delivers (`OFFER-0`, …).
        public var offerings = 2
        /// Places (`SITE-0`, …); 0: every offering everywhere.
        public var places = 4
        /// How many places each catalog entry covers.
        public var placesPerEntry: ClosedRange<Int> = 1...3
        /// Monthly cost of a catalog entry.
        public var cost: ClosedRange<Int> = 100...900
        /// Weights of green, yellow and red confidence in the catalogs.
        public var confidence: [Int] = [8, 1, 1]
        public var markupBasisPoints: ClosedRange<Int> = 300...2_000
        /// One-way latency of each trading link, in milliseconds.
        public var latencyMillis: ClosedRange<Int> = 5...50
        public var processingTime = TimeSpan(milliseconds: 200)
        /// Retail requests, their arrivals (a Poisson process of `ratePerHour`, or one every `spacing`), the share
        /// of inquiries (the rest are POQs), their window and the number of retail buyers.
        public var demands = 10
        public var ratePerHour: Double? = 60
        public var spacing = TimeSpan(milliseconds: 10)
        public var inquiryShare = 0.0
        public var window = TimeSpan.hours(1)
        public var buyers = 5
        /// A tier whose providers hold every message they send for a drawn delay, and the delay.
        public var slowTier: Int?
        public var slowDelay: DelayDistribution = .exponential(mean: .minutes(20), cap: .hours(2))
        /// The probability that a provider of any tier ignores a request (0: never).
        public var silence = 0.0
        /// The benchmarks' reporting: days of daily performance reports on every ordered service.
        public var reportingDays: Int?
        /// Virtual time after the last demand (default: a day, three years for the chains).
        public var runFor: TimeSpan?

        public init() {}

        /// The benchmarks' ecosystem.
        public static func benchmark(_ shape: Shape) -> Parameters {
            var parameters = Parameters()
            parameters.name = "generated-\(shape.providers)-providers"
            parameters.topology = .chains(
                providers: shape.providers, chains: shape.chains, hops: shape.minHops...shape.maxHops)
            parameters.places = 0
            parameters.cost = 100...900
            parameters.confidence = [1, 0, 0]
            parameters.latencyMillis = 10...10
            parameters.demands = shape.requests
            parameters.ratePerHour = nil
            parameters.spacing = shape.spacing
            parameters.inquiryShare = shape.inquiryShare ?? (shape.reportingDays == nil ? 0 : 1)
            parameters.window = shape.reportingDays == nil ? .minutes(10) : Reporting.answerWindow
            parameters.buyers = 50
            parameters.reportingDays = shape.reportingDays
            parameters.runFor = shape.reportingDays.map(Reporting.runFor(days:)) ?? .days(1_095)
            return parameters
        }

        /// Refuses parameters that cannot make a market; the path names the `broker generate` option.
        public func validate() throws(ScenarioError) {
            func check(_ condition: Bool, _ path: String, _ message: String) throws(ScenarioError) {
                if !condition { throw ScenarioError(path: path, message: message) }
            }
            switch topology {
            case .tiers(let tiers, let sellers, let peerShare):
                try check(
                    !tiers.isEmpty && tiers.allSatisfy { $0 > 0 }, "--tiers", "give positive tier sizes: 10,40,70,80")
                try check(tiers.reduce(0, +) <= 100_000, "--tiers", "at most 100,000 providers")
                try check(sellers >= 1, "--sellers", "a provider buys from at least 1 seller")
                try check((0...1).contains(peerShare), "--peer-share", "a share from 0 to 1")
                if let slowTier {
                    try check(
                        (0..<tiers.count).contains(slowTier), "--slow-tier", "a tier from 0 to \(tiers.count - 1)")
                }
            case .chains(let providers, let chains, let hops):
                try check(
                    hops.lowerBound >= 2 && providers >= hops.upperBound, "--hops", "2 or more, up to the providers")
                try check(chains > 0, "--chains", "at least one route")
            }
            try check(offerings >= 1, "--offerings", "at least 1")
            try check(places >= 0, "--places", "0 (everywhere) or more")
            try check(placesPerEntry.lowerBound >= 1, "--places-per-entry", "at least 1")
            try check(cost.lowerBound >= 0, "--cost", "costs are 0 or more")
            try check(
                confidence.count == 3 && confidence.allSatisfy { $0 >= 0 } && confidence.reduce(0, +) > 0,
                "--confidence", "three weights, green, yellow, red: 8,1,1")
            try check(markupBasisPoints.lowerBound >= 0, "--markup", "a markup is 0 % or more")
            try check(latencyMillis.lowerBound >= 0, "--latency", "a latency is 0 or more")
            try check(demands >= 0, "--demands", "0 or more")
            if let ratePerHour { try check(ratePerHour > 0 && ratePerHour.isFinite, "--rate", "a positive rate") }
            try check((0...1).contains(inquiryShare), "--inquiry-share", "a share from 0 to 1")
            try check(window > .zero, "--window", "a positive duration")
            try check(buyers >= 1, "--buyers", "at least 1")
            try check((0...1).contains(silence), "--silence", "a probability from 0 to 1")
        }
    }

    /// The benchmarks' ecosystem size.
    public struct Shape: Sendable {
        public var providers: Int
        public var requests: Int
        public var chains: Int
        public var minHops: Int
        public var maxHops: Int
        /// Days of daily performance reports on every ordered service; `nil`: retail POQs only.
        public var reportingDays: Int?
        /// The share of retail requests that are inquiries (quotes kept for an order) rather than POQs; `nil`: none
        /// (all inquiries with `reportingDays`).
        public var inquiryShare: Double?
        /// Virtual time between two retail requests.
        public var spacing: TimeSpan

        public init(
            providers: Int = 1_000, requests: Int = 10_000, chains: Int = 2_000, minHops: Int = 3, maxHops: Int = 8,
            reportingDays: Int? = nil, inquiryShare: Double? = nil, spacing: TimeSpan = TimeSpan(milliseconds: 10)
        ) {
            self.inquiryShare = inquiryShare
            self.spacing = spacing
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

    /// The benchmarks' plan: the file `benchmark(shape)` generates, parsed and planned as `broker simulate` would.
    public static func plan(_ shape: Shape, seed: UInt64) throws -> SimulationPlan {
        let text = try yaml(.benchmark(shape), seed: seed)
        return try SimulationPlan(ScenarioLoader.parse(text), directory: URL(fileURLWithPath: "."))
    }

    /// The scenario file for `parameters` and `seed`.
    /// - Parameter command: the command line that made it, written as the file's first comment.
    public static func yaml(
        _ parameters: Parameters, seed: UInt64, command: String? = nil
    ) throws(ScenarioError)
        -> String
    {
        try parameters.validate()
        var market = Market(parameters: parameters, random: SeededEntropy(seed: seed))
        switch parameters.topology {
        case .tiers(let tiers, let sellers, let peerShare):
            market.tiers(tiers, sellersPerProvider: sellers, peerShare: peerShare)
        case .chains(let providers, let chains, let hops):
            market.chains(providers: providers, chains: chains, hops: hops)
        }
        market.demand()
        return market.yaml(seed: seed, command: command)
    }
}

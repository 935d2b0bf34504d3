import BBUS
import CanonicalJSON
import Foundation
import Ledger
import Provider
import SBUS
import SCO
import Sonata
import SupplyChain

/// A scenario checked and turned into what the simulator runs: provider configurations, link latencies,
/// injected behaviour, timed retail demand and expectations.
public struct SimulationPlan: Sendable {
    public struct Behaviour: Sendable, Hashable {
        public var silent = false
        public var delay: TimeSpan = .zero
        /// A delay drawn afresh for each message sent (the simulator's; a live node uses `delay` only).
        public var delayDistribution: DelayDistribution? = nil
        /// The probability of ignoring each request received (the simulator's).
        public var silence: Double = 0

        public init(silent: Bool = false, delay: TimeSpan = .zero) {
            self.silent = silent
            self.delay = delay
        }

        /// Whether the simulator draws anything for this provider while it runs.
        public var isStochastic: Bool { delayDistribution != nil || silence > 0 }
    }

    public struct Demand: Sendable {
        public let id: String
        public let at: TimeSpan
        public let buyer: PartyID
        public let seller: PartyID
        public let kind: RequestKind
        public let payload: JSONValue
        public let deferred: Bool
        public let window: TimeSpan
        public let registerHub: Bool
        public var order: OrderPlan? = nil

        /// A demand built in code (the benchmark's generated ecosystems) or compiled from a scenario's.
        public init(
            id: String, at: TimeSpan, buyer: PartyID, seller: PartyID, kind: RequestKind, payload: JSONValue,
            deferred: Bool, window: TimeSpan, registerHub: Bool, order: OrderPlan? = nil
        ) {
            self.id = id
            self.at = at
            self.buyer = buyer
            self.seller = seller
            self.kind = kind
            self.payload = payload
            self.deferred = deferred
            self.window = window
            self.registerHub = registerHub
            self.order = order
        }
    }

    /// The retail buyer's order and what it does with the service afterwards.
    public struct OrderPlan: Sendable {
        public let after: TimeSpan
        public let acceptanceWindow: TimeSpan
        public let activationWindow: TimeSpan
        public let term: TimeSpan?
        public let endOfTermAction: EndOfTermAction
        public let grantExtension: Bool
        public let alterItem: String?
        public let changes: [(after: TimeSpan, change: ServiceChange)]
        public let renew: (after: TimeSpan, term: TimeSpan, action: EndOfTermAction)?
        /// Scheduled performance reports: every, due within.
        public var reports: (every: TimeSpan, within: TimeSpan)? = nil
        /// How long after activation the buyer disconnects the service, if it does.
        public var disconnectAfter: TimeSpan? = nil
        /// How long after that order the disconnection takes effect (zero: at once).
        public var disconnectEffective: TimeSpan = .zero
        /// How long after that order the buyer cancels it (before it takes effect), if it does.
        public var withdrawDisconnectionAfter: TimeSpan? = nil

        /// An order built in code (the reports benchmark's generated ecosystems) or compiled from a scenario's.
        public init(
            after: TimeSpan, acceptanceWindow: TimeSpan = .hours(1), activationWindow: TimeSpan = .days(60),
            term: TimeSpan?, endOfTermAction: EndOfTermAction = .roll, grantExtension: Bool = true,
            alterItem: String? = nil, changes: [(after: TimeSpan, change: ServiceChange)] = [],
            renew: (after: TimeSpan, term: TimeSpan, action: EndOfTermAction)? = nil,
            reports: (every: TimeSpan, within: TimeSpan)? = nil
        ) {
            self.after = after
            self.acceptanceWindow = acceptanceWindow
            self.activationWindow = activationWindow
            self.term = term
            self.endOfTermAction = endOfTermAction
            self.grantExtension = grantExtension
            self.alterItem = alterItem
            self.changes = changes
            self.renew = renew
            self.reports = reports
        }
    }

    public let name: String
    public let seed: UInt64
    public let start: Instant
    public let providers: [ProviderConfiguration]
    public let behaviours: [PartyID: Behaviour]
    public let demands: [Demand]
    /// Each demand's position in `demands`, by id (the first, should two share one): every retail event looks its
    /// demand up, and a scan of `demands` made a run of many demands quadratic.
    private let demandPositions: [String: Int]
    public let expectations: [Scenario.Expectation]
    /// Faults injected into the providers' monitoring, in the file's order.
    public let faults: [FaultPlan]
    /// Trouble tickets the retail buyers open.
    public let tickets: [TicketPlan]
    /// On-demand performance reports the retail buyers ask for.
    public let reportRequests: [ReportRequestPlan]
    /// The contracts of the billed trading relationships (none: nobody is invoiced).
    public internal(set) var contracts: [TradingContract] = []
    /// Virtual time stops here.
    public let horizon: Instant
    let defaultLatency: TimeSpan
    let linkLatency: [Set<PartyID>: TimeSpan]

    /// One-way latency between two parties.
    public func latency(_ a: PartyID, _ b: PartyID) -> TimeSpan { linkLatency[[a, b]] ?? defaultLatency }

    /// The MEF Immediate Response bound (MEF 79.1 §4: less than 30 seconds).
    public static let immediateWindow = TimeSpan.seconds(30)

    /// A plan built in code (the benchmark's generated ecosystems), with one latency on every link; virtual time
    /// stops `runFor` after the last demand (default: three years).
    /// The demand with this id, if any.
    public func demand(id: String) -> Demand? { demandPositions[id].map { demands[$0] } }

    private static func positions(of demands: [Demand]) -> [String: Int] {
        var positions: [String: Int] = [:]
        for (index, demand) in demands.enumerated() where positions[demand.id] == nil { positions[demand.id] = index }
        return positions
    }

    public init(
        name: String, seed: UInt64, start: Instant, providers: [ProviderConfiguration], demands: [Demand],
        latency: TimeSpan, runFor: TimeSpan = .days(1_095)
    ) {
        self.name = name
        self.seed = seed
        self.start = start
        self.providers = providers
        self.behaviours = [:]
        self.demands = demands
        self.demandPositions = Self.positions(of: demands)
        self.expectations = []
        self.faults = []
        self.tickets = []
        self.reportRequests = []
        self.horizon = start + (demands.map(\.at).max() ?? .zero) + runFor
        self.defaultLatency = latency
        self.linkLatency = [:]
    }

    /// Checks `scenario` and builds the plan; every problem names its field path.
    public init(_ scenario: Scenario, directory: URL, seedOverride: UInt64? = nil) throws {
        name = scenario.name
        seed = seedOverride ?? scenario.seed ?? 1
        if let text = scenario.start {
            guard let date = MEFDateTime.parse(text) else {
                throw ScenarioError(
                    path: "start", message: "'\(text)' is not an RFC 3339 date-time (2026-01-05T09:00:00Z)")
            }
            start = Instant(date)
        } else {
            start = Instant(milliseconds: 1_767_603_600_000)  // 2026-01-05T09:00:00Z
        }
        let defaults = scenario.defaults
        defaultLatency = try Self.duration(defaults?.latency, path: "defaults.latency") ?? TimeSpan(milliseconds: 20)
        let defaultProcessing =
            try Self.duration(defaults?.processingTime, path: "defaults.processingTime") ?? TimeSpan(milliseconds: 500)
        let defaultValidity = try Self.duration(defaults?.quoteValidity, path: "defaults.quoteValidity") ?? .days(30)
        let currency = defaults?.currency ?? "EUR"
        if let shared = defaults?.behaviour {  // checked here so that a bad default names its own path
            _ = try DelayDistribution.parse(shared.delay, path: "defaults.behaviour.delay")
            _ = try Self.probability(shared.silence, path: "defaults.behaviour.silence")
            _ = try Self.probability(shared.activationFailure, path: "defaults.behaviour.activationFailure")
            _ = try Self.capacityRange(shared.capacity, path: "defaults.behaviour.capacity")
        }

        guard !scenario.providers.isEmpty else {
            throw ScenarioError(path: "providers", message: "a scenario needs at least one provider")
        }
        var ids: [String: Int] = [:]
        for (index, provider) in scenario.providers.enumerated() {
            if provider.id.isEmpty || provider.id.contains("#") {
                throw ScenarioError(
                    path: "providers[\(index)].id", message: "a provider id is non-empty and has no '#'")
            }
            if let first = ids[provider.id] {
                throw ScenarioError(
                    path: "providers[\(index)].id", message: "'\(provider.id)' is already the id of providers[\(first)]"
                )
            }
            ids[provider.id] = index
        }

        var links: [Set<PartyID>: TimeSpan] = [:]
        for (index, link) in (scenario.links ?? []).enumerated() {
            let path = "links[\(index)]"
            guard link.between.count == 2 else {
                throw ScenarioError(path: "\(path).between", message: "a link is between exactly two parties")
            }
            links[Set(link.between.map(PartyID.init(rawValue:)))] =
                try Self.duration(link.latency, path: "\(path).latency") ?? defaultLatency
        }
        linkLatency = links

        let contracts = try Self.contracts(
            scenario.contracts ?? [], providers: Set(ids.keys), buyers: Set(scenario.demand.map(\.buyer)),
            currency: currency, anchor: start)
        self.contracts = contracts

        var configurations: [ProviderConfiguration] = []
        var behaviours: [PartyID: Behaviour] = [:]
        for (index, spec) in scenario.providers.enumerated() {
            let path = "providers[\(index)]"
            let party = PartyID(rawValue: spec.id)
            let behaviourSpec = Self.merged(spec.behaviour, defaults: defaults?.behaviour)
            let behaviourPath = spec.behaviour == nil ? "defaults.behaviour" : "\(path).behaviour"
            var behaviour = Behaviour()
            behaviour.silent = behaviourSpec?.silent ?? false
            switch try DelayDistribution.parse(behaviourSpec?.delay, path: "\(behaviourPath).delay") {
            case .fixed(let span)?: behaviour.delay = span
            case let distribution?: behaviour.delayDistribution = distribution
            case nil: break
            }
            behaviour.silence =
                try Self.probability(behaviourSpec?.silence, path: "\(behaviourPath).silence") ?? 0
            let activationFailure =
                try Self.probability(behaviourSpec?.activationFailure, path: "\(behaviourPath).activationFailure")
                ?? 0
            let capacityDraw = try Self.capacityRange(behaviourSpec?.capacity, path: "\(behaviourPath).capacity")
            var planEntropy = StochasticStream.entropy(seed: seed, party: party, purpose: .plan)
            let markup = try Self.percentage(spec.markup, path: "\(path).markup") ?? 0
            var discounts: [PartyID: Int64] = [:]
            for (buyer, value) in spec.discounts ?? [:] {
                discounts[PartyID(rawValue: buyer)] = try Self.percentage(value, path: "\(path).discounts.\(buyer)")
            }
            var sellers: [PartyID] = []
            var offerings: [PartyID: Set<String>] = [:]
            for (sellerIndex, sellerSpec) in (spec.sellers ?? []).enumerated() {
                let seller = sellerSpec.id
                guard ids[seller] != nil else {
                    throw ScenarioError(
                        path: "\(path).sellers[\(sellerIndex)]",
                        message:
                            "'\(seller)' is not a provider of this scenario (known: \(ids.keys.sorted().joined(separator: ", ")))"
                    )
                }
                guard seller != spec.id else {
                    throw ScenarioError(
                        path: "\(path).sellers[\(sellerIndex)]", message: "a provider does not buy from itself")
                }
                sellers.append(PartyID(rawValue: seller))
                if let bought = sellerSpec.offerings { offerings[PartyID(rawValue: seller)] = Set(bought) }
            }
            var ranking = RankingPolicy.default
            if let names = spec.ranking {
                var criteria: [RankingPolicy.Criterion] = []
                for (rankIndex, name) in names.enumerated() {
                    guard let criterion = RankingPolicy.Criterion(rawValue: name) else {
                        throw ScenarioError(
                            path: "\(path).ranking[\(rankIndex)]",
                            message:
                                "'\(name)' is not one of: \(RankingPolicy.Criterion.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                    criteria.append(criterion)
                }
                ranking = RankingPolicy(criteria: criteria)
            }
            var catalog: [CatalogEntry] = []
            for (entryIndex, entry) in (spec.catalog ?? []).enumerated() {
                let entryPath = "\(path).catalog[\(entryIndex)]"
                var confidence = ServiceabilityColor.green
                if let text = entry.confidence {
                    guard let value = ServiceabilityColor(rawValue: text.lowercased()) else {
                        throw ScenarioError(
                            path: "\(entryPath).confidence", message: "'\(text)' is not one of: green, yellow, red")
                    }
                    confidence = value
                }
                var placeRequirement = PlacePolicy.Requirement.optional
                if let text = entry.place {
                    guard let value = PlacePolicy.Requirement(rawValue: text) else {
                        throw ScenarioError(
                            path: "\(entryPath).place",
                            message: "'\(text)' is not one of: required, forbidden, optional")
                    }
                    placeRequirement = value
                }
                for (field, amount) in [
                    ("cost", entry.cost), ("buildCost", entry.buildCost), ("changeFee", entry.changeFee),
                ] {
                    guard let amount, !(0...Money.largestAmount).contains(amount) else { continue }
                    throw ScenarioError(
                        path: "\(entryPath).\(field)", message: "an amount from 0 to 1,000,000,000,000, not \(amount)")
                }
                // Drawn for this run, in catalog order: the capacity, then whether activations fail.
                var capacity = entry.capacity
                if capacity == nil, let range = capacityDraw { capacity = Int.random(in: range, using: &planEntropy) }
                var activationFails = entry.activationFails ?? false
                if !activationFails { activationFails = StochasticStream.happens(activationFailure, &planEntropy) }
                var catalogEntry =
                    (CatalogEntry(
                        offering: entry.offering, places: entry.places ?? ["*"], buildPlaces: entry.buildPlaces ?? [],
                        cost: Money(amount: entry.cost, currency: currency),
                        buildCost: Money(amount: entry.buildCost ?? 0, currency: currency),
                        leadTime: try Self.duration(entry.leadTime, path: "\(entryPath).leadTime") ?? .days(10),
                        buildTime: try Self.duration(entry.buildTime, path: "\(entryPath).buildTime") ?? .days(30),
                        confidence: confidence, maxBandwidthMbps: entry.maxBandwidthMbps, capacity: capacity,
                        activationFails: activationFails,
                        changeFee: Money(amount: entry.changeFee ?? 0, currency: currency),
                        relocationOutage: try Self.duration(
                            entry.relocationOutage, path: "\(entryPath).relocationOutage")
                            ?? .hours(4),
                        specification: entry.specification,
                        placePolicy: PlacePolicy(placeRequirement, allowedTypes: entry.placeTypes ?? [])))
                catalogEntry.sla = try Self.metrics(entry.sla, path: "\(entryPath).sla")
                if let sla = catalogEntry.sla {
                    catalogEntry.performance = try Self.metrics(
                        entry.performance, path: "\(entryPath).performance",
                        defaults: PerformanceMetrics(
                            availabilityPPM: PerformanceMetrics.million, delayMicros: sla.delayMicros * 8 / 10,
                            frameLossPPM: sla.frameLossPPM / 2, delayVariationMicros: sla.delayVariationMicros * 7 / 10)
                    )
                } else if entry.performance != nil {
                    throw ScenarioError(
                        path: "\(entryPath).performance", message: "performance is measured against an sla: give one")
                }
                if let usage = entry.usagePerDay {
                    guard catalogEntry.sla != nil else {
                        throw ScenarioError(
                            path: "\(entryPath).usagePerDay",
                            message: "usage is metered with the performance: give an sla")
                    }
                    guard (0...1_000_000_000).contains(usage) else {
                        throw ScenarioError(
                            path: "\(entryPath).usagePerDay",
                            message: "gigabytes a day from 0 to 1,000,000,000, not \(usage)")
                    }
                    catalogEntry.usagePerDayGB = Int64(usage)
                }
                catalog.append(catalogEntry)
            }
            var latencies: [PartyID: TimeSpan] = [:]
            for seller in sellers { latencies[seller] = links[[party, seller]] ?? defaultLatency }
            let contact = RelatedContactInformation(
                name: "\(spec.id) wholesale desk", emailAddress: "wholesale@\(spec.id.lowercased()).example",
                number: "+44-20-0000-0000", organization: spec.id, role: POQValidator.buyerContactRole)
            let sellerContact = RelatedContactInformation(
                name: "\(spec.id) wholesale desk", emailAddress: "wholesale@\(spec.id.lowercased()).example",
                number: "+44-20-0000-0000", organization: spec.id, role: POQValidator.sellerContactRole)
            var sbus = SBUSConfiguration(
                markupBasisPoints: markup, discountBasisPoints: discounts,
                quoteValidity: try Self.duration(spec.quoteValidity, path: "\(path).quoteValidity") ?? defaultValidity,
                processingTime: try Self.duration(spec.processingTime, path: "\(path).processingTime")
                    ?? defaultProcessing,
                sellerContact: sellerContact)
            var bbus = BBUSConfiguration(
                sellers: sellers, latency: latencies, offerings: offerings, buyerContact: contact,
                minimumReputation: try Self.reputation(spec.minimumReputation, path: "\(path).minimumReputation"))
            for contract in contracts {
                if contract.seller == party { sbus.contracts[contract.buyer] = contract }
                if contract.buyer == party { bbus.contracts[contract.seller] = contract }
            }
            sbus.overchargeBasisPoints =
                try Self.percentage(behaviourSpec?.overcharge, path: "\(behaviourPath).overcharge") ?? 0
            bbus.underestimateBasisPoints =
                try Self.percentage(behaviourSpec?.underestimates, path: "\(behaviourPath).underestimates") ?? 0
            configurations.append(
                ProviderConfiguration(
                    party: party, sbus: sbus, catalog: catalog, bbus: bbus, ranking: ranking,
                    chainTestFails: behaviourSpec?.chainTestFails ?? false,
                    reputationPublication: try Self.reputationCadence(
                        spec.publishReputationEvery, path: "\(path).publishReputationEvery")))
            behaviours[party] = behaviour
        }
        providers = configurations
        self.behaviours = behaviours

        var demands: [Demand] = []
        var demandIDs: Set<String> = []
        for (index, spec) in scenario.demand.enumerated() {
            let path = "demand[\(index)]"
            guard demandIDs.insert(spec.id).inserted else {
                throw ScenarioError(path: "\(path).id", message: "'\(spec.id)' is already the id of another demand")
            }
            guard ids[spec.seller] != nil else {
                throw ScenarioError(
                    path: "\(path).seller", message: "'\(spec.seller)' is not a provider of this scenario")
            }
            guard ids[spec.buyer] == nil, !spec.buyer.contains("#") else {
                throw ScenarioError(
                    path: "\(path).buyer", message: "the retail buyer '\(spec.buyer)' must not also be a provider id")
            }
            let kind: RequestKind
            if let text = spec.kind {
                guard let value = RequestKind(rawValue: text) else {
                    throw ScenarioError(path: "\(path).kind", message: "'\(text)' is not one of: poq, inquiry")
                }
                kind = value
            } else {
                kind = .poq
            }
            let at = try Self.duration(spec.at, path: "\(path).at") ?? .zero
            var immediate = spec.immediate ?? false
            if spec.payload != nil, spec.immediate == nil, case .inline(let value)? = spec.payload {
                immediate = value["instantSyncQualification"]?.boolValue ?? false
            }
            let window =
                immediate
                ? Self.immediateWindow
                : try Self.duration(spec.completionWithin, path: "\(path).completionWithin") ?? .hours(1)
            let payload: JSONValue
            switch spec.payload {
            case .file(let file)?:
                let url = URL(fileURLWithPath: file, relativeTo: directory)
                guard let data = try? Data(contentsOf: url), let value = try? JSONValue.parse(data) else {
                    throw ScenarioError(path: "\(path).payload", message: "cannot read '\(file)' as a JSON file")
                }
                payload = value
            case .inline(let value)?:
                payload = value
            case nil:
                guard let items = spec.items, !items.isEmpty else {
                    throw ScenarioError(path: "\(path).items", message: "give items (or a Sonata payload)")
                }
                payload = Self.payload(
                    for: spec, items: items, immediate: immediate, completion: start + at + window)
            }
            var demand = Demand(
                id: spec.id, at: at, buyer: PartyID(rawValue: spec.buyer), seller: PartyID(rawValue: spec.seller),
                kind: kind, payload: payload, deferred: !immediate, window: window,
                registerHub: spec.registerHub ?? false)
            if let order = spec.order {
                guard kind == .inquiry else {
                    throw ScenarioError(
                        path: "\(path).order", message: "orders reference a quote: give the demand kind: inquiry")
                }
                demand.order = try Self.orderPlan(order, path: "\(path).order")
            }
            demands.append(demand)
        }
        self.demands = demands
        self.demandPositions = Self.positions(of: demands)

        for (index, expectation) in (scenario.expect ?? []).enumerated() {
            let path = "expect[\(index)]"
            if let demand = expectation.demand, !demandIDs.contains(demand) {
                throw ScenarioError(path: "\(path).demand", message: "'\(demand)' is not a demand id of this scenario")
            }
            if let party = expectation.party, ids[party] == nil {
                throw ScenarioError(path: "\(path).party", message: "'\(party)' is not a provider of this scenario")
            }
            if let ledgers = expectation.ledgers, ledgers != "clean" {
                throw ScenarioError(path: "\(path).ledgers", message: "the only ledger expectation is 'clean'")
            }
            if let pair = expectation.ledger {
                guard pair.count == 2, expectation.hasEntry != nil || expectation.lacksEntry != nil else {
                    throw ScenarioError(
                        path: "\(path).ledger", message: "give two parties and hasEntry: KIND or lacksEntry: KIND")
                }
            }
            for (party, state) in (expectation.serviceStates ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard ids[party] != nil else {
                    throw ScenarioError(
                        path: "\(path).serviceStates.\(party)", message: "'\(party)' is not a provider of this scenario"
                    )
                }
                guard ["active", "pendingTerminate", "terminated"].contains(state) else {
                    throw ScenarioError(
                        path: "\(path).serviceStates.\(party)",
                        message: "'\(state)' is not one of: active, pendingTerminate, terminated")
                }
            }
            if let pair = expectation.invoices {
                guard pair.count == 2 else {
                    throw ScenarioError(
                        path: "\(path).invoices", message: "give the seller and the buyer: [SELLER, BUYER]")
                }
            }
            if expectation.demand == nil && expectation.party == nil && expectation.ledgers == nil
                && expectation.ledger == nil && expectation.reputation == nil && expectation.invoices == nil
            {
                throw ScenarioError(path: path, message: "an expectation names a demand, a party or ledgers")
            }
        }
        expectations = scenario.expect ?? []
        faults = try Self.faultPlans(scenario.faults ?? [], demands: demands, providers: Set(ids.keys))
        tickets = try Self.ticketPlans(scenario.tickets ?? [], demands: demands)
        reportRequests = try Self.reportRequestPlans(scenario.reportRequests ?? [], demands: demands)
        let runFor = try Self.duration(scenario.runFor, path: "runFor") ?? .days(1_095)
        horizon = start + (demands.map(\.at).max() ?? .zero) + runFor
    }

    static func orderPlan(_ spec: Scenario.OrderSpec, path: String) throws -> OrderPlan {
        func action(_ text: String?, _ field: String) throws -> EndOfTermAction {
            guard let text else { return .roll }
            guard let value = EndOfTermAction(rawValue: text) else {
                throw ScenarioError(
                    path: "\(path).\(field)",
                    message:
                        "'\(text)' is not one of: \(EndOfTermAction.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return value
        }
        var changes: [(TimeSpan, ServiceChange)] = []
        for (index, change) in (spec.changes ?? []).enumerated() {
            guard change.bandwidthMbps != nil || change.place != nil else {
                throw ScenarioError(path: "\(path).changes[\(index)]", message: "a change gives bandwidthMbps or place")
            }
            changes.append(
                (
                    try duration(change.after, path: "\(path).changes[\(index)].after") ?? .days(30),
                    ServiceChange(bandwidthMbps: change.bandwidthMbps, place: change.place)
                ))
        }
        var renew: (TimeSpan, TimeSpan, EndOfTermAction)?
        if let spec = spec.renew {
            renew = (
                try duration(spec.after, path: "\(path).renew.after") ?? .days(300),
                try duration(spec.term, path: "\(path).renew.term") ?? .days(365),
                try action(spec.endOfTermAction, "renew.endOfTermAction")
            )
        }
        var plan = OrderPlan(
            after: try duration(spec.after, path: "\(path).after") ?? .minutes(1),
            acceptanceWindow: try duration(spec.acceptanceWindow, path: "\(path).acceptanceWindow") ?? .hours(1),
            activationWindow: try duration(spec.activationWindow, path: "\(path).activationWindow") ?? .days(60),
            term: try duration(spec.term, path: "\(path).term"),
            endOfTermAction: try action(spec.endOfTermAction, "endOfTermAction"),
            grantExtension: spec.grantExtension ?? true, alterItem: spec.alterItem, changes: changes, renew: renew)
        if let disconnect = spec.disconnect {
            plan.disconnectAfter = try duration(disconnect.after, path: "\(path).disconnect.after")
            plan.disconnectEffective = try duration(disconnect.effective, path: "\(path).disconnect.effective") ?? .zero
            if let withdraw = try duration(disconnect.withdrawAfter, path: "\(path).disconnect.withdrawAfter") {
                guard withdraw < plan.disconnectEffective else {
                    throw ScenarioError(
                        path: "\(path).disconnect.withdrawAfter",
                        message: "a disconnection is withdrawn before it takes effect (before `effective`)")
                }
                plan.withdrawDisconnectionAfter = withdraw
            }
        }
        if let reports = spec.reports {
            guard let every = try duration(reports.every, path: "\(path).reports.every"), every > .zero else {
                throw ScenarioError(path: "\(path).reports.every", message: "reports come every positive duration")
            }
            plan.reports = (every, try duration(reports.within, path: "\(path).reports.within") ?? .hours(1))
        }
        return plan
    }

    /// A provider's behaviour: its own keys, and the scenario's `defaults.behaviour` for every key it leaves out.
    static func merged(_ own: Scenario.Behaviour?, defaults: Scenario.Behaviour?) -> Scenario.Behaviour? {
        guard var merged = own ?? defaults else { return nil }
        guard let defaults, own != nil else { return merged }
        merged.silent = merged.silent ?? defaults.silent
        merged.delay = merged.delay ?? defaults.delay
        merged.chainTestFails = merged.chainTestFails ?? defaults.chainTestFails
        merged.overcharge = merged.overcharge ?? defaults.overcharge
        merged.underestimates = merged.underestimates ?? defaults.underestimates
        merged.silence = merged.silence ?? defaults.silence
        merged.activationFailure = merged.activationFailure ?? defaults.activationFailure
        merged.capacity = merged.capacity ?? defaults.capacity
        return merged
    }

    /// A probability from 0 to 1.
    static func probability(_ value: Double?, path: String) throws -> Double? {
        guard let value else { return nil }
        guard (0...1).contains(value) else {
            throw ScenarioError(path: path, message: "a probability from 0 to 1, not \(value)")
        }
        return value
    }

    /// The capacities a `capacity` draws from (one value when fixed).
    static func capacityRange(_ spec: Scenario.CapacitySpec?, path: String) throws -> ClosedRange<Int>? {
        guard let spec else { return nil }
        switch (spec.fixed, spec.uniform) {
        case (let fixed?, nil):
            guard fixed >= 0 else { throw ScenarioError(path: "\(path).fixed", message: "a capacity is 0 or more") }
            return fixed...fixed
        case (nil, let bounds?):
            guard bounds.count == 2, bounds[0] >= 0, bounds[0] <= bounds[1] else {
                throw ScenarioError(path: "\(path).uniform", message: "give [least, most], 0 or more, least first")
            }
            return bounds[0]...bounds[1]
        default:
            throw ScenarioError(path: path, message: "give exactly one of fixed: 3 or uniform: [1, 5]")
        }
    }

    static func reputation(_ value: Double?, path: String) throws -> Int64? {
        guard let value else { return nil }
        guard (0...9.9).contains(value), let thousandths = Int64(roundingExactly: value * 1_000) else {
            throw ScenarioError(path: path, message: "a reputation from 0.0 to 9.9, not \(value)")
        }
        return thousandths
    }

    /// A MEF Sonata POQ create payload for the compact `items:` form of a demand.
    public static func payload(
        for spec: Scenario.DemandSpec, items: [Scenario.ItemSpec], immediate: Bool, completion: Instant
    ) -> JSONValue {
        var root: [String: JSONValue] = [
            "instantSyncQualification": .bool(immediate),
            "provideAlternative": .bool(spec.provideAlternative ?? false),
            "externalId": .string(spec.id),
            "relatedContactInformation": [
                [
                    "name": .string("\(spec.buyer) procurement"),
                    "emailAddress": .string("buying@\(spec.buyer.lowercased()).example"),
                    "number": "+44-20-1111-1111", "organization": .string(spec.buyer),
                    "role": .string(POQValidator.buyerContactRole),
                ]
            ],
        ]
        if !immediate { root["requestedPOQCompletionDate"] = .string(completion.description) }
        root["productOfferingQualificationItem"] = .array(
            items.map { item in
                var configuration: [String: JSONValue] = ["@type": "urn:scbroker:product:v1"]
                if let bandwidth = item.bandwidthMbps { configuration["bandwidthMbps"] = .number(Double(bandwidth)) }
                var product: [String: JSONValue] = [
                    "productOffering": ["id": .string(item.offering)], "productConfiguration": .object(configuration),
                ]
                if let place = item.place {
                    product["place"] = [
                        ["@type": "GeographicSiteRef", "id": .string(place), "role": "INSTALL_LOCATION"]
                    ]
                }
                var fields: [String: JSONValue] = [
                    "id": .string(item.id), "action": "add", "product": .object(product),
                ]
                if let related = item.relatesTo, !related.isEmpty {
                    fields["qualificationItemRelationship"] = .array(
                        related.map { ["id": .string($0), "relationshipType": "RELIES_ON"] })
                }
                return .object(fields)
            })
        return .object(root)
    }

    /// `publishReputationEvery`: a minute to a year; a day when absent.
    static func reputationCadence(_ text: DurationText?, path: String) throws -> TimeSpan {
        guard let span = try duration(text, path: path) else { return .days(1) }
        guard span >= .minutes(1), span <= .days(366) else {
            throw ScenarioError(path: path, message: "'\(text?.text ?? "")' is not between 1m and 366d")
        }
        return span
    }

    static func duration(_ text: DurationText?, path: String) throws -> TimeSpan? {
        guard let text else { return nil }
        guard let span = TimeSpan(parsing: text.text) else {
            throw ScenarioError(path: path, message: "'\(text.text)' is not a duration (250ms, 2s, 5m, 3h, 30d)")
        }
        return span
    }

    static func percentage(_ value: Percentage?, path: String) throws -> Int64? {
        guard let value else { return nil }
        guard let basisPoints = value.basisPoints, (0...100_000).contains(basisPoints) else {
            throw ScenarioError(path: path, message: "'\(value.text)' is not a percentage (10% or 0.1)")
        }
        return basisPoints
    }
}

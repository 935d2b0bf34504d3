import CanonicalJSON
import Foundation
import Ledger
import Provider
import ScenarioModel
import Sonata
import SupplyChain

/// The discrete-event driver: runs every provider's protocol core on one virtual clock.
///
/// Events are ordered by (virtual time, scheduling sequence) and all randomness comes from the plan's seed, so the
/// same scenario and seed give the same events and the same ledger head hashes, byte for byte. Ledgers are real:
/// every entry is signed and countersigned, in memory or in one SQLite file per party.
public final class Simulator {
    enum Event {
        case demand(Int)
        case deliver(from: PartyID, to: PartyID, Message)
        case timer(PartyID, TimerKey)
        case retail(demand: String, RetailStep)
        case fault(Int)
        /// A retail buyer pays an invoice it accepted.
        case retailPayment(buyer: PartyID, seller: PartyID, Payment)
    }

    /// What a retail buyer observed for one demand.
    struct RetailView {
        var acknowledged = false
        var notifications = 0
        var response: SupplyResponse?
        var sentAt: Instant?
    }

    public let plan: SimulationPlan
    var cores: [PartyID: ProviderCore] = [:]
    var queue = EventQueue<Event>()
    var entropy: SeededEntropy
    let writer: LedgerWriter
    var ledgerOrder: [Set<PartyID>] = []
    var ledgerPairs: Set<Set<PartyID>> = []
    let ledgerDirectory: URL?
    var retail: [String: RetailView] = [:]
    var ordering: RetailOrdering
    var demandOfRequest: [RequestID: String] = [:]
    var requestsReceived: [PartyID: [String: Int]] = [:]
    /// Where each provider got each item of each request (pre-order) and of each order (delivery).
    var sourcing = SourcingTrail()
    var orderSourcing = SourcingTrail()
    var eventCount = 0
    var now: Instant
    /// The last instant anything happened (timers that find nothing to do do not count).
    var lastActivity: Instant
    /// The invoices, answers and payments recorded on every ledger.
    var invoiceTrail = InvoiceTrail()
    /// How many entries of each kind were recorded, on all ledgers together.
    var recordedKinds: [String: Int] = [:]

    /// - Parameter ledgerDirectory: where to write one SQLite file per party (its copy of each of its ledgers);
    ///   `nil` keeps the ledgers in memory.
    /// Whether `run()` audits every ledger copy at the end (the benchmark measures the run alone).
    let auditAtEnd: Bool

    /// - Parameter ledgerBatchSize: entries each party's SQLite file buffers before a commit.
    public init(
        plan: SimulationPlan, ledgerDirectory: URL? = nil, audit: Bool = true, ledgerBatchSize: Int = 1_000
    ) throws {
        self.plan = plan
        self.auditAtEnd = audit
        self.ledgerDirectory = ledgerDirectory
        self.entropy = SeededEntropy(seed: plan.seed)
        self.writer = LedgerWriter(
            book: LedgerBook(seed: plan.seed, directory: ledgerDirectory, batchSize: ledgerBatchSize))
        self.now = plan.start
        self.ordering = RetailOrdering(plan: plan)
        self.lastActivity = plan.start
        for configuration in plan.providers {
            cores[configuration.party] = ProviderCore(configuration: configuration)
        }
        if let ledgerDirectory {
            try FileManager.default.createDirectory(at: ledgerDirectory, withIntermediateDirectories: true)
        }
    }

    /// Runs every event to the end and checks the expectations.
    public func run() throws -> SimulationResult {
        for (index, demand) in plan.demands.enumerated() {
            queue.schedule(.demand(index), at: plan.start + demand.at)
        }
        perform(ordering.scheduledTickets())
        for (index, fault) in plan.faults.enumerated() {
            queue.schedule(.fault(index), at: plan.start + fault.at)
        }
        while let (time, event) = queue.next() {
            if time > plan.horizon { break }
            now = time
            eventCount += 1
            switch event {
            case .demand(let index):
                try startDemand(plan.demands[index])
            case .deliver(let from, let to, let message):
                lastActivity = now
                try deliver(message, from: from, to: to)
            case .retail(let demand, let step):
                lastActivity = now
                retailStep(step, demand: demand)
            case .fault(let index):
                lastActivity = now
                try inject(plan.faults[index])
            case .retailPayment(let buyer, let seller, let payment):
                lastActivity = now
                retailPays(payment, buyer: buyer, seller: seller)
            case .timer(let party, let key):
                guard let effects = handle(.timer(key), at: party) else { continue }
                if !effects.isEmpty { lastActivity = now }
                try execute(effects, by: party, demand: demandOfRequest[key.requestID])
            }
        }
        try writer.drain()
        return try result()
    }

    // MARK: - Retail buyers

    func startDemand(_ demand: SimulationPlan.Demand) throws {
        let requestID = RequestID("\(demand.buyer.rawValue)-\(demand.id)")
        demandOfRequest[requestID] = demand.id
        retail[demand.id, default: RetailView()].sentAt = now
        if demand.registerHub {
            let input = EventSubscriptionInput(
                callback: "https://\(demand.buyer.rawValue.lowercased()).example/listener",
                query: "eventType=poqStateChangeEvent")
            send(.hubRegistration(input), from: demand.buyer, to: demand.seller)
        }
        let request = SupplyRequest(
            id: requestID, kind: demand.kind, payload: demand.payload, loopPreventionList: LoopPreventionList(),
            respondBy: now + demand.window)
        record(
            LedgerRecord(
                counterparty: demand.seller, kind: demand.kind == .poq ? "poq.request" : "inquiry.request",
                refs: ["request": requestID.rawValue], body: request.ledgerBody),
            by: demand.buyer)
        send(.request(request), from: demand.buyer, to: demand.seller)
    }

    func retailReceives(_ message: Message, from seller: PartyID) throws {
        switch message {
        case .acknowledgement(let response):
            if let demand = demandOfRequest[response.requestID] { retail[demand]?.acknowledged = true }
        case .response(let response):
            if let demand = demandOfRequest[response.requestID] {
                retail[demand]?.response = response
                quoteArrived(demand: demand)
            }
        case .notification(let event, _):
            if let demand = demandOfSellerReference[event.event.id] { retail[demand]?.notifications += 1 }
        case .orderNotice(let notice):
            retailOrderNotice(notice, from: seller)
        case .ticket(let notice):
            perform(ordering.notice(notice, from: seller, now: now))
        case .performance(.report(let report)):
            ordering.report(report, from: seller)
        case .performance(.request):
            break
        case .invoice(let invoice):
            retailInvoice(invoice, from: seller)
        case .request, .hubRegistration, .order, .reconciliation, .disputeResolution, .payment:
            break
        }
    }

    var demandOfSellerReference: [String: String] = [:]

    // MARK: - Providers

    /// Runs one input through `party`'s core where it is stored, or returns nil for a party without one.
    ///
    /// `cores[party]?.handle(…)` modifies the dictionary's value in place. Reading the core out into a variable
    /// and writing it back would leave its roles' dictionaries shared while they are mutated, so every change
    /// would copy a whole table (the quote book, the open requests) once per event: a cost that grows with the
    /// history of the run.
    func handle(_ input: ProviderInput, at party: PartyID) -> [Effect]? {
        cores[party]?.handle(input, now: now, entropy: &entropy)
    }

    func deliver(_ message: Message, from: PartyID, to: PartyID) throws {
        guard cores.keys.contains(to) else {
            try retailReceives(message, from: from)
            return
        }
        if plan.behaviours[to]?.silent == true { return }
        var demand: String?
        if case .request(let request) = message {
            demand = demandOfRequest[request.id]
            if let demand { requestsReceived[to, default: [:]][demand, default: 0] += 1 }
        } else if case .response(let response) = message {
            demand = demandOfRequest[response.requestID]
        } else if case .order(let order) = message {
            demand = demandOfRequest[order.id]
        } else if case .orderNotice(let notice) = message {
            demand = demandOfRequest[notice.orderID]
        }
        let effects = handle(.message(from: from, message), at: to) ?? []
        try execute(effects, by: to, demand: demand)
    }

    func execute(_ effects: [Effect], by party: PartyID, demand: String?) throws {
        for effect in effects {
            switch effect {
            case .send(let to, let message):
                if case .request(let request) = message, let demand { demandOfRequest[request.id] = demand }
                if case .order(let order) = message, let demand { demandOfRequest[order.id] = demand }
                send(message, from: party, to: to)
            case .setTimer(let key, let at):
                queue.schedule(.timer(party, key), at: max(at, now))
            case .record(let record):
                self.record(record, by: party)
            case .trace(let event):
                trace(event, by: party, demand: demand)
            }
        }
    }

    func trace(_ event: TraceEvent, by party: PartyID, demand: String?) {
        switch event {
        case .received(_, let requestID, let sellerReference):
            if let demand, demandOfRequest[requestID] == demand { demandOfSellerReference[sellerReference] = demand }
        case .sourcedExternally(let requestID, let itemID, let seller, let sellerRequestID):
            sourcing.bought(party, requestID, itemID, from: seller, as: sellerRequestID)
        case .sourcedInternally(let requestID, let itemID):
            sourcing.delivered(party, requestID, itemID)
        case .unsourced(let requestID, let itemID, let reason):
            sourcing.unsourced(party, requestID, itemID, reason: reason)
        case .orderedFrom(let orderID, let itemID, let seller, let sellerOrderID):
            orderSourcing.bought(party, orderID, itemID, from: seller, as: sellerOrderID)
        case .deliveredInternally(let orderID, let itemID):
            orderSourcing.delivered(party, orderID, itemID)
        case .refused, .sofAnswered, .skippedSeller, .answered, .orderEvent, .released:
            break
        }
    }

    func send(_ message: Message, from: PartyID, to: PartyID) {
        if plan.behaviours[from]?.silent == true { return }
        let delay = plan.latency(from, to) + (plan.behaviours[from]?.delay ?? .zero)
        queue.schedule(.deliver(from: from, to: to, message), at: now + delay)
    }

    // MARK: - Ledgers

    func record(_ record: LedgerRecord, by author: PartyID) {
        let pair: Set<PartyID> = [author, record.counterparty]
        if ledgerPairs.insert(pair).inserted { ledgerOrder.append(pair) }
        invoiceTrail.note(record, by: author)
        recordedKinds[record.kind, default: 0] += 1
        writer.submit(record, by: author, at: now)
    }

    // MARK: - Result

    /// Audits both copies of every ledger of the run (after `run()`): the findings, none when all are clean.
    func auditLedgers() throws -> [String] {
        let book = writer.book
        let auditor = LedgerAuditor(trustedKeys: book.keyDirectory, rules: .broker)
        var findings: [String] = []
        for pair in ledgerOrder {
            guard let ledger = book.ledgers[pair] else { continue }
            let parties = pair.sorted()
            findings += try auditor.audit(
                ledger: ledger.id, holders: parties, stores: parties.map { try book.store($0) }
            )
            .map(\.description)
        }
        return findings
    }

    func result() throws -> SimulationResult {
        var observations: [String: SimulationResult.RetailObservation] = [:]
        var orders: [String: SimulationResult.OrderOutcome] = [:]
        for demand in plan.demands {
            let view = retail[demand.id] ?? RetailView()
            observations[demand.id] = SimulationResult.RetailObservation(
                sentAt: view.sentAt, acknowledged: view.acknowledged, notifications: view.notifications,
                response: view.response)
            orders[demand.id] = ordering.outcome(
                of: demand, trail: orderSourcing,
                terms: ordering.views[demand.id]?.serviceID.flatMap { cores[demand.seller]?.view.service($0)?.terms })
            if let serviceID = ordering.views[demand.id]?.serviceID {
                var states: [String: String] = [:]
                for item in demand.payload["productOfferingQualificationItem"]?.arrayValue ?? [] {
                    for hop in chain(demand, serviceID: serviceID, itemID: item["id"]?.stringValue) {
                        states[hop.party.rawValue] = hop.service.state
                    }
                }
                orders[demand.id]?.serviceStates = states
            }
        }
        let book = writer.book
        var summaries: [SimulationResult.LedgerSummary] = []
        var findings: [String] = []
        for pair in ledgerOrder {
            guard let ledger = book.ledgers[pair] else { continue }
            let parties = pair.sorted()
            summaries.append(
                SimulationResult.LedgerSummary(
                    parties: parties, ledgerID: ledger.id, entries: ledger.head.seq,
                    head: ledger.headHash,
                    kinds: auditAtEnd
                        ? Array(Set(try book.store(parties[0]).entries(of: ledger.id).map(\.kind))).sorted() : []))
        }
        if auditAtEnd { findings = try auditLedgers() }
        var reputations: [String: String] = [:]
        for (party, core) in cores {
            if let reputation = core.view.reputation {
                reputations[party.rawValue] = Reputation.text(score: reputation.score, count: reputation.count)
            }
        }
        return SimulationResult(
            live: plan, observations: observations, trail: sourcing, orders: orders, ledgers: summaries,
            reputations: reputations,
            requestsReceived: Dictionary(uniqueKeysWithValues: requestsReceived.map { ($0.key.rawValue, $0.value) }),
            auditFindings: findings, events: eventCount, duration: (lastActivity - plan.start).description,
            ledgerDirectory: ledgerDirectory?.path, invoices: invoiceTrail.outcomes)
    }
}

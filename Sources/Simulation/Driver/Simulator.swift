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
        case deliver(from: PartyID, to: PartyID, Message, sentAt: Instant)
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
        /// When the (last) answer reached the retail buyer.
        var answeredAt: Instant?
    }

    public let plan: SimulationPlan
    var cores: [PartyID: ProviderCore] = [:]
    var queue = EventQueue<Event>()
    var entropy: SeededEntropy
    let writer: LedgerWriter
    /// The ledgers in the order of their first entry (the kinds on each: `kindsOfLedger`).
    var ledgerOrder: [Set<PartyID>] = []
    let ledgerDirectory: URL?
    var retail: [String: RetailView] = [:]
    /// How many demands have their answer (`retail` with a response), counted as they arrive: the progress
    /// reported every thousand events used to count them, copying every retail view each time.
    var answeredDemands = 0
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
    /// Per demand, the messages of its exchange as they were delivered (the report's sequence diagrams).
    var messages: [String: [MessageTrace]] = [:]
    /// Called every `progressInterval` events with how far the run is (the CLI shows it); never changes the run.
    public var onProgress: ((RunProgress) -> Void)?
    public var progressInterval = 1_000
    /// Whether the run keeps each demand's messages for the report (the benchmark measures the run without).
    public var recordsExchanges = true
    /// How many entries of each kind were recorded, on all ledgers together.
    var recordedKinds: [String: Int] = [:]
    /// The most events pending at once besides the demands still to come: messages in flight and timers, what is
    /// open in the market (a long run's working set grows with it, not with the history).
    public private(set) var peakPendingEvents = 0
    /// The kinds of entry recorded on each ledger (the summary's, without reading the entries back).
    var kindsOfLedger: [Set<PartyID>: Set<String>] = [:]
    /// Each provider's stream of stochastic draws (delays, silences), made on first use.
    var behaviourEntropy: [PartyID: SeededEntropy] = [:]
    /// When the last message on each link arrives (or will), so that a drawn delay never reorders a link.
    var lastArrival: [Link: Instant] = [:]
    /// Requests providers were sent for each demand (the fan-out), silent or not.
    var requestsOfDemand: [String: Int] = [:]
    /// Ledger entries recorded for each demand (its request, the answers, every hop's records).
    var entriesOfDemand: [String: Int] = [:]

    /// - Parameter ledgerDirectory: where to write one SQLite file per party (its copy of each of its ledgers);
    ///   `nil` keeps the ledgers in memory.
    /// Whether `run()` audits every ledger copy at the end (the benchmark measures the run alone).
    let auditAtEnd: Bool
    /// Why the end-of-run audit did not run, if it did not.
    let auditSkipped: String?

    /// - Parameter witnessed: whether an in-process witness cosigns every checkpoint (`broker simulate --witness`);
    ///   the end-of-run audit then verifies its cosignatures.
    /// - Parameter ledgerBatchSize: entries each party's SQLite file buffers before a commit.
    /// - Parameter ledgers: what the run keeps of its entries; `.heads` without `ledgerDirectory` keeps memory
    ///   flat on long runs and skips the end-of-run audit (nothing to read back).
    public init(
        plan: SimulationPlan, ledgerDirectory: URL? = nil, audit: Bool = true, witnessed: Bool = false,
        ledgerBatchSize: Int = 1_000, ledgers retention: LedgerRetention = .entries
    ) throws {
        self.plan = plan
        self.ledgerDirectory = ledgerDirectory
        self.entropy = SeededEntropy(seed: plan.seed)
        let book = try LedgerBook(
            seed: plan.seed, directory: ledgerDirectory, witnessed: witnessed, batchSize: ledgerBatchSize,
            retention: retention)
        self.auditAtEnd = audit && book.keepsEntries
        self.auditSkipped =
            !audit
            ? "the run was not audited (batches of runs and benchmarks skip it)"
            : book.keepsEntries
                ? nil
                : "only heads were kept (every entry was verified by both parties as it was agreed); --out DIR keeps the entries for an audit"
        self.writer = LedgerWriter(book: book)
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

    /// The verifier key of the in-process witness, when the run has one.
    public var witnessKey: VerifierKey? { writer.book.witness?.verifierKey }

    /// What the in-process witness cosigned last of each ledger, when the run has one.
    public func witnessedCheckpoints() throws -> [Checkpoint] {
        guard let witness = writer.book.witness else { return [] }
        return try writer.book.ledgers.values.map(\.id).sorted().compactMap { try witness.latest(of: $0) }
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
        var demandsWaiting = plan.demands.count
        while let (time, event) = queue.next() {
            if time > plan.horizon { break }
            now = time
            eventCount += 1
            if case .demand = event { demandsWaiting -= 1 }
            peakPendingEvents = max(peakPendingEvents, queue.count - demandsWaiting)
            if let onProgress, eventCount % progressInterval == 0 { onProgress(progress) }
            switch event {
            case .demand(let index):
                try startDemand(plan.demands[index])
            case .deliver(let from, let to, let message, let sentAt):
                lastActivity = now
                try deliver(message, from: from, to: to, sentAt: sentAt)
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
        onProgress?(progress)
        return try result()
    }

    /// How far the run is: events handled, virtual time reached, retail answers received.
    var progress: RunProgress {
        RunProgress(
            events: eventCount, virtualTime: now - plan.start,
            answers: answeredDemands, demands: plan.demands.count)
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
        entriesOfDemand[demand.id, default: 0] += 1
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
                if retail[demand]?.response == nil { answeredDemands += 1 }
                retail[demand]?.response = response
                retail[demand]?.answeredAt = now
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
        case .performance(.request), .performance(.schedule), .performance(.cancelSchedule):
            break
        case .invoice(let invoice):
            retailInvoice(invoice, from: seller)
        case .request, .hubRegistration, .order, .reconciliation, .disputeResolution, .payment, .quoteDecision:
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

    func deliver(_ message: Message, from: PartyID, to: PartyID, sentAt: Instant) throws {
        if recordsExchanges { noteExchange(message, from: from, to: to, sentAt: sentAt) }
        guard cores.keys.contains(to) else {
            try retailReceives(message, from: from)
            return
        }
        if case .request(let request) = message, let demand = demandOfRequest[request.id] {
            requestsOfDemand[demand, default: 0] += 1  // the fan-out: every request sent, answered or not
        }
        if plan.behaviours[to]?.silent == true { return }
        if case .request = message, let silence = plan.behaviours[to]?.silence, silence > 0,
            StochasticStream.happens(silence, &behaviourEntropy[to, default: runEntropy(to)])
        {
            return  // this time it ignores the request
        }
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

    /// Keeps a demand's request, answers, order and order notices for the report's sequence diagram.
    func noteExchange(_ message: Message, from: PartyID, to: PartyID, sentAt sent: Instant) {
        let demand: String?
        let kind: String
        var detail = ""
        switch message {
        case .request(let request):
            (demand, kind) = (demandOfRequest[request.id], "request")
            detail = request.kind.rawValue
        case .acknowledgement(let response):
            (demand, kind) = (demandOfRequest[response.requestID], "acknowledgement")
        case .response(let response):
            (demand, kind) = (demandOfRequest[response.requestID], "response")
            let prices = response.items.compactMap { $0.offer?.price }
            let total = prices.dropFirst().reduce(prices.first) { sum, price in sum.map { $0 + price } }
            detail = response.state.rawValue + (total.map { " \($0)" } ?? "")
        case .order(let order):
            (demand, kind) = (demandOfRequest[order.id], "order")
            detail = String(describing: order.action).prefix { $0 != "(" }.description
        case .orderNotice(let notice):
            (demand, kind) = (demandOfRequest[notice.orderID], "order notice")
            detail = String(describing: notice.event).prefix { $0 != "(" }.description
        default:
            return
        }
        guard let demand else { return }
        messages[demand, default: []].append(
            MessageTrace(
                sentAt: sent.description, at: now.description, from: from.rawValue, to: to.rawValue, kind: kind,
                detail: detail, unanswered: plan.behaviours[to]?.silent == true))
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
                if let demand { entriesOfDemand[demand, default: 0] += 1 }
                self.record(record, by: party)
            case .publish(let record):
                try writer.book.publish(record, by: party, at: now)
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
        let behaviour = plan.behaviours[from]
        if behaviour?.silent == true { return }
        var delay = plan.latency(from, to) + (behaviour?.delay ?? .zero)
        if let distribution = behaviour?.delayDistribution {
            delay = delay + distribution.draw(using: &behaviourEntropy[from, default: runEntropy(from)])
        }
        // A link keeps its order: a message drawn a shorter delay waits for the one sent before it.
        let link = Link(from: from, to: to)
        let at = max(now + delay, lastArrival[link] ?? now)
        lastArrival[link] = at
        queue.schedule(.deliver(from: from, to: to, message, sentAt: now), at: at)
    }

    /// One direction between two parties.
    struct Link: Hashable {
        let from: PartyID
        let to: PartyID
    }

    /// `party`'s stream of run-time draws (delays, silences) for this run's seed.
    func runEntropy(_ party: PartyID) -> SeededEntropy {
        StochasticStream.entropy(seed: plan.seed, party: party, purpose: .run)
    }

    // MARK: - Ledgers

    func record(_ record: LedgerRecord, by author: PartyID) {
        let pair: Set<PartyID> = [author, record.counterparty]
        if kindsOfLedger[pair] == nil { ledgerOrder.append(pair) }
        kindsOfLedger[pair, default: []].insert(record.kind)
        invoiceTrail.note(record, by: author)
        recordedKinds[record.kind, default: 0] += 1
        writer.submit(record, by: author, at: now)
    }

    // MARK: - Result

    /// Audits both copies of every ledger of the run (after `run()`), with the witness's cosignatures when one ran,
    /// and every omni-lateral ledger against the neighbours' copies: the findings, none when all are clean.
    func auditLedgers() throws -> [String] {
        let book = writer.book
        let auditor = LedgerAuditor(
            trustedKeys: book.keyDirectory, rules: .broker, witnessKeys: witnessKey.map { [$0] } ?? [])
        var findings: [String] = []
        for pair in ledgerOrder {
            guard let ledger = book.ledgers[pair] else { continue }
            let parties = pair.sorted()
            findings += try auditor.audit(
                ledger: ledger.id, holders: parties, stores: parties.map { try book.store($0) }
            )
            .map(\.description)
        }
        for (publisher, omni) in book.omniLedgers.sorted(by: { $0.key < $1.key }) {
            findings += OmniReview.audit(omni, trustedKeys: book.keyDirectory) { neighbour in
                guard let ledger = book.ledgers[[publisher, neighbour]] else { return nil }
                return try? book.store(neighbour).entries(of: ledger.id)
            }.map(\.description)
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
                    head: ledger.headHash, kinds: (kindsOfLedger[pair] ?? []).sorted()))
        }
        if auditAtEnd { findings = try auditLedgers() }
        let omniSummaries = try book.omniLedgers.sorted(by: { $0.key < $1.key }).map {
            try SimulationResult.OmniSummary($0.value)
        }
        var reputations: [String: String] = [:]
        for (party, core) in cores {
            if let reputation = core.view.reputation {
                reputations[party.rawValue] = Reputation.text(score: reputation.score, count: reputation.count)
            }
        }
        var result = SimulationResult(
            live: plan, observations: observations, trail: sourcing, orders: orders, ledgers: summaries,
            reputations: reputations,
            requestsReceived: Dictionary(uniqueKeysWithValues: requestsReceived.map { ($0.key.rawValue, $0.value) }),
            auditFindings: findings, events: eventCount, duration: (lastActivity - plan.start).description,
            ledgerDirectory: ledgerDirectory?.path, invoices: invoiceTrail.outcomes, auditSkipped: auditSkipped)
        result.omniLedgers = omniSummaries
        result.omniUnanswered = !book.keepsEntries && !omniSummaries.isEmpty
        result.messages = messages
        return result
    }

    /// Every ledger of the run with both parties' copies of its entries, for the run report.
    public func ledgerCopies() throws -> [RunReport.LedgerCopies] {
        let book = writer.book
        return try ledgerOrder.compactMap { pair in
            guard let ledger = book.ledgers[pair] else { return nil }
            let parties = pair.sorted()
            return RunReport.LedgerCopies(
                id: ledger.id, parties: parties,
                copies: try parties.map { ($0, try book.store($0).entries(of: ledger.id)) })
        }
    }
}

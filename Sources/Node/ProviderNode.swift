import CanonicalJSON
import Foundation
import Ledger
import Logging
import Provider
import SBUS
import ServiceLifecycle
import Sonata
import SupplyChain

/// One live provider: owns the protocol core and executes its effects over HTTP and SQLite, on its `NodeClock`
/// (the system clock, or a cluster's stepped clock).
///
/// Every input goes through this actor, one at a time, exactly as the simulator feeds the core; what the core asks
/// for (sends, ledger entries) starts as jobs on the node service's task group and timers wait on the clock, so the
/// actor never waits for the network. `ProviderNode+Transmit.swift` carries the core's messages over HTTP.
public actor ProviderNode {
    public nonisolated let configuration: NodeConfiguration
    public nonisolated let ledgers: NodeLedgers
    nonisolated let client: NodeClient
    package nonisolated let jobs: JobQueue
    /// The order of the messages sent to each counterparty (`DeliveryOrder`).
    nonisolated let deliveryOrder = DeliveryOrder()
    nonisolated let traceLog: TraceLog?
    nonisolated let logger: Logger
    /// Protocol time: the wall clock, or a cluster's stepped clock.
    public nonisolated let clock: any NodeClock
    /// The addresses this node sends to on a caller's say-so (hub callbacks, reply-to).
    public nonisolated let outbound: OutboundTargets
    /// Where answers and order events are counted (`GET /metrics`).
    nonisolated let metrics: NodeMetrics?
    var core: ProviderCore
    /// Every input, written before it is handled, so that a restart rebuilds the core (nil: nothing kept).
    nonisolated let journal: InputJournal?
    /// The ledger entries the replayed inputs recorded, until `reproposeMissing()` has checked them.
    private var replayedRecords: [(LedgerRecord, Instant)] = []

    struct Exchange: Hashable {
        let buyer: PartyID
        let requestID: RequestID
    }

    /// One POQ this node answers: whose it is and its latest answer.
    public struct Resource: Sendable {
        public let buyer: PartyID
        public let requestID: RequestID
        public let request: ProductOfferingQualificationCreate?
        /// When the request arrived: the POQ Create Date.
        public let createdAt: Instant
        public var latest: Message
    }

    /// A request's first answer, as its HTTP exchange needs it: the message, the POQ resource as it then stood, and
    /// the POQ's Sonata rendering as sent (nil for an inquiry, whose route renders a quote). Made on the actor when
    /// the answer comes, so that the waiting route does not queue for the actor again to read and render it.
    public struct FirstAnswer: Sendable {
        public let message: Message
        public let resource: Resource
        public let poq: ProductOfferingQualification?
    }

    /// Where a request's HTTP exchanges wait for its first answer (or nil: none by the deadline, or shutdown):
    /// the first, and any the buyer sent again while it waited (its connection may have failed), all answered.
    var waiters: [Exchange: [AsyncStream<FirstAnswer?>.Continuation]] = [:]

    /// What `begin` found: an answer already given, or a stream to wait on.
    enum Submission {
        case answered(FirstAnswer)
        case waiting(AsyncStream<FirstAnswer?>, AsyncStream<FirstAnswer?>.Continuation)
    }
    var requests: [Exchange: ProductOfferingQualificationCreate] = [:]
    var receivedAt: [Exchange: Instant] = [:]
    var resourceOfExchange: [Exchange: String] = [:]
    var resources: [String: Resource] = [:]
    var resourceOrder: [String] = []
    var replyTo: [PartyID: String] = [:]
    var traceOf: [RequestID: String] = [:]
    var deletedHubs: Set<String> = []
    /// Buyers' listeners for product order notifications (Sonata v10 hub), in registration order.
    var orderHubs: [PartyID: [EventSubscription]] = [:]
    var orderHubCount = 0
    /// Orders received from buyers, by this node's reference; the reference of each (buyer, order id); the
    /// references oldest first; each order as it arrived.
    var orderResources: [String: OrderResource] = [:]
    var orderOfExchange: [Exchange: String] = [:]
    var orderOrder: [String] = []
    var orderRequests: [Exchange: OrderRequest] = [:]
    /// Buyers' trouble tickets at this node, by this node's ticket id; the id of each (buyer, buyer's ticket id);
    /// the ids oldest first; what a new ticket reported, until the S-BUS acknowledges it.
    var ticketResources: [String: TicketResource] = [:]
    var ticketOfBuyerTicket: [Exchange: String] = [:]
    var ticketOrder: [String] = []
    var pendingTicketReports: [Exchange: (TicketReport, Instant)] = [:]
    /// Buyers' listeners for ticket notifications (Sonata Trouble Ticket v4 hub).
    var ticketHubs: [PartyID: [EventSubscription]] = [:]
    var ticketHubCount = 0
    /// Buyers' listeners for quote notifications (Sonata Quote v8 hub).
    var quoteHubs: [PartyID: [EventSubscription]] = [:]
    var quoteHubCount = 0
    /// Invoices and credit notes this node issued to its buyers, by id, with what became of each; their ids
    /// oldest first (Sonata billing v2 `customerBill`).
    var billResources: [String: BillResource] = [:]
    var billOrder: [String] = []
    /// Buyers' listeners for bill notifications (Sonata billing v2 hub).
    var billingHubs: [PartyID: [EventSubscription]] = [:]
    var billingHubCount = 0
    /// Bills whose buyer's answer or payment the last input recorded, until their hubs are notified (live only).
    var changedBills: [String] = []
    /// Buyers' performance jobs and reports at this node (Interlude Performance Monitoring v2), by id, with their
    /// ids oldest first; each job's create request as sent; buyers' listeners for their notifications.
    var performanceJobs: [String: PerformanceJobResource] = [:]
    var performanceJobOrder: [String] = []
    var performanceJobRequests: [String: JSONValue] = [:]
    var performanceReports: [String: PerformanceReportResource] = [:]
    var performanceReportOrder: [String] = []
    var performanceHubs: [PartyID: [EventSubscription]] = [:]
    var performanceHubCount = 0
    /// The protocol time of the input being handled, live or replayed.
    var inputTime = Instant(milliseconds: 0)
    /// Inputs handled so far (requests, answers, timers).
    public private(set) var inputCount = 0
    /// Journal lines the last `restore()` set aside instead of replaying (reported on `/health`).
    public private(set) var quarantined: [InputJournal.Quarantined] = []

    public init(
        configuration: NodeConfiguration, key: PartyKey, ledgers: NodeLedgers, client: NodeClient, jobs: JobQueue,
        traceLog: TraceLog?, logger: Logger, clock: (any NodeClock)? = nil, metrics: NodeMetrics? = nil,
        journal: InputJournal? = nil
    ) {
        self.configuration = configuration
        self.ledgers = ledgers
        self.client = client
        self.jobs = jobs
        self.traceLog = traceLog
        self.logger = logger
        self.clock = clock ?? WallClock(jobs: jobs)
        self.metrics = metrics
        self.journal = journal
        self.outbound = OutboundTargets(peers: configuration.peers)
        self.core = ProviderCore(configuration: configuration.provider)
    }

    public nonisolated var party: PartyID { configuration.party }

    // MARK: - Inputs from the HTTP routes

    /// A buyer's request: hands it to the core and returns the first answer for it (the acknowledgement of a
    /// deferred request, the final answer of an immediate one), or `nil` when none came by its deadline.
    /// `decoded` is the POQ the route already decoded from the payload, kept so it is not decoded again.
    /// - Throws: `NodeError(.journal)` when the request could not be written to the journal: it was not handled,
    ///   so nothing was answered or recorded that a restart would forget.
    /// - Parameter context: the W3C trace context the request came with, if any: its parent id is logged.
    public nonisolated func submit(
        _ request: SupplyRequest, from buyer: PartyID, replyTo: String?, trace: String?,
        context: TraceContext? = nil, decoded: ProductOfferingQualificationCreate? = nil
    ) async throws -> FirstAnswer? {
        switch try await begin(
            request, from: buyer, replyTo: replyTo, trace: trace, context: context, decoded: decoded)
        {
        case .answered(let answer):
            return answer
        case .waiting(let stream, let continuation):
            // Waited for off the actor. At shutdown the server waits for in-flight requests: one still waiting for
            // sellers gets no answer (408).
            return await withGracefulShutdownHandler {
                for await answer in stream { return answer }
                return nil
            } onGracefulShutdown: {
                continuation.yield(nil)
                continuation.finish()
            }
        }
    }

    /// The actor's part of `submit`: the request journaled and handed to the core, and where its first answer
    /// will come.
    private func begin(
        _ request: SupplyRequest, from buyer: PartyID, replyTo: String?, trace: String?, context: TraceContext?,
        decoded: ProductOfferingQualificationCreate?
    ) throws -> Submission {
        let exchange = Exchange(buyer: buyer, requestID: request.id)
        if let id = resourceOfExchange[exchange], let resource = resources[id] {
            return .answered(firstAnswer(resource))
        }
        if waiters[exchange] != nil {
            // The same request again while it waits: this exchange waits for the same answer.
            let (stream, continuation) = AsyncStream.makeStream(of: FirstAnswer?.self)
            waiters[exchange, default: []].append(continuation)
            return .waiting(stream, continuation)
        }
        let prefilled = decoded != nil && requests[exchange] == nil
        if prefilled { requests[exchange] = decoded }
        let trace = trace ?? "\(buyer.rawValue)/\(request.id.rawValue)"
        logger.info(
            "request received",
            metadata: [
                "from": "\(buyer)", "requestID": "\(request.id.rawValue)", "trace": "\(trace)",
                "traceID": "\(TraceContext.traceID(of: trace))", "parentID": "\(context?.parentID ?? "-")",
            ])
        var line = TraceLog.Line(
            type: "request", party: party.rawValue, trace: trace, from: buyer.rawValue, requestID: request.id.rawValue)
        line.parentID = context?.parentID
        traceLog?.write(line)
        let (stream, continuation) = AsyncStream.makeStream(of: FirstAnswer?.self)
        waiters[exchange] = [continuation]
        guard handle(.message(from: buyer, .request(request)), trace: trace, replyTo: replyTo) else {
            waiters.removeValue(forKey: exchange)
            if prefilled { requests.removeValue(forKey: exchange) }
            throw NodeError(.journal, "the request could not be written to the journal; it was not handled")
        }
        clock.schedule(at: request.respondBy + .seconds(5)) { await self.expire(exchange) }
        return .waiting(stream, continuation)
    }

    /// The first answer of a POQ or inquiry as its exchange gives it (`FirstAnswer`).
    func firstAnswer(_ resource: Resource) -> FirstAnswer {
        let kind: RequestKind? =
            switch resource.latest {
            case .acknowledgement(let response), .response(let response): response.kind
            default: nil
            }
        return FirstAnswer(
            message: resource.latest, resource: resource, poq: kind == .poq ? render(resource, asSent: true) : nil)
    }

    func expire(_ exchange: Exchange) {
        for waiter in waiters.removeValue(forKey: exchange) ?? [] {
            waiter.yield(nil)
            waiter.finish()
        }
    }

    /// A seller's answer or notification (from its HTTP response or on this node's listener).
    public func receive(_ message: Message, from seller: PartyID) {
        switch message {
        case .acknowledgement(let response), .response(let response):
            handle(.message(from: seller, message), trace: traceOf[response.requestID])
        case .notification, .request, .hubRegistration, .order, .orderNotice, .ticket, .performance, .invoice,
            .reconciliation, .disputeResolution, .payment, .quoteDecision:
            handle(.message(from: seller, message), trace: nil)
        }
    }

    /// Registers a buyer's hub (MEF 79.1 Use Case 1) and returns the subscription.
    public func registerHub(_ input: EventSubscriptionInput, buyer: PartyID) -> EventSubscription? {
        handle(.message(from: buyer, .hubRegistration(input)), trace: nil)
        return core.view.subscriptions(of: buyer).last
    }

    /// Removes a buyer's hub; false when the buyer has no such hub.
    public func deleteHub(id: String, buyer: PartyID) -> Bool {
        guard core.view.subscriptions(of: buyer).contains(where: { $0.id == id }), !deletedHubs.contains(id)
        else { return false }
        journal(.hubDeleted(id))
        deletedHubs.insert(id)
        return true
    }

    /// The POQ with this id, if any.
    public func resource(id: String) -> Resource? { resources[id] }

    /// The POQs of `buyer`, oldest first.
    public func resources(of buyer: PartyID) -> [(id: String, resource: Resource)] {
        resourceOrder.compactMap { id in resources[id].flatMap { $0.buyer == buyer ? (id, $0) : nil } }
    }

    /// The Sonata rendering of an answer: as it was sent (`asSent`, the body of the 201 that acknowledges a POQ), or
    /// as it stands now, IN_PROGRESS once the seller's business validation passed (MEF79-R99).
    public func render(_ resource: Resource, asSent: Bool = false) -> ProductOfferingQualification? {
        switch resource.latest {
        case .acknowledgement(let response):
            return core.view.sonataPOQ(
                asSent ? response : core.view.current(response, buyer: resource.buyer), request: resource.request,
                createdAt: resource.createdAt)
        case .response(let response):
            return core.view.sonataPOQ(response, request: resource.request, createdAt: resource.createdAt)
        default:
            return nil
        }
    }

    // MARK: - Orders

    /// One order (or change, or renewal) this node received from a buyer, with what it said about it since.
    public struct OrderResource: Sendable {
        /// This node's reference for the order (the Sonata ProductOrder id).
        public let id: String
        public let buyer: PartyID
        public let request: OrderRequest
        public let receivedAt: Instant
        /// The notices sent to the buyer about it, oldest first.
        public var notices: [OrderNotice] = []
    }

    /// A buyer's order: hands it to the core and returns the resource it became (the same one when the order
    /// arrives again).
    public func placeOrder(_ order: OrderRequest, from buyer: PartyID, replyTo: String?) -> OrderResource? {
        let exchange = Exchange(buyer: buyer, requestID: order.id)
        if let id = orderOfExchange[exchange] { return orderResources[id] }
        guard handle(.message(from: buyer, .order(order)), trace: nil, replyTo: replyTo) else { return nil }
        return orderOfExchange[exchange].flatMap { orderResources[$0] }
    }

    func openOrderResource(_ id: String, exchange: Exchange, at: Instant) {
        guard orderResources[id] == nil, let request = orderRequests[exchange] else { return }
        orderResources[id] = OrderResource(id: id, buyer: exchange.buyer, request: request, receivedAt: at)
        orderOfExchange[exchange] = id
        orderOrder.append(id)
    }

    /// Registers a buyer's listener for its product order notifications (Sonata v10 `POST /hub`).
    public func registerOrderHub(_ input: EventSubscriptionInput, buyer: PartyID) -> EventSubscription {
        let subscription = EventSubscription(
            id: "\(party.rawValue)-order-hub-\(orderHubCount + 1)", callback: input.callback, query: input.query)
        journal(.orderHubRegistered(buyer: buyer, subscription))
        addOrderHub(subscription, buyer: buyer)
        return subscription
    }

    private func addOrderHub(_ subscription: EventSubscription, buyer: PartyID) {
        orderHubCount += 1
        orderHubs[buyer, default: []].append(subscription)
    }

    /// Removes a buyer's order listener; false when the buyer has no such listener.
    public func deleteOrderHub(id: String, buyer: PartyID) -> Bool {
        guard orderHubs[buyer]?.contains(where: { $0.id == id }) == true else { return false }
        journal(.orderHubDeleted(id))
        removeOrderHub(id)
        return true
    }

    private func removeOrderHub(_ id: String) {
        for buyer in orderHubs.keys { orderHubs[buyer]?.removeAll { $0.id == id } }
    }

    /// Writes a node-state line to the journal (protocol time now, no entropy).
    func journal(_ entry: InputJournal.Entry) {
        do {
            try journal?.append(entry, at: clock.now(), seed: 0)
        } catch {
            logger.critical("journal write failed", metadata: ["error": "\(error)"])
        }
    }

    /// The services in operation this node delivers to `buyer`.
    public func serviceIDs(of buyer: PartyID) -> [String] {
        core.view.activeServiceIDs(of: buyer)
    }

    /// The order with this reference, if any.
    public func order(id: String) -> OrderResource? { orderResources[id] }

    /// The orders of `buyer`, oldest first.
    public func orders(of buyer: PartyID) -> [OrderResource] {
        orderOrder.compactMap { id in orderResources[id].flatMap { $0.buyer == buyer ? $0 : nil } }
    }

    /// The items of a quote this node gave `buyer`, by item id (for a plain Sonata order against it).
    public func quotedItems(_ quoteReference: String, buyer: PartyID) -> [String: JSONValue]? {
        core.view.quotedItems(quoteReference, buyer: buyer)
    }

    /// The answer to a POQ or inquiry by the provider's own reference, when `buyer` asked it.
    public func answer(reference: String, buyer: PartyID) -> SupplyResponse? {
        guard let resource = resources[reference], resource.buyer == buyer else { return nil }
        switch resource.latest {
        case .response(let response), .acknowledgement(let response): return response
        default: return nil
        }
    }

    // MARK: - The stepped clock

    /// What a cluster's controller reads to know whether this node has gone quiet: jobs running, HTTP requests
    /// parked until protocol time moves, and a counter that changes whenever anything happens.
    public struct Activity: Codable, Sendable, Hashable {
        public let now: Instant
        public let next: Instant?
        public let running: Int
        public let parked: Int
        public let activity: UInt64
    }

    /// This node's activity now.
    public func activity() -> Activity {
        let jobs = self.jobs.activity
        return Activity(
            now: clock.now(), next: (clock as? SteppedClock)?.nextDeadline, running: jobs.running,
            parked: waiters.count, activity: jobs.started &+ UInt64(inputCount))
    }

    func fire(_ key: TimerKey) {
        handle(.timer(key), trace: traceOf[key.requestID])
    }

    // MARK: - The core and its effects

    /// Hands one input to the core, journaled first, with a fresh entropy seed, and carries out its effects.
    ///
    /// Write-ahead: an input the journal could not take is not handled (false), so the node never answers or
    /// records something a restart would not know, and never hands out an id twice.
    @discardableResult
    func handle(_ input: ProviderInput, trace: String?, replyTo: String? = nil) -> Bool {
        let now = clock.now()
        let seed = UInt64.random(in: 0...UInt64.max)
        do {
            try journal?.append(
                .input(input, replyTo: replyTo, trace: trace), at: now, seed: seed, idCounter: core.idCounter)
        } catch {
            logger.error("journal write failed; the input was not handled", metadata: ["error": "\(error)"])
            return false
        }
        let effects = apply(input, at: now, seed: seed, replyTo: replyTo, trace: trace)
        execute(effects, now: now, trace: trace)
        notifyBillChanges()
        return true
    }

    /// One input through the core, live or replayed: what the HTTP side keeps about it, the core's effects (with
    /// entropy from `seed`), and the order's resource once the core gave it a reference.
    private func apply(
        _ input: ProviderInput, at now: Instant, seed: UInt64, replyTo: String?, trace: String?
    ) -> [Effect] {
        inputCount += 1
        inputTime = now
        note(input, replyTo: replyTo, trace: trace, at: now)
        var entropy = SeededEntropy(seed: seed)
        let effects = core.handle(input, now: now, entropy: &entropy)
        openOrderResource(for: input, at: now)
        return effects
    }

    /// What the HTTP side keeps about a buyer's input: the POQ and when it came, where the buyer takes answers,
    /// the request's trace, the order as sent.
    private func note(_ input: ProviderInput, replyTo: String?, trace: String?, at: Instant) {
        guard case .message(let buyer, let message) = input else { return }
        switch message {
        case .request(let request):
            let exchange = Exchange(buyer: buyer, requestID: request.id)
            // The route hands over the POQ it decoded (`submit`); a replayed request is decoded here.
            if requests[exchange] == nil {
                requests[exchange] = try? request.payload.decode(ProductOfferingQualificationCreate.self)
            }
            receivedAt[exchange] = at
            traceOf[request.id] = trace
        case .order(let order):
            orderRequests[Exchange(buyer: buyer, requestID: order.id)] = order
        case .ticket(let notice) where notice.event.isFromBuyer:
            noteTicket(notice, from: buyer, at: at)
        case .performance(.report):
            return
        case .performance(let message):
            notePerformance(message, from: buyer, at: at)
        case .reconciliation, .payment:
            if let changed = noteBilling(message, from: buyer) { changedBills.append(changed) }
        default:
            return
        }
        if let replyTo { self.replyTo[buyer] = replyTo }
    }

    /// After the core took a buyer's order: the order's resource under the core's reference (an order rejected
    /// at once got its resource from the notice already).
    private func openOrderResource(for input: ProviderInput, at: Instant) {
        guard case .message(let buyer, .order(let order)) = input else { return }
        let exchange = Exchange(buyer: buyer, requestID: order.id)
        if orderOfExchange[exchange] == nil, let id = core.view.orderReference(buyer: buyer, orderID: order.id) {
            openOrderResource(id, exchange: exchange, at: at)
        }
    }

    /// After `restore()` and the ledgers' catch-up: proposes again the entries the journal recorded that are not
    /// on the ledgers (queued when the process died). Returns how many.
    public func reproposeMissing() -> Int {
        defer { replayedRecords = [] }
        return ledgers.reproposeMissing(replayedRecords) { self.jobs.start($0) }
    }

    /// Rebuilds the core, and this node's records of requests, answers and orders, from the journal; then sets
    /// the timers that had not fired. Messages are not sent again and ledger entries not recorded again: they
    /// went out when the inputs were first handled. Call once, before the node takes requests; returns the
    /// number of journal lines replayed.
    public func restore() async throws -> Int {
        guard let journal else { return 0 }
        let contents = try journal.replayable()
        quarantined = contents.quarantined
        for line in contents.quarantined {
            logger.error(
                "journal input quarantined: not replayed", metadata: ["seq": "\(line.seq)", "reason": "\(line.reason)"])
        }
        let lines = contents.lines
        var pending: [TimerKey: Instant] = [:]
        for line in lines {
            try journal.replaying(line.seq)
            if let counter = line.idCounter { core.raiseIDCounter(to: counter) }
            switch line.entry {
            case .hubDeleted(let id):
                deletedHubs.insert(id)
            case .orderHubRegistered(let buyer, let subscription):
                addOrderHub(subscription, buyer: buyer)
            case .orderHubDeleted(let id):
                removeOrderHub(id)
            case .ticketHubRegistered(let buyer, let subscription):
                addTicketHub(subscription, buyer: buyer)
            case .ticketHubDeleted(let id):
                removeTicketHub(id)
            case .billingHubRegistered(let buyer, let subscription):
                addBillingHub(subscription, buyer: buyer)
            case .billingHubDeleted(let id):
                removeBillingHub(id)
            case .quoteHubRegistered(let buyer, let subscription):
                addQuoteHub(subscription, buyer: buyer)
            case .quoteHubDeleted(let id):
                removeQuoteHub(id)
            case .performanceJobRequested(let id, let request):
                performanceJobRequests[id] = request
            case .performanceHubRegistered(let buyer, let subscription):
                addPerformanceHub(subscription, buyer: buyer)
            case .performanceHubDeleted(let id):
                removePerformanceHub(id)
            case .input(let input, let replyTo, let trace):
                if case .timer(let key) = input { pending[key] = nil }
                let effects = apply(input, at: line.at, seed: line.seed, replyTo: replyTo, trace: trace)
                // Notified before the restart.
                changedBills = []
                for effect in effects {
                    switch effect {
                    case .setTimer(let key, let at): pending[key] = at
                    case .send(let to, let message): transmit(message, to: to, trace: trace, replaying: true)
                    case .record(let record): replayedRecords.append((record, line.at))
                    // Published before the restart: the entry is in the omni-lateral ledger's own file.
                    case .publish, .trace: break
                    }
                }
            }
        }
        try journal.replaying(nil)
        // Protocol time does not go backwards: a stepped clock resumes where the journal ends.
        if let stepped = clock as? SteppedClock, let last = lines.last?.at { await stepped.advance(to: last) }
        let timers = pending.sorted { ($0.value, "\($0.key)") < ($1.value, "\($1.key)") }
        for (key, at) in timers { clock.schedule(at: at) { await self.fire(key) } }
        return lines.count
    }

    /// Carries out the core's effects: the messages first (each starts a job of its own, in the core's order per
    /// counterparty), so that the next hop starts while this node queues the ledger entries and writes its traces.
    private func execute(_ effects: [Effect], now: Instant, trace: String?) {
        for case .send(let to, let message) in effects { send(message, to: to, trace: trace) }
        for effect in effects {
            switch effect {
            case .send:
                break
            case .setTimer(let key, let at):
                clock.schedule(at: at) { await self.fire(key) }
            case .record(let record):
                ledgers.submit(record, at: now) { self.jobs.start($0) }
            case .publish(let record):
                ledgers.publish(record, at: now) { self.jobs.start($0) }
            case .trace(let event):
                self.trace(event, trace: trace)
            }
        }
    }

    private func trace(_ event: TraceEvent, trace: String?) {
        let me = party.rawValue
        switch event {
        case .sourcedExternally(let requestID, let itemID, let seller, let sellerRequestID):
            traceLog?.write(
                .init(
                    type: "external", party: me, trace: trace, requestID: requestID.rawValue, itemID: itemID,
                    seller: seller.rawValue, sellerRequestID: sellerRequestID.rawValue))
        case .sourcedInternally(let requestID, let itemID):
            traceLog?.write(
                .init(type: "internal", party: me, trace: trace, requestID: requestID.rawValue, itemID: itemID))
        case .unsourced(let requestID, let itemID, let reason):
            traceLog?.write(
                .init(
                    type: "unsourced", party: me, trace: trace, requestID: requestID.rawValue, itemID: itemID,
                    reason: reason))
        case .answered(let buyer, let requestID, let state):
            logger.info(
                "answered", metadata: ["buyer": "\(buyer)", "request": "\(requestID)", "state": "\(state.rawValue)"])
            metrics?.poqAnswered(state)
        case .orderedFrom(let orderID, let itemID, let seller, let sellerOrderID):
            traceLog?.write(
                .init(
                    type: "orderedFrom", party: me, trace: trace, requestID: orderID.rawValue, itemID: itemID,
                    seller: seller.rawValue, sellerRequestID: sellerOrderID.rawValue))
        case .deliveredInternally(let orderID, let itemID):
            traceLog?.write(
                .init(type: "deliveredInternally", party: me, trace: trace, requestID: orderID.rawValue, itemID: itemID)
            )
        case .orderEvent(_, _, let event):
            metrics?.orderEvent(event)
        case .received, .refused, .sofAnswered, .skippedSeller, .released:
            break
        }
    }

}

/// Base64url without padding (RFC 4648 §5), for binary values in headers.
public enum Base64URL {
    public static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}

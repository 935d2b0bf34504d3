import CanonicalJSON
import Foundation
import Ledger
import Logging
import NIOHTTP1
import Provider
import SBUS
import ServiceLifecycle
import Sonata
import SupplyChain

/// One live provider: owns the protocol core and executes its effects over HTTP and SQLite, on the real clock.
///
/// Every input goes through this actor, one at a time, exactly as the simulator feeds the core; what the core asks
/// for (sends, timers, ledger entries) starts as jobs on the node service's task group, so the actor never waits
/// for the network.
public actor ProviderNode {
    public nonisolated let configuration: NodeConfiguration
    public nonisolated let ledgers: NodeLedgers
    nonisolated let client: NodeClient
    nonisolated let jobs: JobQueue
    nonisolated let traceLog: TraceLog?
    nonisolated let logger: Logger
    private var core: ProviderCore
    private var entropy = SystemEntropy()

    private struct Exchange: Hashable {
        let buyer: PartyID
        let requestID: RequestID
    }

    /// One POQ this node answers: whose it is and its latest answer.
    public struct Resource: Sendable {
        public let buyer: PartyID
        public let requestID: RequestID
        public let request: ProductOfferingQualificationCreate?
        public var latest: Message
    }

    private var waiters: [Exchange: AsyncStream<Message?>.Continuation] = [:]
    private var requests: [Exchange: ProductOfferingQualificationCreate] = [:]
    private var resourceOfExchange: [Exchange: String] = [:]
    private var resources: [String: Resource] = [:]
    private var resourceOrder: [String] = []
    private var replyTo: [PartyID: String] = [:]
    private var traceOf: [RequestID: String] = [:]
    private var deletedHubs: Set<String> = []
    /// Inputs handled so far (requests, answers, timers).
    public private(set) var inputCount = 0

    public init(
        configuration: NodeConfiguration, key: PartyKey, ledgers: NodeLedgers, client: NodeClient, jobs: JobQueue,
        traceLog: TraceLog?, logger: Logger
    ) {
        self.configuration = configuration
        self.ledgers = ledgers
        self.client = client
        self.jobs = jobs
        self.traceLog = traceLog
        self.logger = logger
        self.core = ProviderCore(configuration: configuration.provider)
    }

    public nonisolated var party: PartyID { configuration.party }

    // MARK: - Inputs from the HTTP routes

    /// A buyer's request: hands it to the core and returns the first answer for it (the acknowledgement of a
    /// deferred request, the final answer of an immediate one), or `nil` when none came by its deadline.
    public func submit(
        _ request: SupplyRequest, poq: ProductOfferingQualificationCreate, from buyer: PartyID, replyTo: String?,
        trace: String?
    ) async -> Message? {
        let exchange = Exchange(buyer: buyer, requestID: request.id)
        if let id = resourceOfExchange[exchange], let resource = resources[id] { return resource.latest }
        if waiters[exchange] != nil { return nil }
        if let replyTo { self.replyTo[buyer] = replyTo }
        let trace = trace ?? "\(buyer.rawValue)/\(request.id.rawValue)"
        traceOf[request.id] = trace
        requests[exchange] = poq
        traceLog?.write(
            .init(
                type: "request", party: party.rawValue, trace: trace, from: buyer.rawValue,
                requestID: request.id.rawValue))
        let (stream, continuation) = AsyncStream.makeStream(of: Message?.self)
        waiters[exchange] = continuation
        handle(.message(from: buyer, .request(request)), trace: trace)
        let wait = max(request.respondBy - Instant(Date()), .zero) + .seconds(5)
        jobs.start {
            try? await Task.sleep(for: .milliseconds(wait.milliseconds))
            await self.expire(exchange)
        }
        // At shutdown the server waits for in-flight requests: one still waiting for sellers gets no answer (408).
        return await withGracefulShutdownHandler {
            for await message in stream { return message }
            return nil
        } onGracefulShutdown: {
            continuation.yield(nil)
            continuation.finish()
        }
    }

    private func expire(_ exchange: Exchange) {
        guard let waiter = waiters.removeValue(forKey: exchange) else { return }
        waiter.yield(nil)
        waiter.finish()
    }

    /// A seller's answer or notification (from its HTTP response or on this node's listener).
    public func receive(_ message: Message, from seller: PartyID) {
        switch message {
        case .acknowledgement(let response), .response(let response):
            handle(.message(from: seller, message), trace: traceOf[response.requestID])
        case .notification, .request, .hubRegistration, .order, .orderNotice:
            handle(.message(from: seller, message), trace: nil)
        }
    }

    /// Registers a buyer's hub (MEF 79.1 Use Case 1) and returns the subscription.
    public func registerHub(_ input: EventSubscriptionInput, buyer: PartyID) -> EventSubscription? {
        handle(.message(from: buyer, .hubRegistration(input)), trace: nil)
        return core.sbus.subscriptions[buyer]?.last
    }

    /// Removes a buyer's hub; false when the buyer has no such hub.
    public func deleteHub(id: String, buyer: PartyID) -> Bool {
        guard core.sbus.subscriptions[buyer]?.contains(where: { $0.id == id }) == true, !deletedHubs.contains(id)
        else { return false }
        deletedHubs.insert(id)
        return true
    }

    /// The POQ with this id, if any.
    public func resource(id: String) -> Resource? { resources[id] }

    /// The POQs of `buyer`, oldest first.
    public func resources(of buyer: PartyID) -> [(id: String, resource: Resource)] {
        resourceOrder.compactMap { id in resources[id].flatMap { $0.buyer == buyer ? (id, $0) : nil } }
    }

    /// The Sonata rendering of an answer.
    public func render(_ resource: Resource) -> ProductOfferingQualification? {
        switch resource.latest {
        case .acknowledgement(let response), .response(let response):
            return core.sbus.sonataPOQ(response, request: resource.request)
        default:
            return nil
        }
    }

    private func fire(_ key: TimerKey) {
        handle(.timer(key), trace: traceOf[key.requestID])
    }

    // MARK: - The core and its effects

    private func handle(_ input: ProviderInput, trace: String?) {
        inputCount += 1
        let now = Instant(Date())
        let effects = core.handle(input, now: now, entropy: &entropy)
        execute(effects, now: now, trace: trace)
    }

    private func execute(_ effects: [Effect], now: Instant, trace: String?) {
        for effect in effects {
            switch effect {
            case .send(let to, let message):
                send(message, to: to, trace: trace)
            case .setTimer(let key, let at):
                let delay = max(at - Instant(Date()), .zero)
                jobs.start {
                    do {
                        try await Task.sleep(for: .milliseconds(delay.milliseconds))
                    } catch {
                        return
                    }
                    await self.fire(key)
                }
            case .record(let record):
                ledgers.submit(record, at: now) { self.jobs.start($0) }
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
            ledgers.metrics?.poqAnswered(state)
        case .received, .refused, .sofAnswered, .skippedSeller, .orderEvent, .orderedFrom, .deliveredInternally,
            .released:
            break
        }
    }

    private func send(_ message: Message, to: PartyID, trace: String?) {
        if configuration.behaviour.silent { return }
        let delay = configuration.behaviour.delay
        switch message {
        case .request(let request):
            traceOf[request.id] = trace
            let client = self.client
            let publicURL = configuration.publicURL
            jobs.start {
                if delay > .zero { try? await Task.sleep(for: .milliseconds(delay.milliseconds)) }
                if let answer = await Self.forward(
                    request, to: to, client: client, replyTo: publicURL, trace: trace, logger: self.logger)
                {
                    await self.receive(answer, from: to)
                }
            }
        case .acknowledgement(let response), .response(let response):
            let exchange = Exchange(buyer: to, requestID: response.requestID)
            let id = response.sellerReference
            if resources[id] == nil {
                resourceOrder.append(id)
                resourceOfExchange[exchange] = id
                resources[id] = Resource(
                    buyer: to, requestID: response.requestID, request: requests[exchange], latest: message)
            } else {
                resources[id]?.latest = message
            }
            if let waiter = waiters.removeValue(forKey: exchange) {
                waiter.yield(message)
                waiter.finish()
            } else if let url = replyTo[to] {
                let envelope = SupplyEnvelope(
                    productOfferingQualification: resources[id].flatMap(render), message: message)
                deliver(envelope, url: url + NodeRoutes.listenerBase + "/poqStateChangeEvent", delay: delay)
            }
        case .notification(let event, _):
            guard
                let hub = core.sbus.subscriptions[to]?.first(where: { !deletedHubs.contains($0.id) })
            else { return }
            deliver(
                SupplyEnvelope(event: event, message: message),
                url: hub.callback + "/listener/" + event.eventType.rawValue, delay: delay)
        case .hubRegistration:
            break
        case .order, .orderNotice:
            // Orders run in the simulator; their Sonata product order (v10) routes are not served by live nodes yet.
            logger.warning(
                "order message not carried by live nodes yet", metadata: ["to": "\(to)", "kind": "\(message.name)"])
        }
    }

    private func deliver(_ envelope: SupplyEnvelope, url: String, delay: TimeSpan) {
        let client = self.client
        let logger = self.logger
        jobs.start {
            if delay > .zero { try? await Task.sleep(for: .milliseconds(delay.milliseconds)) }
            guard let body = try? JSONEncoder().encode(envelope), let parsed = URL(string: url) else { return }
            let base =
                "\(parsed.scheme ?? "http")://\(parsed.host ?? "127.0.0.1")" + (parsed.port.map { ":\($0)" } ?? "")
            var path = parsed.path
            if let query = parsed.query { path += "?" + query }
            for attempt in 0..<5 {
                do {
                    let reply = try await client.send(
                        .POST, url: base, path: path, body: body, contentType: NodeHeaders.supplyChainMediaType)
                    if reply.status >= 300 {
                        logger.warning("listener refused", metadata: ["url": "\(url)", "status": "\(reply.status)"])
                    }
                    return
                } catch {
                    try? await Task.sleep(for: .milliseconds(100 << attempt))
                }
            }
            logger.warning("listener unreachable", metadata: ["url": "\(url)"])
        }
    }

    /// Sends a request to a seller and returns its first answer; retries while the seller is unreachable, until
    /// the request's deadline (silence = unable).
    static func forward(
        _ request: SupplyRequest, to seller: PartyID, client: NodeClient, replyTo: String, trace: String?,
        logger: Logger
    ) async -> Message? {
        guard let body = try? JSONEncoder().encode(request.payload),
            let list = try? JSONEncoder().encode(request.loopPreventionList)
        else { return nil }
        var headers: [(String, String)] = [
            (NodeHeaders.requestID.rawName, request.id.rawValue),
            (NodeHeaders.requestKind.rawName, request.kind.rawValue),
            (NodeHeaders.loopPrevention.rawName, Base64URL.encode(list)),
            (NodeHeaders.respondBy.rawName, request.respondBy.description),
            (NodeHeaders.replyTo.rawName, replyTo),
        ]
        if let trace { headers.append((NodeHeaders.trace.rawName, trace)) }
        var backoff = 50
        while Instant(Date()) < request.respondBy {
            do {
                let reply = try await client.send(
                    .POST, to: seller, path: NodeRoutes.poqPath, body: body, headers: headers,
                    accept: NodeHeaders.supplyChainMediaType)
                switch reply.status {
                case 200, 201:
                    return try JSONDecoder().decode(SupplyEnvelope.self, from: reply.body).message
                case 422:
                    let errors = (try? JSONDecoder().decode([MEFError].self, from: reply.body)) ?? []
                    return .response(
                        SupplyResponse(
                            requestID: request.id, sellerReference: "", kind: request.kind, state: .rejected,
                            items: [],
                            findings: errors.map {
                                ValidationFinding(
                                    path: $0.propertyPath ?? "", rule: $0.message ?? "", message: $0.reason)
                            }, reason: "invalid request", answeredAt: Instant(Date())))
                default:
                    logger.warning(
                        "seller refused a request", metadata: ["seller": "\(seller)", "status": "\(reply.status)"])
                    return nil
                }
            } catch {
                logger.debug("seller unreachable; retrying", metadata: ["seller": "\(seller)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(backoff))
                backoff = min(backoff * 2, 1_000)
            }
        }
        return nil
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

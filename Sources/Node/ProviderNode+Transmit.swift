import CanonicalJSON
import Foundation
import HTTPTypes
import Ledger
import Logging
import NIOHTTP1
import Sonata
import SupplyChain

/// Carrying the core's messages over HTTP: requests and orders to sellers, answers and notices to buyers.
extension ProviderNode {
    /// Sends `message` to `to`, after the scenario's extra delay for this provider (on protocol time), if any.
    func send(_ message: Message, to: PartyID, trace: String?) {
        if configuration.behaviour.silent { return }
        let delay = configuration.behaviour.delay
        guard delay > .zero else { return transmit(message, to: to, trace: trace) }
        clock.schedule(at: clock.now() + delay) { await self.transmit(message, to: to, trace: trace) }
    }

    /// Sends `message`; when `replaying` the journal, only updates what this node keeps about its answers and
    /// orders (the message went out before the restart).
    func transmit(_ message: Message, to: PartyID, trace: String?, replaying: Bool = false) {
        switch message {
        case .request(let request):
            traceOf[request.id] = trace
            if replaying { return }
            let client = self.client
            let publicURL = configuration.publicURL
            let clock = self.clock
            jobs.start {
                if let answer = await Self.forward(
                    request, to: to, client: client, clock: clock, replyTo: publicURL, trace: trace,
                    logger: self.logger)
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
                    buyer: to, requestID: response.requestID, request: requests[exchange],
                    createdAt: receivedAt[exchange] ?? response.answeredAt, latest: message)
            } else {
                resources[id]?.latest = message
            }
            if replaying { return }
            if case .response = message, response.kind == .inquiry { notifyQuoteHubs(of: response, buyer: to) }
            if let resource = resources[id], let exchanges = waiters.removeValue(forKey: exchange) {
                let answer = firstAnswer(resource)
                for waiter in exchanges {
                    waiter.yield(answer)
                    waiter.finish()
                }
            } else if let url = replyTo[to] {
                let envelope = SupplyEnvelope(
                    productOfferingQualification: resources[id].flatMap { render($0, asSent: true) }, message: message)
                deliver(envelope, to: to, base: url, path: NodeRoutes.listenerBase + "/poqStateChangeEvent")
            }
        case .notification(let event, _):
            // The S-BUS makes one event per registration, numbered from 1 at the end of its id.
            let hubs = core.view.subscriptions(of: to)
            let index = event.eventId.split(separator: "-").last.flatMap { Int($0) }.map { $0 - 1 } ?? 0
            guard !replaying, hubs.indices.contains(index), !deletedHubs.contains(hubs[index].id) else { return }
            // A hub is a plain Sonata listener: it gets the Sonata `Event` itself, as MEF defines it.
            deliver(
                event, contentType: "application/json", to: to, base: hubs[index].callback,
                path: "/listener/" + event.eventType.rawValue)
        case .hubRegistration:
            break
        case .quoteDecision(let decision):
            guard !replaying else { return }
            notifyQuoteHubs(of: decision, buyer: to)
        case .invoice, .reconciliation, .disputeResolution, .payment:
            transmitBilling(message, to: to, replaying: replaying)
        case .order(let order):
            if replaying { return }
            // Changes, renewals and disconnections as plain Sonata orders; an order of a quote in the envelope.
            if let (create, windows) = NodeRoutes.plainOrder(order, buyer: party),
                let body = try? JSONEncoder().encode(create)
            {
                post(
                    body, contentType: "application/json", extraHeaders: [(NodeHeaders.orderWindows, windows.header)],
                    to: to, path: NodeRoutes.productOrderPath, until: order.acceptBy, what: "order \(order.id)")
                return
            }
            post(
                SupplyEnvelope(message: message), to: to, path: NodeRoutes.sellerPath(for: message),
                until: order.acceptBy, what: "order \(order.id)")
        case .ticket(let notice):
            transmitTicket(notice, to: to, replaying: replaying)
        case .performance(let message):
            transmitPerformance(message, to: to, replaying: replaying)
        case .orderNotice(let notice) where notice.event.isFromBuyer:
            if replaying { return }
            post(
                SupplyEnvelope(message: message), to: to, path: NodeRoutes.sellerPath(for: message), until: nil,
                what: "notice on \(notice.orderID)")
        case .orderNotice(let notice):
            let exchange = Exchange(buyer: to, requestID: notice.orderID)
            if orderOfExchange[exchange] == nil {
                openOrderResource(notice.sellerOrderReference, exchange: exchange, at: notice.at)
            }
            guard let id = orderOfExchange[exchange] else {
                logger.warning(
                    "a notice about an order this node does not hold", metadata: ["order": "\(notice.orderID)"])
                return
            }
            orderResources[id]?.notices.append(notice)
            guard !replaying, let resource = orderResources[id] else { return }
            let event = resource.event(for: notice, href: configuration.publicURL + NodeRoutes.productOrderPath)
            // Plain Sonata listeners (v10 hub) get the `ProductOrderEvent` itself.
            let hubs = (orderHubs[to] ?? []).filter { hub in
                let wanted = EventSubscriptionInput(callback: hub.callback, query: hub.query).eventTypeNames
                return wanted.isEmpty || wanted.contains(event.eventType.rawValue)
            }
            for hub in hubs {
                deliver(
                    event, contentType: "application/json", to: to, base: hub.callback,
                    path: "/listener/" + event.eventType.rawValue)
            }
            guard let url = replyTo[to] else {
                if hubs.isEmpty {
                    logger.info("no listener for a buyer's order notices", metadata: ["buyer": "\(to)"])
                }
                return
            }
            deliver(
                SupplyEnvelope(productOrder: resource.sonata(), productOrderEvent: event, message: message), to: to,
                base: url, path: NodeRoutes.orderListenerBase + "/" + event.eventType.rawValue)
        }
    }

    /// Posts a signed envelope to a seller (an order, or a buyer's notice on one), retrying while it is
    /// unreachable: until `until` on protocol time, and at most `retryLimit` on the wall clock.
    func post(_ envelope: SupplyEnvelope, to seller: PartyID, path: String, until: Instant?, what: String) {
        guard let body = try? JSONEncoder().encode(envelope) else { return }
        post(
            body, contentType: NodeHeaders.supplyChainMediaType, extraHeaders: [], to: seller, path: path, until: until,
            what: what)
    }

    /// Posts a signed body of `contentType` to a seller, with `extraHeaders`, retrying as `post(_:to:…)` does.
    func post(
        _ body: Data, contentType: String, extraHeaders: [(HTTPField.Name, String)], to seller: PartyID, path: String,
        until: Instant?, what: String
    ) {
        let client = self.client
        let logger = self.logger
        let clock = self.clock
        let publicURL = configuration.publicURL
        let order = deliveryOrder
        let line = "to-seller:\(seller.rawValue)"
        let turn = order.turn(on: line)
        jobs.start {
            await order.wait(for: turn, on: line)
            defer { order.done(turn, on: line) }
            let headers = [(NodeHeaders.replyTo.rawName, publicURL)] + extraHeaders.map { ($0.0.rawName, $0.1) }
            let giveUp = ContinuousClock.now + Self.retryLimit
            var backoff = 50
            // Until the node stops (its jobs are cancelled at shutdown: the journal has what was being sent).
            while !Task.isCancelled && ContinuousClock.now < giveUp && until.map({ clock.now() < $0 }) ?? true {
                do {
                    let reply = try await client.send(
                        .POST, to: seller, path: path, body: body, headers: headers, contentType: contentType,
                        accept: contentType)
                    if reply.status >= 300 {
                        logger.warning(
                            "seller refused",
                            metadata: ["seller": "\(seller)", "what": "\(what)", "status": "\(reply.status)"])
                    }
                    return
                } catch {
                    do { try await Task.sleep(for: .milliseconds(backoff)) } catch { return }
                    backoff = min(backoff * 2, 1_000)
                }
            }
            if Task.isCancelled { return }
            logger.warning("seller unreachable; gave up", metadata: ["seller": "\(seller)", "what": "\(what)"])
        }
    }

    /// How long a node keeps trying to reach an unreachable counterpart, on the wall clock.
    static var retryLimit: Swift.Duration { .seconds(60) }

    /// POSTs `body` to `buyer`'s listener at `base` + `path`, retrying a few times while it is unreachable; only
    /// to an address `outbound` allows for that buyer (checked when it was given, and again here).
    func deliver(
        _ body: some Encodable & Sendable, contentType: String = NodeHeaders.supplyChainMediaType, to buyer: PartyID,
        base: String, path: String
    ) {
        let client = self.client
        let logger = self.logger
        guard case .success(let checked) = outbound.check(base, for: buyer) else {
            logger.warning(
                "not sending to an address outside the buyer's configured origins", metadata: ["url": "\(base)"])
            return
        }
        let url = checked + path
        let order = deliveryOrder
        let line = "to-buyer:\(buyer.rawValue)"
        let turn = order.turn(on: line)
        jobs.start {
            await order.wait(for: turn, on: line)
            defer { order.done(turn, on: line) }
            guard let body = try? JSONEncoder().encode(body), let parsed = URLComponents(string: url),
                let scheme = parsed.scheme, let host = parsed.host
            else { return }
            let origin = "\(scheme)://\(host)" + (parsed.port.map { ":\($0)" } ?? "")
            for attempt in 0..<8 {
                do {
                    let reply = try await client.send(
                        .POST, to: buyer, url: origin, path: parsed.percentEncodedPath, body: body,
                        contentType: contentType)
                    if reply.status >= 300 {
                        logger.warning("listener refused", metadata: ["url": "\(url)", "status": "\(reply.status)"])
                    }
                    return
                } catch {
                    do { try await Task.sleep(for: .milliseconds(100 << attempt)) } catch { return }
                }
            }
            logger.warning("listener unreachable", metadata: ["url": "\(url)"])
        }
    }

    /// Sends a request to a seller and returns its first answer; retries while the seller is unreachable, until
    /// the request's deadline (silence = unable) and at most `retryLimit` on a stepped clock. Returns nil at once
    /// when its task is cancelled (the node stops): a cancelled send fails at once, so a loop that went on would spin
    /// a core until the deadline and hold the node's shutdown that long.
    static func forward(
        _ request: SupplyRequest, to seller: PartyID, client: NodeClient, clock: any NodeClock, replyTo: String,
        trace: String?, logger: Logger
    ) async -> Message? {
        // The payload is a JSON tree already: written as it is (its canonical form), not through `JSONEncoder`.
        let body = request.payload.canonicalData
        guard let list = try? JSONValue(exactlyEncoding: request.loopPreventionList).canonicalData else { return nil }
        var headers: [(String, String)] = [
            (NodeHeaders.requestID.rawName, request.id.rawValue),
            (NodeHeaders.requestKind.rawName, request.kind.rawValue),
            (NodeHeaders.loopPrevention.rawName, Base64URL.encode(list)),
            (NodeHeaders.respondBy.rawName, request.respondBy.description),
            (NodeHeaders.replyTo.rawName, replyTo),
        ]
        if let trace {
            headers.append((NodeHeaders.trace.rawName, trace))
            let context = TraceContext(forwarding: trace, requestID: request.id.rawValue)
            headers.append((NodeHeaders.traceparent.rawName, context.traceparent))
        }
        var backoff = 50
        let giveUp = clock is SteppedClock ? ContinuousClock.now + retryLimit : nil
        // An immediate request is answered in its exchange, at the latest when the seller gives up waiting (five
        // seconds past the deadline): the client waits five seconds more. A request sent again after a failed
        // exchange waits at the seller for the same answer.
        let immediate = request.payload["instantSyncQualification"] == .bool(true)
        while !Task.isCancelled && clock.now() < request.respondBy && giveUp.map({ ContinuousClock.now < $0 }) ?? true {
            let timeout =
                immediate
                ? max(client.timeout, .milliseconds((request.respondBy - clock.now()).milliseconds + 10_000)) : nil
            do {
                let reply = try await client.send(
                    .POST, to: seller, path: NodeRoutes.poqPath, body: body, headers: headers,
                    accept: NodeHeaders.supplyChainMediaType, timeout: timeout)
                switch reply.status {
                case 200, 201:
                    return try SupplyEnvelope.decodeMessage(from: reply.body)
                case 422:
                    return .response(
                        SupplyResponse(
                            rejecting: request,
                            errors: (try? JSONDecoder().decode([MEFError].self, from: reply.body)) ?? [],
                            at: clock.now()))
                default:
                    logger.warning(
                        "seller refused a request", metadata: ["seller": "\(seller)", "status": "\(reply.status)"])
                    return nil
                }
            } catch {
                logger.debug("seller unreachable; retrying", metadata: ["seller": "\(seller)", "error": "\(error)"])
                do { try await Task.sleep(for: .milliseconds(backoff)) } catch { return nil }
                backoff = min(backoff * 2, 1_000)
            }
        }
        return nil
    }
}

extension SupplyResponse {
    /// The answer a buyer makes of a seller's 422: the request rejected, with the MEF errors as findings.
    init(rejecting request: SupplyRequest, errors: [MEFError], at: Instant) {
        self.init(
            requestID: request.id, sellerReference: "", kind: request.kind, state: .rejected, items: [],
            findings: errors.map {
                ValidationFinding(path: $0.propertyPath ?? "", rule: $0.message ?? "", message: $0.reason)
            }, reason: "invalid request", answeredAt: at)
    }
}

import BBUS
import CanonicalJSON
import Ledger
import SBUS
import SCO
import Sonata
import SupplyChain

/// One provider's protocol core: S-BUS, SCO with its SOF, and B-BUS composed into a single state machine.
///
/// It takes one input at a time (a message or a timer) with the time `now` and an entropy source, and returns the
/// effects for its driver to carry out: messages to send, timers to set, ledger entries to append, trace events.
/// It never reads a clock, the network or the disk, so the simulator and the live node run the same code.
public struct ProviderCore: Sendable {
    public let configuration: ProviderConfiguration
    public private(set) var sbus: SBUS
    public internal(set) var sco: SCO
    public let bbus: BBUS

    private var open: [OpenRequest.Key: OpenRequest] = [:]
    /// Requests this provider sent as a buyer: sub-request id → the buyer request and item it serves.
    private var outgoing: [RequestID: (key: OpenRequest.Key, itemID: String, seller: PartyID)] = [:]
    private var sequence = 0
    /// Quotes this provider gave, by its own reference: orders are checked and fulfilled against them.
    var quotes: [String: QuoteRecord] = [:]
    /// Orders this provider accepted or is deciding on.
    var orders: [OrderKey: OrderState] = [:]
    /// Orders this provider placed as a buyer: sub-order id → the order and element it serves.
    var subOrders: [RequestID: SubOrder] = [:]
    /// Changes to services this provider is carrying out, by the buyer's change order.
    var changes: [OrderKey: ChangeState] = [:]
    /// Services in operation (MEF inventory), by service id.
    public internal(set) var inventory: [String: ServiceRecord] = [:]

    public init(configuration: ProviderConfiguration) {
        self.configuration = configuration
        self.sbus = SBUS(party: configuration.party, configuration: configuration.sbus)
        self.sco = SCO(sof: SOF(catalog: configuration.catalog), ranking: configuration.ranking)
        self.bbus = BBUS(party: configuration.party, configuration: configuration.bbus)
    }

    public var party: PartyID { configuration.party }

    /// Number of buyer requests still being worked on.
    public var openRequestCount: Int { open.count }

    /// Handles one input at `now`; returns what the driver must do, in order.
    public mutating func handle(_ input: ProviderInput, now: Instant, entropy: inout some EntropySource) -> [Effect] {
        switch input {
        case .message(let from, .request(let request)):
            return receive(request, from: from, now: now, entropy: &entropy)
        case .message(let from, .response(let response)):
            return receiveAnswer(response, from: from, now: now)
        case .message(_, .acknowledgement):
            return []  // the seller's POQ id is on the ledger (its poq.receipt entry); the final answer follows
        case .message(let from, .hubRegistration(let input)):
            let subscription = sbus.register(input, buyer: from)
            let body: CanonicalBody = [
                "subscriptionId": .string(subscription.id), "callback": .string(subscription.callback),
                "query": subscription.query.map(CanonicalBody.string) ?? .null,
            ]
            return [.record(LedgerRecord(counterparty: from, kind: "hub.registered", refs: [:], body: body))]
        case .message(_, .notification):
            return []  // B-BUS does not register with its sellers; it waits for their final answers
        case .message(let from, .order(let order)):
            return receiveOrder(order, from: from, now: now)
        case .message(let from, .orderNotice(let notice)):
            return receiveNotice(notice, from: from, now: now)
        case .timer(let key) where key.purpose != "deadline":
            return orderTimer(key, now: now)
        case .timer(let key):
            let openKey = OpenRequest.Key(buyer: key.buyer, requestID: key.requestID)
            guard open[openKey] != nil else { return [] }
            return finish(openKey, now: now)
        }
    }

    /// The counter behind every id this core hands out (`METRO-poq-7`): a driver that restores a core from a
    /// journal raises it to what it was, so no id is ever handed out twice.
    public var idCounter: Int { sequence }

    /// Raises the id counter to at least `value` (never lowers it).
    public mutating func raiseIDCounter(to value: Int) { sequence = max(sequence, value) }

    mutating func nextID(_ kind: String) -> String {
        sequence += 1
        return "\(party.rawValue)-\(kind)-\(sequence)"
    }

    // MARK: - S-BUS: a buyer's request arrives

    private mutating func receive(
        _ request: SupplyRequest, from buyer: PartyID, now: Instant, entropy: inout some EntropySource
    ) -> [Effect] {
        let key = OpenRequest.Key(buyer: buyer, requestID: request.id)
        // The same request again while it is being worked on (a buyer retrying after a lost connection): the
        // answer to the first one answers it.
        guard open[key] == nil else { return [] }
        let sellerReference = nextID(request.kind == .poq ? "poq" : "quote")
        var effects: [Effect] = [
            .trace(.received(buyer: buyer, requestID: request.id, sellerReference: sellerReference)),
            // PDL-007: receipt recorded on the upstream ledger with this provider's unique id.
            .record(
                LedgerRecord(
                    counterparty: buyer, kind: "\(request.kind == .poq ? "poq" : "inquiry").receipt",
                    refs: refs(request, sellerReference: sellerReference),
                    body: [
                        "requestId": .string(request.id.rawValue), "sellerReference": .string(sellerReference),
                        "receivedAt": .string(now.description),
                    ])),
        ]
        let poq: ProductOfferingQualificationCreate
        switch sbus.admit(request) {
        case .invalid(let findings):
            let response = SupplyResponse(
                requestID: request.id, sellerReference: sellerReference, kind: request.kind, state: .rejected,
                items: [],
                findings: findings, reason: "invalid request: \(findings.count) finding(s)", answeredAt: now)
            effects.append(.trace(.refused(buyer: buyer, requestID: request.id, reason: "invalid request")))
            return effects + respond(response, to: buyer, request: request, poq: nil, deferred: false, now: now)
        case .loop:
            let items = itemIDs(of: request).map {
                ItemAnswer(itemID: $0, state: .rejected, reason: "loop: this provider is already upstream in the chain")
            }
            let response = SupplyResponse(
                requestID: request.id, sellerReference: sellerReference, kind: request.kind, state: .rejected,
                items: items, reason: "loop", answeredAt: now)
            effects.append(.trace(.refused(buyer: buyer, requestID: request.id, reason: "loop")))
            return effects + respond(response, to: buyer, request: request, poq: nil, deferred: false, now: now)
        case .accepted(let accepted):
            poq = accepted
        }

        let deferred = poq.instantSyncQualification != true
        if deferred {
            let acknowledged = SupplyResponse(
                requestID: request.id, sellerReference: sellerReference, kind: request.kind, state: .acknowledged,
                items: poq.productOfferingQualificationItem.map { ItemAnswer(itemID: $0.id, state: .acknowledged) },
                answeredAt: now)
            effects.append(.send(to: buyer, .acknowledgement(acknowledged)))
            effects += sbus.notifications(
                to: buyer, deferred: true, eventType: .poqStateChangeEvent, sellerReference: sellerReference,
                state: POQState.inProgress.rawValue, now: now)
            for item in poq.productOfferingQualificationItem {
                effects += sbus.notifications(
                    to: buyer, deferred: true, eventType: .poqItemStateChangeEvent, sellerReference: sellerReference,
                    itemID: item.id, state: POQItemState.inProgress.rawValue, now: now)
            }
        }

        let deadline = request.respondBy - configuration.sbus.processingTime
        var elements: [OpenRequest.Element] = []
        var timedOut = false
        for item in poq.productOfferingQualificationItem {
            let element = ServiceElement(item: item)
            // PDL-008/009/010: ask the SOF about every element and record its answer on the INT ledger.
            let answer = sco.sof.check(element, provideAlternative: poq.provideAlternative == true)
            effects.append(
                .record(
                    LedgerRecord(
                        counterparty: configuration.sofParty, kind: "sof.answer",
                        refs: refs(request, sellerReference: sellerReference).merging(["element": item.id]) { $1 },
                        body: answer.ledgerBody)))
            effects.append(
                .trace(
                    .sofAnswered(
                        requestID: request.id, itemID: item.id, deliverable: answer.deliverable, detail: answer.detail))
            )
            var state = OpenRequest.Element(item: item, element: element, sofAnswer: answer)
            if !sco.needsExternalSourcing(answer) {
                elements.append(state)
                continue
            }
            let window = deadline - now
            let choice = bbus.sellers(for: element, loopPreventionList: request.loopPreventionList, window: window)
            for skipped in choice.skipped {
                effects.append(
                    .trace(
                        .skippedSeller(
                            requestID: request.id, itemID: item.id, seller: skipped.seller,
                            reason: skipped.reason.description)))
            }
            if choice.eligible.isEmpty {
                let tooLate =
                    !answer.deliverable
                    && choice.skipped.contains {
                        if case .beyondResponseWindow = $0.reason { return true }
                        return false
                    }
                if tooLate {
                    timedOut = true
                    state.settled = ItemAnswer(
                        itemID: item.id, state: .unableToMeetTime,
                        reason: "no seller can answer within the requested completion date")
                }
                elements.append(state)
                continue
            }
            // PDL-011: at least one seller per element; every request recorded on that seller's ledger.
            for seller in choice.eligible {
                let subID = RequestID(nextID("rq"))
                let subRequest = bbus.request(
                    id: subID, kind: request.kind, itemID: item.id, original: request.payload,
                    loopPreventionList: request.loopPreventionList, respondBy: deadline, salt: entropy.bytes(16))
                outgoing[subID] = (key, item.id, seller)
                state.awaiting[subID] = seller
                effects.append(
                    .record(
                        LedgerRecord(
                            counterparty: seller, kind: "\(request.kind == .poq ? "poq" : "inquiry").request",
                            refs: ["request": subID.rawValue, "element": item.id], body: subRequest.ledgerBody)))
                effects.append(.send(to: seller, .request(subRequest)))
            }
            elements.append(state)
        }

        let openRequest = OpenRequest(
            key: key, request: request, poq: poq, sellerReference: sellerReference, deferred: deferred,
            deadline: deadline, elements: elements)
        open[key] = openRequest
        if timedOut { return effects + abandon(key, now: now) }
        if openRequest.isComplete { return effects + finish(key, now: now) }
        return effects + [.setTimer(TimerKey(buyer: buyer, requestID: request.id, purpose: "deadline"), at: deadline)]
    }

    // MARK: - B-BUS: a seller answers

    private mutating func receiveAnswer(_ response: SupplyResponse, from seller: PartyID, now: Instant) -> [Effect] {
        guard let route = outgoing.removeValue(forKey: response.requestID), route.seller == seller,
            var request = open[route.key],
            let index = request.elements.firstIndex(where: { $0.item.id == route.itemID })
        else {
            // A late answer (after this provider answered its buyer): it stays on the seller's ledger, unused.
            return []
        }
        request.elements[index].awaiting.removeValue(forKey: response.requestID)
        request.elements[index].candidates.append(bbus.candidate(from: response, seller: seller, itemID: route.itemID))
        open[route.key] = request
        return request.isComplete ? finish(route.key, now: now) : []
    }

    // MARK: - SCO: chain the answers, S-BUS: answer the buyer

    private mutating func finish(_ key: OpenRequest.Key, now: Instant) -> [Effect] {
        guard let request = open.removeValue(forKey: key) else { return [] }
        var effects: [Effect] = []
        var answers: [ItemAnswer] = []
        var sources: [String: [Candidate]] = [:]
        for element in request.elements {
            if let settled = element.settled {
                answers.append(settled)
                continue
            }
            var candidates = element.candidates
            for (subID, seller) in element.awaiting.sorted(by: { $0.key < $1.key }) {
                outgoing.removeValue(forKey: subID)
                candidates.append(bbus.silence(of: seller, requestID: subID))
            }
            switch sco.chain(internal: element.sofAnswer, external: candidates) {
            case .sourced(let best, let others):
                sources[element.item.id] = [best] + others.filter(\.offer.isDeliverable)
                let offer = best.offer
                let validUntil = min(offer.validUntil ?? .distantFuture, now + configuration.sbus.quoteValidity)
                let deliveryType = best.source == .internal ? offer.deliveryType : offer.deliveryType?.resold
                let priced = ElementOffer(
                    confidence: offer.confidence, confidenceReason: offer.confidenceReason,
                    installationInterval: offer.installationInterval, deliveryType: deliveryType,
                    price: offer.price.map { sbus.price(cost: $0, for: key.buyer) }, validUntil: validUntil)
                answers.append(ItemAnswer(itemID: element.item.id, state: .ready, offer: priced))
                switch best.source {
                case .internal:
                    effects.append(.trace(.sourcedInternally(requestID: key.requestID, itemID: element.item.id)))
                case .seller(let seller, let subID, _):
                    effects.append(
                        .trace(
                            .sourcedExternally(
                                requestID: key.requestID, itemID: element.item.id, seller: seller,
                                sellerRequestID: subID)))
                }
            case .unsourced(let reason, let alternates):
                let offered =
                    request.poq.provideAlternative == true
                    ? alternates.enumerated().map { index, pair in
                        AlternateOffer(
                            id: "alt-\(index + 1)", offering: pair.1.offering, bandwidthMbps: pair.1.bandwidthMbps,
                            price: pair.1.price.map { sbus.price(cost: $0, for: key.buyer) },
                            installationInterval: pair.1.installationInterval, confidence: pair.1.confidence)
                    } : []
                answers.append(
                    ItemAnswer(itemID: element.item.id, state: .ready, offer: .red(reason, alternates: offered)))
                effects.append(.trace(.unsourced(requestID: key.requestID, itemID: element.item.id, reason: reason)))
            }
        }
        let validUntil = answers.compactMap { $0.offer?.validUntil }.min()
        quotes[request.sellerReference] = QuoteRecord(
            buyer: key.buyer, reference: request.sellerReference, kind: request.request.kind,
            items: Dictionary(
                uniqueKeysWithValues: (request.request.payload["productOfferingQualificationItem"]?.arrayValue ?? [])
                    .compactMap { item in item["id"]?.stringValue.map { ($0, item) } }),
            answers: answers, sources: sources, validUntil: validUntil)
        let response = SupplyResponse(
            requestID: key.requestID, sellerReference: request.sellerReference, kind: request.request.kind,
            state: .ready, items: answers, validUntil: validUntil, answeredAt: now)
        return effects
            + respond(
                response, to: key.buyer, request: request.request, poq: request.poq, deferred: request.deferred,
                now: now)
    }

    /// MEF79-R103: an item cannot meet the time, so every item still in progress is ABANDONED and the POQ ends
    /// UNABLE_TO_MEET_TIME; requests already sent downstream are left to expire (their answers will be ignored).
    private mutating func abandon(_ key: OpenRequest.Key, now: Instant) -> [Effect] {
        guard let request = open.removeValue(forKey: key) else { return [] }
        var answers: [ItemAnswer] = []
        for element in request.elements {
            for subID in element.awaiting.keys { outgoing.removeValue(forKey: subID) }
            if let settled = element.settled {
                answers.append(settled)
            } else if !sco.needsExternalSourcing(element.sofAnswer) {
                let offer = element.sofAnswer.offer
                let priced = ElementOffer(
                    confidence: offer.confidence, confidenceReason: offer.confidenceReason,
                    installationInterval: offer.installationInterval, deliveryType: offer.deliveryType,
                    price: offer.price.map { sbus.price(cost: $0, for: key.buyer) },
                    validUntil: now + configuration.sbus.quoteValidity)
                answers.append(ItemAnswer(itemID: element.item.id, state: .ready, offer: priced))
            } else {
                answers.append(
                    ItemAnswer(
                        itemID: element.item.id, state: .abandoned,
                        reason: "abandoned: another item cannot meet the requested completion date"))
            }
        }
        let response = SupplyResponse(
            requestID: key.requestID, sellerReference: request.sellerReference, kind: request.request.kind,
            state: .unableToMeetTime, items: answers, reason: "unable to meet the requested completion date",
            answeredAt: now)
        return respond(
            response, to: key.buyer, request: request.request, poq: request.poq, deferred: request.deferred, now: now)
    }

    /// Records the answer on the upstream ledger (PDL-017), sends it, and notifies a registered deferred buyer.
    private func respond(
        _ response: SupplyResponse, to buyer: PartyID, request: SupplyRequest,
        poq: ProductOfferingQualificationCreate?, deferred: Bool, now: Instant
    ) -> [Effect] {
        let kind = request.kind == .poq ? "poq.response" : "quote.response"
        var effects: [Effect] = [
            .record(
                LedgerRecord(
                    counterparty: buyer, kind: kind, refs: refs(request, sellerReference: response.sellerReference),
                    body: sbus.ledgerBody(response, request: poq))),
            .send(to: buyer, .response(response)),
        ]
        effects += sbus.notifications(
            to: buyer, deferred: deferred, eventType: .poqStateChangeEvent, sellerReference: response.sellerReference,
            state: response.state.sonata.rawValue, now: now)
        for item in response.items {
            effects += sbus.notifications(
                to: buyer, deferred: deferred, eventType: .poqItemStateChangeEvent,
                sellerReference: response.sellerReference, itemID: item.itemID, state: item.state.sonata.rawValue,
                now: now)
        }
        effects.append(.trace(.answered(buyer: buyer, requestID: request.id, state: response.state)))
        return effects
    }

    private func refs(_ request: SupplyRequest, sellerReference: String) -> [String: String] {
        let key = request.kind == .poq ? "poq" : "quote"
        return ["request": request.id.rawValue, key: sellerReference]
    }

    private func itemIDs(of request: SupplyRequest) -> [String] {
        request.payload["productOfferingQualificationItem"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }
}

extension Instant {
    /// Later than any instant a scenario reaches.
    public static let distantFuture = Instant(milliseconds: .max / 2)
}

import CanonicalJSON
import Ledger
import SCO
import Sonata
import SupplyChain

/// Order, delivery, change and renewal (ETSI PDL "Order", "Service Delivery", "Service Change Management").
///
/// An order references a quote this provider gave and may not change it. Internal elements are reserved with the
/// SOF, external ones are ordered from the seller that quoted them; all accepted within the Order Acceptance Window
/// means Order Accepted, anything else Order Rejected with every reservation released and every downstream order
/// cancelled. Activation follows: the SOF activates its elements, sellers report theirs, the SCO chains and tests
/// the service. A failed element is re-sourced from the next-ranked quote while the window allows, or the order
/// is abandoned: SOF releases, every seller gets Order Cancelled, the buyer hears Order Failed.
extension ProviderCore {
    private var processing: TimeSpan { configuration.sbus.processingTime }

    // MARK: - Orders arriving from a buyer

    /// This provider's reference for a buyer's order or change while it is being worked on.
    public func orderReference(buyer: PartyID, orderID: RequestID) -> String? {
        let key = OrderKey(buyer: buyer, orderID: orderID)
        return orders[key]?.reference ?? changes[key]?.reference
    }

    /// The items of a quote this provider gave `buyer` (what an order against it must repeat), by item id.
    public func quotedItems(_ quoteReference: String, buyer: PartyID) -> [String: JSONValue]? {
        guard let quote = quotes[quoteReference], quote.buyer == buyer else { return nil }
        return quote.items
    }

    mutating func receiveOrder(_ order: OrderRequest, from buyer: PartyID, now: Instant) -> [Effect] {
        let key = OrderKey(buyer: buyer, orderID: order.id)
        guard orders[key] == nil else { return [] }  // delivered twice: the first one stands
        switch order.action {
        case .provide(let quoteReference, let items):
            return receiveProvide(order, key: key, quoteReference: quoteReference, items: items, now: now)
        case .change(let serviceID, let change):
            return receiveChange(order, key: key, serviceID: serviceID, change: change, now: now)
        case .renew(let serviceID, let term):
            return receiveRenewal(order, key: key, serviceID: serviceID, term: term, now: now)
        }
    }

    private mutating func receiveProvide(
        _ order: OrderRequest, key: OrderKey, quoteReference: String, items: [JSONValue], now: Instant
    ) -> [Effect] {
        let reference = nextID("order")
        func reject(_ reason: String) -> [Effect] {
            notice(to: key.buyer, order: order.id, reference: reference, .rejected(reason), now: now)
        }
        // PDL-020, PDL-023: a valid quote id, given to this buyer, still valid.
        guard let quote = quotes[quoteReference], quote.buyer == key.buyer else {
            return reject("PDL-023: \(quoteReference) is not a quote this provider gave \(key.buyer)")
        }
        guard quote.kind == .inquiry else {
            return reject("PDL-023: \(quoteReference) answered a POQ; order against a quote (an inquiry's answer)")
        }
        if let validUntil = quote.validUntil, now > validUntil {
            return reject("PDL-023: quote \(quoteReference) expired at \(validUntil)")
        }
        // PDL-021, PDL-022: the order may not change what was quoted; a change needs a new quote.
        let ordered = Dictionary(items.compactMap { item in item["id"]?.stringValue.map { ($0, item) } }) { first, _ in
            first
        }
        for (itemID, quoted) in quote.items.sorted(by: { $0.key < $1.key }) {
            guard let item = ordered[itemID] else {
                return reject("PDL-021: item \(itemID) of quote \(quoteReference) is missing from the order")
            }
            if let difference = quoted.firstDifference(from: item) {
                return reject(
                    "PDL-021: item \(itemID) differs from quote \(quoteReference) at \(difference); request a new quote (PDL-022)"
                )
            }
        }
        if let extra = ordered.keys.sorted().first(where: { quote.items[$0] == nil }) {
            return reject("PDL-021: item \(extra) was not quoted in \(quoteReference)")
        }
        var elements: [OrderElement] = []
        for answer in quote.answers {
            guard let sources = quote.sources[answer.itemID], let best = sources.first,
                let item = quote.items[answer.itemID]
            else {
                return reject("item \(answer.itemID) was quoted as not deliverable")
            }
            let element =
                (try? item.decode(ProductOfferingQualificationItemCreate.self)).map(ServiceElement.init(item:))
                ?? ServiceElement(itemID: answer.itemID, offering: "", place: nil, bandwidthMbps: nil)
            elements.append(
                OrderElement(
                    itemID: answer.itemID, item: item, element: element, source: best,
                    alternatives: Array(sources.dropFirst()), status: .awaitingAcceptance))
        }
        var state = OrderState(
            key: key, request: order, reference: reference, phase: .accepting, elements: elements,
            activateBy: order.activateBy)
        var effects: [Effect] = [
            .record(
                LedgerRecord(
                    counterparty: configuration.sofParty, kind: "order.decomposed",
                    refs: ["order": order.id.rawValue, "sellerOrder": reference, "quote": quoteReference],
                    body: ["elements": .array(elements.map { .string("\($0.itemID): \($0.source.source)") })]))
        ]
        // PDL-026..PDL-030: reserve internal elements, order external ones from the seller that quoted them.
        for index in state.elements.indices {
            let candidate = state.elements[index].source
            if candidate.source == .internal {
                let reservation = sco.sof.reserve(state.elements[index].element)
                effects.append(sofRecord("sof.reserve", state, index, ["answer": .string(reservation.detail)]))
                guard reservation.available else {
                    orders[key] = state
                    return effects + close(key, reason: "PDL-029: \(reservation.detail)", now: now)
                }
                state.elements[index].status = .accepted
            } else {
                effects += placeSubOrder(&state, index, acceptBy: order.acceptBy - processing, now: now)
            }
        }
        orders[key] = state
        if state.allAccepted { return effects + accept(key, now: now) }
        return effects + [.setTimer(timer(key, "accept"), at: order.acceptBy - processing)]
    }

    /// Orders an element from the seller of `state.elements[index].source` (PDL-030), on that seller's ledger.
    private mutating func placeSubOrder(
        _ state: inout OrderState, _ index: Int, acceptBy: Instant, now: Instant
    ) -> [Effect] {
        guard case .seller(let seller, _, let quoteReference) = state.elements[index].source.source else { return [] }
        let subID = RequestID(nextID("ord"))
        let subOrder = OrderRequest(
            id: subID, action: .provide(quoteReference: quoteReference, items: [state.elements[index].item]),
            acceptBy: max(acceptBy, now), activateBy: state.activateBy - processing, term: state.request.term)
        subOrders[subID] = SubOrder(order: state.key, itemID: state.elements[index].itemID, seller: seller)
        state.elements[index].subOrderID = subID
        state.elements[index].status = .awaitingAcceptance
        return [
            .record(
                LedgerRecord(
                    counterparty: seller, kind: "order.request",
                    refs: ["order": subID.rawValue, "quote": quoteReference, "element": state.elements[index].itemID],
                    body: subOrder.ledgerBody)),
            .send(to: seller, .order(subOrder)),
            .trace(
                .orderedFrom(
                    orderID: state.key.orderID, itemID: state.elements[index].itemID, seller: seller,
                    sellerOrderID: subID)),
        ]
    }

    /// PDL-032, PDL-035: every element accepted → Order Accepted; PDL-033: then activation starts.
    private mutating func accept(_ key: OrderKey, now: Instant) -> [Effect] {
        guard var state = orders[key], state.phase == .accepting else { return [] }
        state.phase = .activating
        var effects = notice(to: key.buyer, order: key.orderID, reference: state.reference, .accepted, now: now)
        for index in state.elements.indices where state.elements[index].source.source == .internal {
            effects += activateInternally(&state, index, now: now)
        }
        for index in state.elements.indices where state.elements[index].status == .accepted {
            state.elements[index].status = .activating
        }
        orders[key] = state
        return effects + [.setTimer(timer(key, "activation"), at: state.activateBy - processing)]
    }

    /// PDL-037, PDL-050: the SOF attempts activation within the element's window; the outcome comes at a timer.
    private mutating func activateInternally(_ state: inout OrderState, _ index: Int, now: Instant) -> [Effect] {
        let windowEnds = state.activateBy - processing
        let outcome = sco.sof.activation(of: state.elements[index].element)
        state.elements[index].status = .activating
        return [
            sofRecord("sof.activation_requested", state, index, ["windowEnds": .string(windowEnds.description)]),
            .setTimer(timer(state.key, "element|\(state.elements[index].itemID)"), at: now + outcome.takes),
            .trace(.deliveredInternally(orderID: state.key.orderID, itemID: state.elements[index].itemID)),
        ]
    }

    // MARK: - Timers

    mutating func orderTimer(_ key: TimerKey, now: Instant) -> [Effect] {
        let orderKey = OrderKey(buyer: key.buyer, orderID: key.requestID)
        if key.purpose.hasPrefix("term|") { return endOfTerm(serviceID: String(key.purpose.dropFirst(5)), now: now) }
        if key.purpose.hasPrefix("change|") { return completeChange(orderKey, now: now) }
        guard var state = orders[orderKey] else { return [] }
        switch key.purpose {
        case "accept":
            guard state.phase == .accepting else { return [] }
            return close(orderKey, reason: "PDL-034: not accepted within the Order Acceptance Window", now: now)
        case "activation":
            // A timer set for an earlier window (since extended), or an extension still being decided: not yet.
            guard state.phase == .activating, !state.allActive, now >= state.activateBy - processing,
                !state.extensionPending
            else { return [] }
            guard !state.extensionAsked else {
                return close(orderKey, reason: "not activated within the Order Activation Window", now: now)
            }
            return askForExtension(&state, until: now + slowestPending(state) + processing + processing, now: now)
        default:
            guard key.purpose.hasPrefix("element|") else { return [] }
            let itemID = String(key.purpose.dropFirst(8))
            guard state.phase == .activating,
                let index = state.elements.firstIndex(where: { $0.itemID == itemID && $0.status == .activating }),
                state.elements[index].source.source == .internal
            else { return [] }
            let outcome = sco.sof.activation(of: state.elements[index].element)
            guard outcome.succeeds else {
                let record = sofRecord("sof.activation_failed", state, index, ["detail": .string(outcome.detail)])
                return [record]
                    + elementFailed(orderKey, index, reason: "\(configuration.party): \(outcome.detail)", now: now)
            }
            state.elements[index].status = .active
            orders[orderKey] = state
            let record = sofRecord("sof.activated", state, index, [:])
            return [record] + (state.allActive ? complete(orderKey, now: now) : [])
        }
    }

    /// The longest installation interval among the elements not yet active: what an extension must cover.
    private func slowestPending(_ state: OrderState) -> TimeSpan {
        state.elements.filter { $0.status != .active }.map(\.source.offer.installationInterval).max() ?? .zero
    }

    /// Asks the buyer for more activation time, once (ETSI Service Delivery step 9); recorded on the upstream ledger.
    private mutating func askForExtension(_ state: inout OrderState, until: Instant, now: Instant) -> [Effect] {
        state.extensionAsked = true
        state.extensionPending = true
        orders[state.key] = state
        return notice(
            to: state.key.buyer, order: state.key.orderID, reference: state.reference,
            .extensionRequested(until: until),
            now: now)
    }

    // MARK: - Notices

    mutating func receiveNotice(_ notice: OrderNotice, from party: PartyID, now: Instant) -> [Effect] {
        if let sub = subOrders[notice.orderID], sub.seller == party {
            return noticeFromSeller(notice, sub: sub, now: now)
        }
        let key = OrderKey(buyer: party, orderID: notice.orderID)
        guard var state = orders[key] else { return [] }
        switch notice.event {
        case .cancelled(let reason):
            // PDL-056..PDL-058: the buyer abandons; release and cancel downstream, nothing more to tell the buyer.
            return close(key, reason: "cancelled by \(party): \(reason)", now: now, tellBuyer: false)
        case .windowChanged(let until):
            // PDL-059, PDL-060: the new window goes to the SOF and to every seller, on every ledger it touches.
            state.activateBy = until
            state.extensionPending = false
            orders[key] = state
            var effects: [Effect] = [
                .record(
                    LedgerRecord(
                        counterparty: configuration.sofParty, kind: "sof.window_changed",
                        refs: ["order": key.orderID.rawValue],
                        body: ["until": .string((until - processing).description)])),
                .setTimer(timer(key, "activation"), at: until - processing),
            ]
            for element in state.elements {
                guard let subID = element.subOrderID, let sub = subOrders[subID] else { continue }
                effects += noticeToSeller(sub.seller, subID, .windowChanged(until: until - processing), now: now)
            }
            return effects
        case .extensionRefused:
            return close(key, reason: "the buyer refused to extend the Order Activation Window", now: now)
        default:
            return []
        }
    }

    private mutating func noticeFromSeller(_ notice: OrderNotice, sub: SubOrder, now: Instant) -> [Effect] {
        if case .changeQuoted = notice.event { return changeAnswer(notice, sub: sub, now: now) }
        if case .changed = notice.event { return changeAnswer(notice, sub: sub, now: now) }
        if case .outageScheduled = notice.event { return changeAnswer(notice, sub: sub, now: now) }
        guard var state = orders[sub.order],
            let index = state.elements.firstIndex(where: { $0.itemID == sub.itemID && $0.subOrderID == notice.orderID })
        else { return [] }
        switch notice.event {
        case .accepted:
            state.elements[index].sellerOrderReference = notice.sellerOrderReference
            state.elements[index].status = state.phase == .accepting ? .accepted : .activating
            orders[sub.order] = state
            return state.phase == .accepting && state.allAccepted ? accept(sub.order, now: now) : []
        case .rejected(let reason):
            subOrders.removeValue(forKey: notice.orderID)
            state.elements[index].status = .failed
            orders[sub.order] = state
            if state.phase == .accepting {
                return close(
                    sub.order, reason: "PDL-029: \(sub.seller) rejected element \(sub.itemID): \(reason)", now: now)
            }
            return elementFailed(
                sub.order, index, reason: "\(sub.seller) rejected the re-sourced order: \(reason)", now: now)
        case .activated(let serviceID):
            state.elements[index].status = .active
            state.elements[index].sellerServiceID = serviceID
            orders[sub.order] = state
            return state.phase == .activating && state.allActive ? complete(sub.order, now: now) : []
        case .failed(let reason):
            subOrders.removeValue(forKey: notice.orderID)
            return elementFailed(sub.order, index, reason: reason, now: now)
        case .extensionRequested(let until):
            // Grant what fits in this provider's own window; beyond it, ask this provider's buyer first: its
            // answer (a window change) then goes down to every seller, this one included (PDL-059).
            if until <= state.activateBy - processing {
                return noticeToSeller(sub.seller, notice.orderID, .windowChanged(until: until), now: now)
            }
            guard !state.extensionAsked else {
                return noticeToSeller(sub.seller, notice.orderID, .extensionRefused, now: now)
            }
            return askForExtension(&state, until: until + processing, now: now)
        default:
            return []
        }
    }

    // MARK: - Failure, abandonment, completion

    /// PDL-053: an element failed; re-source it from the next-ranked quote that still fits the window, or abandon.
    private mutating func elementFailed(_ key: OrderKey, _ index: Int, reason: String, now: Instant) -> [Effect] {
        guard var state = orders[key] else { return [] }
        let failed = state.elements[index]
        var effects: [Effect] = []
        if failed.source.source == .internal {
            sco.sof.release(failed.element)
            effects.append(.trace(.released(orderID: key.orderID, itemIDs: [failed.itemID])))
        }
        let remaining = state.activateBy - processing - now
        while !state.elements[index].alternatives.isEmpty {
            let next = state.elements[index].alternatives.removeFirst()
            guard next.offer.installationInterval <= remaining else { continue }
            state.elements[index].source = next
            state.elements[index].sellerServiceID = nil
            effects.append(
                .record(
                    LedgerRecord(
                        counterparty: configuration.sofParty, kind: "sco.resourced",
                        refs: ["order": key.orderID.rawValue, "element": failed.itemID],
                        body: ["failed": .string(reason), "now": .string(next.source.description)])))
            if next.source == .internal {
                let reservation = sco.sof.reserve(failed.element)
                effects.append(sofRecord("sof.reserve", state, index, ["answer": .string(reservation.detail)]))
                guard reservation.available else { continue }
                effects += activateInternally(&state, index, now: now)
            } else {
                effects += placeSubOrder(&state, index, acceptBy: now + processing, now: now)
            }
            orders[key] = state
            return effects
        }
        orders[key] = state
        // Said once, by the provider where the failure happened; the providers above pass it on as it is.
        let explanation =
            reason.contains("no alternative fits")
            ? reason : "\(configuration.party): element \(failed.itemID) failed and no alternative fits: \(reason)"
        return effects + close(key, reason: explanation, now: now)
    }

    /// Ends an order that will not be delivered: releases the SOF's elements (PDL-057), cancels every seller's order
    /// and records it (PDL-058), and tells the buyer Order Rejected or Order Failed (PDL-034, PDL-054).
    private mutating func close(_ key: OrderKey, reason: String, now: Instant, tellBuyer: Bool = true) -> [Effect] {
        guard let state = orders.removeValue(forKey: key) else { return [] }
        var effects: [Effect] = []
        var released: [String] = []
        for (index, element) in state.elements.enumerated() {
            if element.source.source == .internal, element.status != .failed, element.status != .awaitingAcceptance {
                sco.sof.release(element.element)
                released.append(element.itemID)
                effects.append(sofRecord("sof.released", state, index, ["reason": .string(reason)]))
            }
            if let subID = element.subOrderID, let sub = subOrders.removeValue(forKey: subID), element.status != .failed
            {
                effects += noticeToSeller(sub.seller, subID, .cancelled(reason), now: now)
            }
        }
        if !released.isEmpty { effects.append(.trace(.released(orderID: key.orderID, itemIDs: released))) }
        guard tellBuyer else { return effects }
        let event: OrderEvent = state.phase == .accepting ? .rejected(reason) : .failed(reason)
        return effects + notice(to: key.buyer, order: key.orderID, reference: state.reference, event, now: now)
    }

    /// PDL-045..PDL-049: every element active → the SCO chains and tests the service; Order Activated upstream.
    private mutating func complete(_ key: OrderKey, now: Instant) -> [Effect] {
        if configuration.chainTestFails, let state = orders[key] {
            // PDL-048: the end-to-end test failed; the order fails, its elements are released and cancelled.
            let record = Effect.record(
                LedgerRecord(
                    counterparty: configuration.sofParty, kind: "sco.chain_tested",
                    refs: ["order": key.orderID.rawValue, "sellerOrder": state.reference], body: ["result": "FAIL"]))
            return [record] + close(key, reason: "PDL-048: the service chain test failed", now: now)
        }
        guard var state = orders.removeValue(forKey: key) else { return [] }
        state.phase = .activated
        let serviceID = nextID("svc")
        for element in state.elements {
            if let subID = element.subOrderID { subOrders.removeValue(forKey: subID) }
        }
        let elements = state.elements.map { element -> ServiceRecord.Element in
            var seller: PartyID?
            if case .seller(let party, _, _) = element.source.source { seller = party }
            return ServiceRecord.Element(
                itemID: element.itemID, seller: seller, sellerServiceID: element.sellerServiceID,
                element: element.element)
        }
        inventory[serviceID] = ServiceRecord(
            serviceID: serviceID, buyer: key.buyer, orderID: key.orderID, state: .active, elements: elements,
            terms: state.request.term.map { [$0] } ?? [], changes: [])
        var effects: [Effect] = [
            .record(
                LedgerRecord(
                    counterparty: configuration.sofParty, kind: "sco.chain_tested",
                    refs: ["order": key.orderID.rawValue, "service": serviceID],
                    body: [
                        "result": "PASS",
                        "chain": .array(elements.map { .string("\($0.itemID)@\($0.seller?.rawValue ?? "internal")") }),
                    ]))
        ]
        effects += notice(
            to: key.buyer, order: key.orderID, reference: state.reference, .activated(serviceID: serviceID), now: now)
        if let term = state.request.term {
            effects.append(
                .setTimer(
                    TimerKey(buyer: key.buyer, requestID: key.orderID, purpose: "term|\(serviceID)"), at: term.end))
        }
        return effects
    }

    // MARK: - Messages and records

    private func timer(_ key: OrderKey, _ purpose: String) -> TimerKey {
        TimerKey(buyer: key.buyer, requestID: key.orderID, purpose: purpose)
    }

    /// Records an order event on the upstream ledger and sends it to the buyer.
    func notice(to buyer: PartyID, order: RequestID, reference: String, _ event: OrderEvent, now: Instant) -> [Effect] {
        let notice = OrderNotice(orderID: order, sellerOrderReference: reference, event: event, at: now)
        return [
            .record(
                LedgerRecord(
                    counterparty: buyer, kind: event.ledgerKind,
                    refs: ["order": order.rawValue, "sellerOrder": reference], body: notice.ledgerBody)),
            .send(to: buyer, .orderNotice(notice)),
            .trace(.orderEvent(buyer: buyer, orderID: order, event)),
        ]
    }

    /// Records an event on a seller's ledger and sends it (cancellations, window changes).
    func noticeToSeller(_ seller: PartyID, _ subID: RequestID, _ event: OrderEvent, now: Instant) -> [Effect] {
        let notice = OrderNotice(orderID: subID, sellerOrderReference: "", event: event, at: now)
        return [
            .record(
                LedgerRecord(
                    counterparty: seller, kind: event.ledgerKind, refs: ["order": subID.rawValue],
                    body: notice.ledgerBody)),
            .send(to: seller, .orderNotice(notice)),
        ]
    }

    private func sofRecord(_ kind: String, _ state: OrderState, _ index: Int, _ extra: [String: JSONValue]) -> Effect {
        var body = extra
        body["offering"] = .string(state.elements[index].element.offering)
        return .record(
            LedgerRecord(
                counterparty: configuration.sofParty, kind: kind,
                refs: ["order": state.key.orderID.rawValue, "element": state.elements[index].itemID],
                body: .object(body)))
    }
}

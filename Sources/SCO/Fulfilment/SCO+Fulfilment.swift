import CanonicalJSON
import Ledger
import SupplyChain

/// Order fulfilment (ETSI PDL "Order", "Service Delivery"): internal elements are reserved with the SOF, external
/// ones ordered from the seller that quoted them; all accepted within the Order Acceptance Window means Order
/// Accepted, anything else Order Rejected. Activation follows: the SOF activates its elements, sellers report
/// theirs, and the chain test closes it (see `SCO+ChainTest.swift`).
extension SCO {
    mutating func fulfil(_ placement: OrderPlacement, now: Instant, ids: inout IDSequence) -> [RoleStep] {
        let key = placement.key
        let order = placement.order
        var state = Fulfilment(
            key: key, order: order, reference: placement.reference, phase: .accepting,
            elements: placement.elements.map { quoted in
                FulfilmentElement(
                    itemID: quoted.itemID, item: quoted.item, element: Self.ordered(quoted.element, quoted.sources[0]),
                    source: quoted.sources[0],
                    alternatives: Array(quoted.sources.dropFirst()), status: .awaitingAcceptance)
            }, activateBy: order.activateBy)
        // PDL-026: the order decomposed into its elements and where each comes from, on the INT ledger.
        var steps: [RoleStep] = [
            .effect(
                .record(
                    LedgerRecord(
                        counterparty: configuration.sofParty, kind: .orderDecomposed,
                        refs: [
                            "order": order.id.rawValue, "sellerOrder": placement.reference,
                            "quote": placement.quoteReference,
                        ],
                        body: [
                            "elements": .array(state.elements.map { .string("\($0.itemID): \($0.source.source)") })
                        ])))
        ]
        // PDL-027..PDL-030: reserve internal elements, order external ones from the seller that quoted them.
        for index in state.elements.indices {
            if state.elements[index].source.source == .internal {
                let reservation = sof.reserve(state.elements[index].element)
                steps.append(
                    effect: sofRecord(.sofReserve, state, index, ["answer": .string(reservation.detail)]))
                guard reservation.available else {
                    fulfilments[key] = state
                    return steps + close(key, reason: Rejection("PDL-029", reservation.detail).description, now: now)
                }
                state.elements[index].status = .accepted
            } else {
                steps += placeSubOrder(&state, index, acceptBy: order.acceptBy - processing)
            }
        }
        fulfilments[key] = state
        if state.allAccepted { return steps + accept(key, now: now) }
        return steps + [.effect(.setTimer(timer(key, .acceptanceWindow), at: order.acceptBy - processing))]
    }

    /// Has the B-BUS order an element from the seller of its current source (PDL-030).
    func placeSubOrder(_ state: inout Fulfilment, _ index: Int, acceptBy: Instant) -> [RoleStep] {
        guard case .seller(let seller, _, let quoteReference) = state.elements[index].source.source else { return [] }
        state.elements[index].status = .awaitingAcceptance
        let placement = SubOrderPlacement(
            order: state.key, itemID: state.elements[index].itemID, item: state.elements[index].item, seller: seller,
            quoteReference: quoteReference, acceptBy: acceptBy, activateBy: state.activateBy - processing,
            term: state.order.term, reporting: state.order.reporting?.forSeller(processing: processing),
            price: state.elements[index].source.offer.price)
        return [.message(.scoToBBUS(.placeSubOrder(placement)))]
    }

    /// The element as it is delivered: for an item quoted by product specification (Use Case 2b), the offering the
    /// quote chose under it, which the SOF reserves and the chain test expects.
    static func ordered(_ element: ServiceElement, _ source: Candidate) -> ServiceElement {
        guard element.specification != nil, let offering = source.offer.offering else { return element }
        return ServiceElement(
            itemID: element.itemID, offering: offering, place: element.place, bandwidthMbps: element.bandwidthMbps)
    }

    /// PDL-032, PDL-035: every element accepted → Order Accepted; PDL-033: then activation starts.
    mutating func accept(_ key: OrderKey, now: Instant) -> [RoleStep] {
        guard var state = fulfilments[key], state.phase == .accepting else { return [] }
        state.phase = .activating(.notAsked)
        var steps = [tellBuyer(key, reference: state.reference, .accepted)]
        for index in state.elements.indices where state.elements[index].source.source == .internal {
            steps += activateInternally(&state, index, now: now)
        }
        for index in state.elements.indices where state.elements[index].status == .accepted {
            state.elements[index].status = .activating
        }
        fulfilments[key] = state
        return steps + [.effect(.setTimer(timer(key, .activationWindow), at: state.activateBy - processing))]
    }

    /// PDL-037, PDL-050: the SOF attempts activation within the element's window; the outcome comes at a timer.
    func activateInternally(_ state: inout Fulfilment, _ index: Int, now: Instant) -> [RoleStep] {
        let windowEnds = state.activateBy - processing
        let outcome = sof.activation(of: state.elements[index].element)
        state.elements[index].status = .activating
        let itemID = state.elements[index].itemID
        return [
            .effect(sofRecord(.sofActivationRequested, state, index, ["windowEnds": .string(windowEnds.description)])),
            .effect(.setTimer(timer(state.key, .elementActivation(itemID: itemID)), at: now + outcome.takes)),
            .effect(.trace(.deliveredInternally(orderID: state.key.orderID, itemID: itemID))),
        ]
    }

    /// PDL-034: not every element accepted within the Order Acceptance Window.
    mutating func acceptanceWindowEnded(_ key: OrderKey, now: Instant) -> [RoleStep] {
        guard let state = fulfilments[key], state.phase == .accepting else { return [] }
        let rejection = Rejection("PDL-034", "not accepted within the Order Acceptance Window")
        return close(key, reason: rejection.description, now: now)
    }

    /// The Order Activation Window ends with elements still inactive: ask the buyer for more time once, then fail.
    mutating func activationWindowEnded(_ key: OrderKey, now: Instant) -> [RoleStep] {
        // A timer set for an earlier window (since extended), or an extension still being decided: not yet.
        guard var state = fulfilments[key], case .activating(let asked) = state.phase, asked != .pending,
            !state.allActive, now >= state.activateBy - processing
        else { return [] }
        guard asked == .notAsked else {
            return close(key, reason: "not activated within the Order Activation Window", now: now)
        }
        return askForExtension(&state, until: now + slowestPending(state) + processing + processing)
    }

    /// The SOF finished activating an element: active, or failed (PDL-050, PDL-053).
    mutating func elementActivated(_ key: OrderKey, itemID: String, now: Instant, ids: inout IDSequence) -> [RoleStep] {
        guard var state = fulfilments[key], case .activating = state.phase,
            let index = state.elements.firstIndex(where: { $0.itemID == itemID && $0.status == .activating }),
            state.elements[index].source.source == .internal
        else { return [] }
        let outcome = sof.activation(of: state.elements[index].element)
        guard outcome.succeeds else {
            let record = sofRecord(.sofActivationFailed, state, index, ["detail": .string(outcome.detail)])
            return [.effect(record)]
                + elementFailed(key, index, reason: "\(configuration.party): \(outcome.detail)", now: now)
        }
        let serviceID = "\(state.reference)/\(itemID)"
        let evidence = sof.evidence(of: state.elements[index].element, serviceID: serviceID)
        state.elements[index].status = .active(ActivationReport(serviceID: serviceID, evidence: evidence))
        fulfilments[key] = state
        let record = sofRecord(.sofActivated, state, index, [:])
        return [.effect(record)] + (state.allActive ? complete(key, now: now, ids: &ids) : [])
    }

    /// The longest installation interval among the elements not yet active: what an extension must cover.
    func slowestPending(_ state: Fulfilment) -> TimeSpan {
        state.elements.filter { !$0.isActive }.map(\.source.offer.installationInterval).max() ?? .zero
    }

    /// Asks the buyer for more activation time, once (ETSI Service Delivery step 9); recorded on the upstream ledger.
    mutating func askForExtension(_ state: inout Fulfilment, until: Instant) -> [RoleStep] {
        state.phase = .activating(.pending)
        fulfilments[state.key] = state
        return [tellBuyer(state.key, reference: state.reference, .extensionRequested(until: until))]
    }

    /// A record on the INT ledger about one element of an order.
    func sofRecord(_ kind: LedgerKind, _ state: Fulfilment, _ index: Int, _ extra: [String: JSONValue]) -> Effect {
        var body = extra
        body["offering"] = .string(state.elements[index].element.offering)
        return .record(
            LedgerRecord(
                counterparty: configuration.sofParty, kind: kind,
                refs: ["order": state.key.orderID.rawValue, "element": state.elements[index].itemID],
                body: .object(body)))
    }
}

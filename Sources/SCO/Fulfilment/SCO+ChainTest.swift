import CanonicalJSON
import Ledger
import SupplyChain

/// Completion (PDL-045..PDL-049): when every element is active the SCO chains them and tests the service end to end
/// from the evidence each element reported; a pass puts the service in the inventory and tells the buyer Order
/// Activated with the evidence of what it gets; a failure ends the order (PDL-048).
extension SCO {
    mutating func complete(_ key: OrderKey, now: Instant, ids: inout IDSequence) -> [RoleStep] {
        guard let state = fulfilments[key] else { return [] }
        let test = chainTest(state)
        let chain = JSONValue.array(
            state.elements.map { .string("\($0.itemID)@\($0.seller?.rawValue ?? "internal")") })
        guard test.passed, !configuration.chainTestFails else {
            // PDL-048: the end-to-end test failed; the order fails, its elements are released and cancelled.
            let injected = configuration.chainTestFails
            let record = Effect.record(
                LedgerRecord(
                    counterparty: configuration.sofParty, kind: .scoChainTested,
                    refs: ["order": key.orderID.rawValue, "sellerOrder": state.reference],
                    body: test.ledgerBody(result: "FAIL", extra: ["chain": chain, "injectedFault": .bool(injected)])))
            let reason =
                injected
                ? "PDL-048: the service chain test failed"
                : Rejection("PDL-048", "the service chain test failed: \(test.firstProblem ?? "")").description
            return [.effect(record)] + close(key, reason: reason, now: now)
        }
        fulfilments.removeValue(forKey: key)
        let serviceID = ids.next("svc")
        let elements = state.elements.map { element -> ServiceRecord.Element in
            var sellerServiceID: String?
            if element.seller != nil, case .active(let report) = element.status { sellerServiceID = report.serviceID }
            return ServiceRecord.Element(
                itemID: element.itemID, seller: element.seller, sellerServiceID: sellerServiceID,
                element: element.element)
        }
        for element in elements {
            guard let seller = element.seller, let sellerServiceID = element.sellerServiceID else { continue }
            sellerServices[SellerService(seller: seller, serviceID: sellerServiceID)] = ElementOfService(
                serviceID: serviceID, itemID: element.itemID)
        }
        inventory[serviceID] = ServiceRecord(
            serviceID: serviceID, buyer: key.buyer, orderID: key.orderID, state: .active, elements: elements,
            terms: state.order.term.map { [$0] } ?? [], changes: [],
            reporting: state.order.reporting.map { $0.within(term: state.order.term) }, activatedAt: now)
        var steps: [RoleStep] = [
            .message(.scoToBBUS(.forgetSubOrders(order: key, itemIDs: state.elements.map(\.itemID)))),
            .effect(
                .record(
                    LedgerRecord(
                        counterparty: configuration.sofParty, kind: .scoChainTested,
                        refs: ["order": key.orderID.rawValue, "service": serviceID],
                        body: test.ledgerBody(result: "PASS", extra: ["chain": chain])))),
        ]
        // What the buyer gets, element by element, for its own chain test.
        let evidence = state.elements.map { element in
            ActivationEvidence(
                itemID: element.itemID, serviceID: serviceID, offering: element.element.offering,
                place: element.element.place, bandwidthMbps: element.element.bandwidthMbps)
        }
        steps.append(tellBuyer(key, reference: state.reference, .activated(serviceID: serviceID), evidence: evidence))
        if let term = state.order.term {
            steps.append(effect: .setTimer(timer(key, .endOfTerm(serviceID: serviceID)), at: term.end))
        }
        if let reporting = inventory[serviceID]?.reporting {
            steps.append(
                effect: .setTimer(
                    timer(key, .reportInterval(serviceID: serviceID)), at: reporting.nextBoundary(after: now)))
        }
        return steps
    }

    /// The chain test of an order whose elements are all active.
    func chainTest(_ state: Fulfilment) -> ChainTest {
        ChainTest(
            elements: state.elements.map { element in
                var evidence: ActivationEvidence?
                if case .active(let report) = element.status { evidence = report.evidence }
                return ChainTest.OrderedElement(
                    element: element.element, evidence: evidence, handsOffTo: element.handsOffTo)
            })
    }
}

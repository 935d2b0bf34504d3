import CanonicalJSON
import Ledger
import SupplyChain

/// Fan-out and silence (ETSI Inquiry and Quote steps 4..6): every element the SCO cannot source alone is asked of
/// every eligible seller, each request recorded on that seller's ledger; the answers, or silence at the deadline,
/// go back to the SCO.
extension BBUS {
    mutating func source(
        _ sourcing: SourcingRequest, now: Instant, ids: inout IDSequence, entropy: inout some EntropySource
    ) -> [RoleStep] {
        let request = sourcing.request
        let key = request.key
        var fanOut = FanOut(items: [])
        var effects: [Effect] = []
        var unableToMeetTime: Set<String> = []
        let window = request.deadline - now
        for need in sourcing.needs {
            let element = need.element
            var item = FanOut.Item(itemID: element.itemID)
            var choice = sellers(for: element, loopPreventionList: request.loopPreventionList, window: window)
            // Use Case 2c: a CHANGE of a product bought from a seller is asked of that seller only.
            if let changing = need.changing { choice.eligible = choice.eligible.filter { $0 == changing.seller } }
            for skipped in choice.skipped {
                effects.append(
                    .trace(
                        .skippedSeller(
                            requestID: key.requestID, itemID: element.itemID, seller: skipped.seller,
                            reason: skipped.reason.description)))
            }
            if choice.eligible.isEmpty {
                let tooLate =
                    !need.deliverableInternally
                    && choice.skipped.contains {
                        if case .beyondResponseWindow = $0.reason { return true }
                        return false
                    }
                if tooLate { unableToMeetTime.insert(element.itemID) }
                fanOut.items.append(item)
                continue
            }
            // PDL-011: at least one seller per element; every request recorded on that seller's ledger.
            for seller in choice.eligible {
                let subID = RequestID(ids.next("rq"))
                let subRequest = self.request(
                    id: subID, kind: request.kind, itemID: element.itemID, original: request.payload,
                    loopPreventionList: request.loopPreventionList, respondBy: request.deadline,
                    salt: entropy.bytes(16), sellerProductID: need.changing?.sellerProductID,
                    relatedProducts: need.relatedProducts.compactMapValues { $0[seller] })
                outgoing[subID] = OutgoingRequest(key: key, itemID: element.itemID, seller: seller)
                item.awaiting[subID] = seller
                effects.append(
                    .record(
                        LedgerRecord(
                            counterparty: seller, kind: .request(request.kind),
                            refs: ["request": subID.rawValue, "element": element.itemID],
                            body: subRequest.ledgerBody)))
                effects.append(.send(to: seller, .request(subRequest)))
            }
            fanOut.items.append(item)
        }
        var steps = effects.map(RoleStep.effect)
        if !unableToMeetTime.isEmpty {
            // Requests already sent are left to expire; their answers will be ignored.
            for item in fanOut.items { for subID in item.awaiting.keys { outgoing.removeValue(forKey: subID) } }
            steps.append(.message(.bbusToSCO(.unableToMeetTime(key: key, itemIDs: unableToMeetTime))))
        } else if fanOut.isComplete {
            steps.append(.message(.bbusToSCO(.answered(key: key, candidates: fanOut.candidates))))
        } else {
            fanOuts[key] = fanOut
            steps.append(
                .effect(
                    .setTimer(
                        TimerKey(buyer: key.buyer, requestID: key.requestID, purpose: .bbus(.responseDeadline)),
                        at: request.deadline)))
        }
        return steps
    }

    /// A seller answers a request this provider sent.
    public mutating func receive(_ response: SupplyResponse, from seller: PartyID) -> [RoleStep] {
        guard let route = outgoing.removeValue(forKey: response.requestID), route.seller == seller,
            var fanOut = fanOuts[route.key],
            let index = fanOut.items.firstIndex(where: { $0.itemID == route.itemID })
        else {
            // A late answer (after this provider answered its buyer): it stays on the seller's ledger, unused.
            return []
        }
        fanOut.items[index].awaiting.removeValue(forKey: response.requestID)
        fanOut.items[index].candidates.append(candidate(from: response, seller: seller, itemID: route.itemID))
        guard fanOut.isComplete else {
            fanOuts[route.key] = fanOut
            return []
        }
        fanOuts.removeValue(forKey: route.key)
        return [.message(.bbusToSCO(.answered(key: route.key, candidates: fanOut.candidates)))]
    }

    /// One of the B-BUS's timers fired.
    public mutating func fire(_ timer: BBUSTimer, key: RequestKey) -> [RoleStep] {
        switch timer {
        case .paymentDue:
            return []  // needs the time: `fire(_:key:now:)`
        case .responseDeadline:
            // Silence past the window counts as "unable" (ETSI Inquiry and Quote step 6).
            guard var fanOut = fanOuts.removeValue(forKey: key) else { return [] }
            for index in fanOut.items.indices {
                for (subID, seller) in fanOut.items[index].awaiting.sorted(by: { $0.key < $1.key }) {
                    outgoing.removeValue(forKey: subID)
                    fanOut.items[index].candidates.append(silence(of: seller, requestID: subID))
                }
                fanOut.items[index].awaiting = [:]
            }
            return [.message(.bbusToSCO(.answered(key: key, candidates: fanOut.candidates)))]
        }
    }
}

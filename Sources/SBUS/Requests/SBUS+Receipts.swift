import CanonicalJSON
import Ledger
import Sonata
import SupplyChain

/// Receipts and answers: a buyer's request is recorded with this provider's own id (PDL-007), admitted or refused,
/// handed to the SCO, and answered with markup and the buyer's discount once the SCO chained it (PDL-014..PDL-018).
extension SBUS {
    /// A buyer's POQ or inquiry arrives.
    public mutating func receive(
        _ request: SupplyRequest, from buyer: PartyID, now: Instant, ids: inout IDSequence
    ) -> [RoleStep] {
        let key = RequestKey(buyer: buyer, requestID: request.id)
        // The same request again while it is being worked on (a buyer retrying after a lost connection): the
        // answer to the first one answers it.
        guard receipts[key] == nil else { return [] }
        let sellerReference = ids.next(request.kind == .poq ? "poq" : "quote")
        var effects: [Effect] = [
            .trace(.received(buyer: buyer, requestID: request.id, sellerReference: sellerReference)),
            // PDL-007: receipt recorded on the upstream ledger with this provider's unique id.
            .record(
                LedgerRecord(
                    counterparty: buyer, kind: .receipt(request.kind),
                    refs: refs(request, sellerReference: sellerReference),
                    body: [
                        "requestId": .string(request.id.rawValue), "sellerReference": .string(sellerReference),
                        "receivedAt": .string(now.description),
                    ])),
        ]
        let poq: ProductOfferingQualificationCreate
        switch admit(request) {
        case .invalid(let findings):
            let response = SupplyResponse(
                requestID: request.id, sellerReference: sellerReference, kind: request.kind, state: .rejected,
                items: [], findings: findings, reason: "invalid request: \(findings.count) finding(s)",
                answeredAt: now)
            effects.append(.trace(.refused(buyer: buyer, requestID: request.id, reason: "invalid request")))
            effects += respond(response, to: buyer, request: request, poq: nil, deferred: false, now: now)
            return effects.map(RoleStep.effect)
        case .loop:
            let items = itemIDs(of: request).map {
                ItemAnswer(itemID: $0, state: .rejected, reason: "loop: this provider is already upstream in the chain")
            }
            let response = SupplyResponse(
                requestID: request.id, sellerReference: sellerReference, kind: request.kind, state: .rejected,
                items: items, reason: "loop", answeredAt: now)
            effects.append(.trace(.refused(buyer: buyer, requestID: request.id, reason: "loop")))
            effects += respond(response, to: buyer, request: request, poq: nil, deferred: false, now: now)
            return effects.map(RoleStep.effect)
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
        }
        receipts[key] = Receipt(request: request, poq: poq, sellerReference: sellerReference, deferred: deferred)
        let qualification = QualificationRequest(
            key: key, kind: request.kind, sellerReference: sellerReference, poq: poq, payload: request.payload,
            loopPreventionList: request.loopPreventionList,
            deadline: request.respondBy - configuration.processingTime)
        return effects.map(RoleStep.effect) + [.message(.sbusToSCO(.qualify(qualification)))]
    }

    /// The SCO's business validation passed for these items: a registered buyer of a deferred POQ hears that they,
    /// and the POQ when every item passed, are IN_PROGRESS (Figures 2 and 3: an item or POQ that fails it moves from
    /// ACKNOWLEDGED to REJECTED without passing IN_PROGRESS).
    mutating func inProgress(_ key: RequestKey, itemIDs: [String], complete: Bool, now: Instant) -> [Effect] {
        receipts[key]?.itemsInProgress = itemIDs
        receipts[key]?.inProgress = complete
        guard let receipt = receipts[key], receipt.deferred else { return [] }
        var effects: [Effect] = []
        if complete {
            effects += notifications(
                to: key.buyer, deferred: true, eventType: .poqStateChangeEvent,
                sellerReference: receipt.sellerReference,
                state: POQState.inProgress.rawValue, now: now)
        }
        for itemID in itemIDs {
            effects += notifications(
                to: key.buyer, deferred: true, eventType: .poqItemStateChangeEvent,
                sellerReference: receipt.sellerReference, itemID: itemID, state: POQItemState.inProgress.rawValue,
                now: now)
        }
        return effects
    }

    /// A deferred POQ's acknowledgement as it stands now (Figure 2, Table 29): once the SCO's business validation
    /// has passed, the items being worked on are IN_PROGRESS, and the POQ too when every item passed; the others
    /// stay ACKNOWLEDGED until the answer. What a buyer reads back while the POQ is worked on (R99).
    public func current(_ acknowledgement: SupplyResponse, buyer: PartyID) -> SupplyResponse {
        let key = RequestKey(buyer: buyer, requestID: acknowledgement.requestID)
        guard acknowledgement.state == .acknowledged, let receipt = receipts[key],
            receipt.sellerReference == acknowledgement.sellerReference, let working = receipt.itemsInProgress
        else { return acknowledgement }
        let items = acknowledgement.items.map { item in
            working.contains(item.itemID) ? ItemAnswer(itemID: item.itemID, state: .inProgress) : item
        }
        return SupplyResponse(
            requestID: acknowledgement.requestID, sellerReference: acknowledgement.sellerReference,
            kind: acknowledgement.kind, state: receipt.inProgress ? .inProgress : .acknowledged, items: items,
            answeredAt: acknowledgement.answeredAt)
    }

    /// The SCO chained every element: price each item for the buyer, keep the quote, answer (PDL-014..PDL-018).
    mutating func answer(_ key: RequestKey, outcomes: [ElementOutcome], now: Instant) -> [RoleStep] {
        guard let receipt = receipts.removeValue(forKey: key) else { return [] }
        var answers: [ItemAnswer] = []
        var sources: [String: [Candidate]] = [:]
        for outcome in outcomes {
            switch outcome {
            case .sourced(let itemID, let best, let others):
                sources[itemID] = [best] + others.filter(\.offer.isDeliverable)
                let offer = best.offer
                let priced = self.priced(
                    offer, for: key.buyer, deliveryType: Self.deliveryType(offer.deliveryType, from: best.source),
                    validUntil: heldUntil(offer.validUntil, now: now))
                answers.append(ItemAnswer(itemID: itemID, state: .ready, offer: priced))
            case .unsourced(let itemID, let reason, let alternates):
                let offered =
                    receipt.poq.provideAlternative == true
                    ? alternates.enumerated().map { index, alternate in
                        AlternateOffer(
                            id: "alt-\(index + 1)", offering: alternate.offer.offering,
                            bandwidthMbps: alternate.offer.bandwidthMbps,
                            price: alternate.offer.price.map { price(cost: $0, for: key.buyer) },
                            installationInterval: alternate.offer.installationInterval,
                            confidence: alternate.offer.confidence,
                            deliveryType: Self.deliveryType(alternate.offer.deliveryType, from: alternate.source),
                            validUntil: heldUntil(alternate.offer.validUntil, now: now))
                    } : []
                answers.append(ItemAnswer(itemID: itemID, state: .ready, offer: .red(reason, alternates: offered)))
            case .internalOffer, .unableToMeetTime, .abandoned, .rejected:
                answers.append(itemAnswer(outcome, buyer: key.buyer, now: now))
            }
        }
        // R18–R21: an item refused against its offering's specification makes the POQ REJECTED (Table 29: one or
        // more REJECTED items, the others READY), with every finding.
        let findings = outcomes.flatMap { outcome -> [ValidationFinding] in
            if case .rejected(_, let findings) = outcome { return findings }
            return []
        }
        let validUntil = answers.compactMap { $0.offer?.validUntil }.min()
        file(
            QuoteRecord(
                buyer: key.buyer, requestID: key.requestID, reference: receipt.sellerReference,
                kind: receipt.request.kind,
                items: Dictionary(
                    uniqueKeysWithValues: (receipt.request.payload["productOfferingQualificationItem"]?.arrayValue ?? [])
                        .compactMap { item in item["id"]?.stringValue.map { ($0, item) } }),
                answers: answers, sources: sources, validUntil: validUntil), now: now)
        let response = SupplyResponse(
            requestID: key.requestID, sellerReference: receipt.sellerReference, kind: receipt.request.kind,
            state: findings.isEmpty ? .ready : .rejected, items: answers, findings: findings, validUntil: validUntil,
            answeredAt: now)
        return respond(
            response, to: key.buyer, request: receipt.request, poq: receipt.poq, deferred: receipt.deferred, now: now
        ).map(RoleStep.effect)
    }

    /// MEF79-R103: an item cannot meet the time, so every item still in progress is ABANDONED and the POQ ends
    /// UNABLE_TO_MEET_TIME; what the SOF delivers alone is still offered.
    mutating func answerUnableToMeetTime(_ key: RequestKey, outcomes: [ElementOutcome], now: Instant) -> [RoleStep] {
        guard let receipt = receipts.removeValue(forKey: key) else { return [] }
        let response = SupplyResponse(
            requestID: key.requestID, sellerReference: receipt.sellerReference, kind: receipt.request.kind,
            state: .unableToMeetTime, items: outcomes.map { itemAnswer($0, buyer: key.buyer, now: now) },
            reason: "unable to meet the requested completion date", answeredAt: now)
        return respond(
            response, to: key.buyer, request: receipt.request, poq: receipt.poq, deferred: receipt.deferred, now: now
        ).map(RoleStep.effect)
    }

    /// The answer for an item of an abandoned request.
    private func itemAnswer(_ outcome: ElementOutcome, buyer: PartyID, now: Instant) -> ItemAnswer {
        switch outcome {
        case .internalOffer(let itemID, let offer):
            let priced = self.priced(
                offer, for: buyer, deliveryType: offer.deliveryType, validUntil: now + configuration.quoteValidity)
            return ItemAnswer(itemID: itemID, state: .ready, offer: priced)
        case .unableToMeetTime(let itemID):
            return ItemAnswer(
                itemID: itemID, state: .unableToMeetTime,
                reason: "no seller can answer within the requested completion date")
        case .rejected(let itemID, let findings):
            return ItemAnswer(
                itemID: itemID, state: .rejected, reason: findings.map(\.description).joined(separator: "; "))
        case .abandoned(let itemID), .sourced(let itemID, _, _), .unsourced(let itemID, _, _):
            return ItemAnswer(
                itemID: itemID, state: .abandoned,
                reason: "abandoned: another item cannot meet the requested completion date")
        }
    }

    /// How the buyer's element is delivered when `source` delivers it as `deliveryType`: as is from the SOF, resold
    /// (OFF_NET) from a seller.
    private static func deliveryType(_ deliveryType: DeliveryType?, from source: Source) -> DeliveryType? {
        source == .internal ? deliveryType : deliveryType?.resold
    }

    /// Until when this provider holds what a source holds until `theirs` (nil: no limit of its own): never beyond
    /// the source, nor beyond this provider's quote validity from `now`.
    private func heldUntil(_ theirs: Instant?, now: Instant) -> Instant {
        min(theirs ?? .distantFuture, now + configuration.quoteValidity)
    }

    /// An offer at cost as the buyer gets it: priced with markup and discount (PDL-015), valid until `validUntil`.
    private func priced(
        _ offer: ElementOffer, for buyer: PartyID, deliveryType: DeliveryType?, validUntil: Instant
    ) -> ElementOffer {
        ElementOffer(
            confidence: offer.confidence, confidenceReason: offer.confidenceReason,
            installationInterval: offer.installationInterval, deliveryType: deliveryType,
            price: offer.price.map { price(cost: $0, for: buyer) }, validUntil: validUntil, offering: offer.offering)
    }

    /// Records the answer on the upstream ledger (PDL-017), sends it, and notifies a registered deferred buyer.
    private func respond(
        _ response: SupplyResponse, to buyer: PartyID, request: SupplyRequest,
        poq: ProductOfferingQualificationCreate?, deferred: Bool, now: Instant
    ) -> [Effect] {
        var effects: [Effect] = [
            .record(
                LedgerRecord(
                    counterparty: buyer, kind: .response(request.kind),
                    refs: refs(request, sellerReference: response.sellerReference),
                    body: ledgerBody(response, request: poq))),
            .send(to: buyer, .response(response)),
        ]
        effects += notifications(
            to: buyer, deferred: deferred, eventType: .poqStateChangeEvent, sellerReference: response.sellerReference,
            state: response.state.sonata.rawValue, now: now)
        for item in response.items {
            effects += notifications(
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

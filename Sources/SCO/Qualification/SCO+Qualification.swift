import Ledger
import Sonata
import SupplyChain

/// Inquiry and quote (ETSI PDL steps 3..7): the SCO decomposes a request into elements, asks its SOF about each
/// and records every answer on the INT ledger (PDL-008..PDL-010), hands the rest to the B-BUS, then ranks and
/// chains the answers (PDL-013) for the S-BUS to price.
extension SCO {
    mutating func qualify(_ request: QualificationRequest, now: Instant) -> [RoleStep] {
        var steps: [RoleStep] = []
        var needs: [SourcingNeed] = []
        var elements: [Qualification.Element] = []
        for (index, element) in decompose(request.poq).enumerated() {
            let item = request.poq.productOfferingQualificationItem[index]
            let itemPath = JSONPointer.appending("/productOfferingQualificationItem", index)
            // Business validation: an item whose CHANGE names no product of this buyer's (Use Case 2c, R49, R50) or
            // that breaks its offering's place rules (R18–R21) is REJECTED with the findings; neither the SOF nor the
            // sellers are asked about it.
            var changed: ServiceRecord.Element?
            var findings: [ValidationFinding] = []
            if item.action == .modify {
                switch changeTarget(of: item, element: element, buyer: request.key.buyer, itemPath: itemPath) {
                case .found(let target): changed = target
                case .refused(let finding): findings.append(finding)
                }
            }
            findings += sof.placePolicy(for: element)?.findings(places: item.product.place, itemPath: itemPath) ?? []
            guard findings.isEmpty else {
                let reason = findings.map(\.description).joined(separator: "; ")
                elements.append(
                    Qualification.Element(
                        itemID: element.itemID,
                        sofAnswer: SOFAnswer(
                            itemID: element.itemID, deliverable: false, offer: .red(reason), detail: "NO: \(reason)"),
                        findings: findings))
                continue
            }
            // A CHANGE of a product bought from a seller is that seller's to qualify: the SOF is not asked.
            if let changed, let seller = changed.seller, let sellerProductID = changed.sellerServiceID {
                let reason = "\(element.itemID) changes a product delivered by \(seller)"
                elements.append(
                    Qualification.Element(
                        itemID: element.itemID,
                        sofAnswer: SOFAnswer(
                            itemID: element.itemID, deliverable: false, offer: .red(reason), detail: "NO: \(reason)")))
                needs.append(
                    SourcingNeed(
                        element: element, deliverableInternally: false,
                        changing: ChangedProduct(seller: seller, sellerProductID: sellerProductID),
                        relatedProducts: relatedProducts(of: item, buyer: request.key.buyer)))
                continue
            }
            // PDL-008/009/010: ask the SOF about every element and record its answer on the INT ledger.
            let answer = sof.check(element, provideAlternative: request.poq.provideAlternative == true)
            steps.append(
                effect: .record(
                    LedgerRecord(
                        counterparty: configuration.sofParty, kind: .sofAnswer,
                        refs: request.refs.merging(["element": element.itemID]) { $1 }, body: answer.ledgerBody)))
            steps.append(
                effect: .trace(
                    .sofAnswered(
                        requestID: request.key.requestID, itemID: element.itemID, deliverable: answer.deliverable,
                        detail: answer.detail)))
            elements.append(Qualification.Element(itemID: element.itemID, sofAnswer: answer))
            // A CHANGE of a product the SOF delivers is the SOF's alone to answer.
            if changed == nil, needsExternalSourcing(answer) {
                needs.append(
                    SourcingNeed(
                        element: element, deliverableInternally: answer.deliverable,
                        relatedProducts: relatedProducts(of: item, buyer: request.key.buyer)))
            }
        }
        qualifications[request.key] = Qualification(key: request.key, elements: elements)
        // Business validation done: the items that passed it are being worked on.
        let working = elements.filter(\.findings.isEmpty).map(\.itemID)
        steps.append(
            .message(
                .scoToSBUS(.inProgress(key: request.key, itemIDs: working, complete: working.count == elements.count))))
        guard !needs.isEmpty else { return steps + chainAnswers(request.key, candidates: [:]) }
        return steps + [.message(.scoToBBUS(.source(SourcingRequest(request: request, needs: needs))))]
    }

    /// Every answer is in: rank and chain each element's candidates (PDL-013).
    mutating func chainAnswers(_ key: RequestKey, candidates: [String: [Candidate]]) -> [RoleStep] {
        guard let qualification = qualifications.removeValue(forKey: key) else { return [] }
        var steps: [RoleStep] = []
        var outcomes: [ElementOutcome] = []
        for element in qualification.elements {
            if !element.findings.isEmpty {
                outcomes.append(.rejected(itemID: element.itemID, findings: element.findings))
                steps.append(
                    effect: .trace(
                        .unsourced(
                            requestID: key.requestID, itemID: element.itemID,
                            reason: element.findings.map(\.description).joined(separator: "; "))))
                continue
            }
            switch chain(internal: element.sofAnswer, external: candidates[element.itemID] ?? []) {
            case .sourced(let best, let others):
                outcomes.append(.sourced(itemID: element.itemID, best: best, others: others))
                switch best.source {
                case .internal:
                    steps.append(effect: .trace(.sourcedInternally(requestID: key.requestID, itemID: element.itemID)))
                case .seller(let seller, let subID, _):
                    steps.append(
                        effect: .trace(
                            .sourcedExternally(
                                requestID: key.requestID, itemID: element.itemID, seller: seller,
                                sellerRequestID: subID)))
                }
            case .unsourced(let reason, let alternates):
                outcomes.append(.unsourced(itemID: element.itemID, reason: reason, alternates: alternates))
                steps.append(
                    effect: .trace(.unsourced(requestID: key.requestID, itemID: element.itemID, reason: reason)))
            }
        }
        return steps + [.message(.scoToSBUS(.qualified(key: key, outcomes: outcomes)))]
    }

    /// MEF79-R103: some item cannot meet the time; what the SOF delivers alone is still offered, the rest is
    /// abandoned.
    mutating func abandonQualification(_ key: RequestKey, unableToMeetTime itemIDs: Set<String>) -> [RoleStep] {
        guard let qualification = qualifications.removeValue(forKey: key) else { return [] }
        let outcomes = qualification.elements.map { element -> ElementOutcome in
            if !element.findings.isEmpty { return .rejected(itemID: element.itemID, findings: element.findings) }
            if itemIDs.contains(element.itemID) { return .unableToMeetTime(itemID: element.itemID) }
            if !needsExternalSourcing(element.sofAnswer) {
                return .internalOffer(itemID: element.itemID, element.sofAnswer.offer)
            }
            return .abandoned(itemID: element.itemID)
        }
        return [.message(.scoToSBUS(.unableToMeetTime(key: key, outcomes: outcomes)))]
    }
}

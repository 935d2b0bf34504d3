import CanonicalJSON
import Sonata
import SupplyChain

extension SBUS {
    /// The answer as a MEF Sonata v7 `ProductOfferingQualification`, echoing the request (MEF79-R34, R37).
    ///
    /// States map through `MEF79POQState.sonata` / `MEF79ItemState.sonata`, the one place where MEF 79.1 and
    /// Sonata v7 names meet. With `createdAt` (when the request was received: the POQ Create Date, MEF79-R33,
    /// MEF79-R85), the answer carries its `stateChange` history along Figure 2: its first entry's date is the
    /// create date.
    public func sonataPOQ(
        _ response: SupplyResponse, request: ProductOfferingQualificationCreate?, createdAt: Instant? = nil
    ) -> ProductOfferingQualification {
        let requested = request?.productOfferingQualificationItem ?? []
        let items = response.items.map { answer -> ProductOfferingQualificationItem in
            let original = requested.first { $0.id == answer.itemID }
            let ready = answer.state == .ready
            let offer = ready ? answer.offer : nil
            let alternates = offer?.alternates.compactMap { alternate -> AlternateProductOfferingProposal? in
                // v7's alternate has no Delivery Type or Guaranteed Until (MEF 79.1 Table 17, R46, D4): they travel
                // in the alternate product's configuration, beside its bandwidth.
                var configuration: [String: JSONValue] = ["@type": "urn:scbroker:alternate:v1"]
                if let bandwidth = alternate.bandwidthMbps {
                    configuration["bandwidthMbps"] = .number(Double(bandwidth))
                }
                if let deliveryType = alternate.deliveryType {
                    configuration["deliveryType"] = .string(deliveryType.rawValue)
                }
                if let validUntil = alternate.validUntil {
                    configuration["guaranteedUntilDate"] = .string(MEFDateTime(validUntil.date).text)
                }
                return AlternateProductOfferingProposal(
                    id: alternate.id,
                    installationInterval: Duration(
                        amount: alternate.installationInterval.wholeDaysRoundedUp, units: .calendarDays),
                    alternateProduct: MEFAlternateProduct(
                        productOffering: ProductOfferingRef(id: alternate.offering),
                        productConfiguration: .object(configuration)))
            }
            let interval = offer.flatMap { offer in
                offer.confidence == .red
                    ? nil : Duration(amount: offer.installationInterval.wholeDaysRoundedUp, units: .calendarDays)
            }
            var terminationError: [TerminationError]?
            if answer.state == .unableToMeetTime {
                terminationError = [
                    TerminationError(code: "otherIssue", value: MEF79ItemState.unableToMeetTimeMarker)
                ]
            } else if answer.state == .rejected {
                terminationError = [TerminationError(code: "otherIssue", value: answer.reason)]
            }
            return ProductOfferingQualificationItem(
                id: answer.itemID, action: original?.action ?? .add,
                product: Self.product(original?.product ?? MEFProductRefOrValue(), offering: offer?.offering),
                qualificationItemRelationship: original?.qualificationItemRelationship,
                relatedContactInformation: original?.relatedContactInformation, state: answer.state.sonata,
                serviceabilityConfidence: offer?.confidence,
                serviceabilityConfidenceReason: offer.map(Self.confidenceReason),
                installationInterval: interval,
                guaranteedUntilDate: offer?.validUntil.map { MEFDateTime($0.date) },
                alternateProductOfferingProposal: (alternates?.isEmpty ?? true) ? nil : alternates,
                terminationError: terminationError)
        }
        return ProductOfferingQualification(
            id: response.sellerReference,
            href:
                "/mefApi/sonata/productOfferingQualification/v7/productOfferingQualification/\(response.sellerReference)",
            state: response.state.sonata, instantSyncQualification: request?.instantSyncQualification,
            provideAlternative: request?.provideAlternative,
            requestedPOQCompletionDate: request?.requestedPOQCompletionDate,
            effectiveQualificationDate: response.state.isFinal ? MEFDateTime(response.answeredAt.date) : nil,
            externalId: request?.externalId, projectId: request?.projectId,
            relatedContactInformation: (request?.relatedContactInformation ?? []) + [configuration.sellerContact],
            stateChange: createdAt.map { created in
                Self.history(
                    of: response, immediate: request?.instantSyncQualification == true, createdAt: created)
            },
            productOfferingQualificationItem: items)
    }

    /// The confidence reason as a plain Sonata v7 buyer reads it. v7 has no Delivery Type (MEF 79.1 R44, R46, R74,
    /// R76), so a green or yellow item's reason ends with it: `on-net at PARIS-1; delivery type ON_NET`.
    static func confidenceReason(_ offer: ElementOffer) -> String {
        guard offer.confidence != .red, let deliveryType = offer.deliveryType else { return offer.confidenceReason }
        return "\(offer.confidenceReason); delivery type \(deliveryType.rawValue)"
    }

    /// The item's product as the buyer sent it; for a POQ by product specification (Use Case 2b) with the offering
    /// the seller chose under it added beside the specification (R13, R16).
    static func product(_ asked: MEFProductRefOrValue, offering: String?) -> MEFProductRefOrValue {
        guard let offering, asked.productOffering == nil else { return asked }
        return MEFProductRefOrValue(
            id: asked.id, href: asked.href, productOffering: ProductOfferingRef(id: offering),
            productSpecification: asked.productSpecification, productConfiguration: asked.productConfiguration,
            productRelationship: asked.productRelationship, place: asked.place)
    }

    /// The POQ's state history along MEF 79.1 Figure 2 (`MEF79POQState.transitions`, R95, R96): an immediate answer
    /// is final from its creation; a deferred one is ACKNOWLEDGED when created, IN_PROGRESS once the SCO's business
    /// validation passes (in the same step as the receipt), then final when answered. A deferred POQ refused by
    /// business validation (a loop, a CHANGE of an unknown product, a place rule) moves from ACKNOWLEDGED to REJECTED.
    static func history(of response: SupplyResponse, immediate: Bool, createdAt: Instant) -> [POQStateChange] {
        let created = MEFDateTime(createdAt.date)
        if immediate { return [POQStateChange(state: response.state.sonata, changeDate: created)] }
        var states: [MEF79POQState] = [.acknowledged]
        if response.state != .acknowledged && response.state != .rejected { states.append(.inProgress) }
        var history = states.map { POQStateChange(state: $0.sonata, changeDate: created) }
        if response.state.isFinal {
            history.append(
                POQStateChange(state: response.state.sonata, changeDate: MEFDateTime(response.answeredAt.date)))
        }
        return history
    }

    /// The body of a `poq.response` / `quote.response` ledger entry: the Sonata answer, and the quote's prices and
    /// validity (PDL-017, PDL-018), or the findings of a rejection.
    public func ledgerBody(_ response: SupplyResponse, request: ProductOfferingQualificationCreate?) -> CanonicalBody {
        var body: [String: CanonicalBody] = [
            "requestId": .string(response.requestID.rawValue),
            "sellerReference": .string(response.sellerReference),
            "state": .string(response.state.rawValue),
            "answeredAt": .string(response.answeredAt.description),
        ]
        if request != nil, let poq = try? JSONValue(encoding: sonataPOQ(response, request: request)) {
            body["productOfferingQualification"] = poq
        }
        if let reason = response.reason { body["reason"] = .string(reason) }
        if !response.findings.isEmpty {
            body["findings"] = .array(
                response.findings.map {
                    ["path": .string($0.path), "rule": .string($0.rule), "message": .string($0.message)]
                })
        }
        let priced = response.items.compactMap { item in item.offer?.price.map { (item.itemID, $0) } }
        if !priced.isEmpty {
            var quote: [String: CanonicalBody] = [
                "items": .array(
                    priced.map {
                        ["itemId": .string($0.0), "monthly": .number($0.1.amount), "currency": .string($0.1.currency)]
                    })
            ]
            if let total = response.totalPrice { quote["total"] = .number(total.amount) }
            if let validUntil = response.validUntil { quote["validUntil"] = .string(validUntil.description) }
            body["quote"] = .object(quote)
        }
        return .object(body)
    }
}

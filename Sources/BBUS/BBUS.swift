import CanonicalJSON
import Ledger
import Sonata
import SupplyChain

/// B-BUS, the buy side: seller choice, fan-out, silence, the orders placed with sellers and the notices exchanged
/// with them. Pure: it takes one message at a time and returns steps.
public struct BBUS: Sendable {
    public let party: PartyID
    public let configuration: BBUSConfiguration
    /// Requests fanned out to sellers and not yet complete, by the buyer request they serve.
    var fanOuts: [RequestKey: FanOut] = [:]
    /// Requests sent to sellers: sub-request id → the buyer request and item it serves.
    var outgoing: [RequestID: OutgoingRequest] = [:]
    /// Orders placed with sellers: sub-order id → the order and element it serves.
    var subOrders: [RequestID: SubOrder] = [:]
    /// The current sub-order of each bought element of an order.
    var currentSubOrder: [SubOrder.Slot: RequestID] = [:]
    /// Tickets open with sellers, by the seller's service: the ticket id (one open ticket per service).
    var sellerTickets: [SellerService: String] = [:]
    /// Each seller's report scores C(t), in thousandths, oldest first (its reputation as this provider sees it).
    var sellerRecords: [PartyID: [Int64]] = [:]
    /// Reports received per service bought.
    var sellerReportCounts: [SellerService: Int] = [:]
    /// What it bought from sellers under contract, and their invoices (the buyer's own estimate).
    var purchases = PurchaseBook()
    /// Disconnections asked of sellers and not yet done: sub-order id → the seller's service.
    var disconnections: [RequestID: SellerService] = [:]

    public init(party: PartyID, configuration: BBUSConfiguration) {
        self.party = party
        self.configuration = configuration
    }

    /// Whether `seller` says something about an order this provider placed with it (then it goes to the B-BUS).
    public func placed(_ orderID: RequestID, with seller: PartyID) -> Bool {
        subOrders[orderID]?.seller == seller || purchases.purchases[orderID]?.seller == seller
            || disconnections[orderID]?.seller == seller
    }

    /// Handles what the SCO asks of the sellers.
    public mutating func handle(
        _ message: SCOToBBUS, now: Instant, ids: inout IDSequence, entropy: inout some EntropySource
    ) -> [RoleStep] {
        switch message {
        case .source(let sourcing):
            return source(sourcing, now: now, ids: &ids, entropy: &entropy)
        case .placeSubOrder(let placement):
            return placeSubOrder(placement, now: now, ids: &ids).map(RoleStep.effect)
        case .placeChange(let change):
            return placeChange(change, ids: &ids).map(RoleStep.effect)
        case .placeRenewal(let renewal):
            return placeRenewal(renewal, ids: &ids).map(RoleStep.effect)
        case .placeDisconnection(let disconnection):
            return placeDisconnection(disconnection, ids: &ids).map(RoleStep.effect)
        case .withdrawDisconnection(let service, let reason):
            return withdrawDisconnection(service, reason: reason, now: now).map(RoleStep.effect)
        case .tellSellers(let order, let itemIDs, let event, let closing):
            return tellSellers(order: order, itemIDs: itemIDs, event, closing: closing, now: now).map(RoleStep.effect)
        case .forgetSubOrders(let order, let itemIDs):
            for itemID in itemIDs {
                if let subID = currentSubOrder.removeValue(forKey: SubOrder.Slot(order: order, itemID: itemID)) {
                    subOrders.removeValue(forKey: subID)
                }
            }
            return []
        case .ticketSeller, .agreeOutage, .closeSellerTicket, .requestTermination:
            return handleAssurance(message, now: now, ids: &ids).map(RoleStep.effect)
        case .requestReport(let service, let request):
            return requestReport(service, request).map(RoleStep.effect)
        }
    }

    /// The sellers to ask within `window`, and those skipped with the reason (PDL-004, PDL-011).
    public func sellers(
        for element: ServiceElement, loopPreventionList: LoopPreventionList, window: TimeSpan
    ) -> SellerChoice {
        var choice = SellerChoice()
        for seller in configuration.sellers where seller != party {
            if let offered = configuration.offerings[seller], !offered.contains(element.offering) {
                choice.skipped.append(SkippedSeller(seller: seller, reason: .offeringNotBought(element.offering)))
                continue
            }
            if let minimum = configuration.minimumReputation, let reputation = reputation(of: seller),
                reputation.score < minimum
            {
                let text = Reputation.text(score: reputation.score, count: reputation.count)
                choice.skipped.append(
                    SkippedSeller(seller: seller, reason: .belowMinimumReputation(score: text, minimum: minimum)))
                continue
            }
            if loopPreventionList.lists(seller) {
                choice.skipped.append(SkippedSeller(seller: seller, reason: .onLoopPreventionList))
                continue
            }
            let roundTrip = (configuration.latency[seller] ?? .zero) + (configuration.latency[seller] ?? .zero)
            if roundTrip >= window {
                choice.skipped.append(
                    SkippedSeller(seller: seller, reason: .beyondResponseWindow(window: window, roundTrip: roundTrip)))
                continue
            }
            choice.eligible.append(seller)
        }
        return choice
    }

    /// The request for one element to one seller: the buyer's item alone, as the buyer wrote it (relationships to
    /// items the seller does not receive are dropped), due by `respondBy`, this provider as buyer contact, and the
    /// loop list with this provider appended.
    ///
    /// A relationship to an existing product stays a `productRelationship` (MEF 79.1 R23, R51) under the id this
    /// seller gave that product (`relatedProducts`: the buyer's id → this seller's); one to a product this seller
    /// never sold is dropped, as it could not know it.
    ///
    /// It asks for an immediate answer when the buyer did (`instantSyncQualification`), a deferred one otherwise:
    /// a buyer waiting on its open exchange is served by a chain that answers each hop in its exchange, with no
    /// acknowledgement and no separate notification per hop (every seller gives either, MEF79-R3).
    ///
    /// The item is copied from the buyer's JSON rather than re-encoded, so product-specific attributes the model
    /// does not know travel on unchanged.
    public func request(
        id: RequestID, kind: RequestKind, itemID: String, original: JSONValue,
        loopPreventionList: LoopPreventionList, respondBy: Instant, salt: [UInt8], sellerProductID: String? = nil,
        relatedProducts: [String: String] = [:]
    ) -> SupplyRequest {
        let items = original["productOfferingQualificationItem"]?.arrayValue ?? []
        var item = items.first { $0["id"]?.stringValue == itemID }?.objectValue ?? [:]
        item.removeValue(forKey: "qualificationItemRelationship")
        if case .object(var product) = item["product"] {
            // A CHANGE names the product as the seller knows it (MEF 79.1 R50).
            if let sellerProductID { product["id"] = .string(sellerProductID) }
            if let relationships = product["productRelationship"]?.arrayValue {
                let known = relationships.compactMap { relationship -> JSONValue? in
                    guard case .object(var fields) = relationship, let id = fields["id"]?.stringValue,
                        let theirs = relatedProducts[id]
                    else { return nil }
                    fields["id"] = .string(theirs)
                    fields.removeValue(forKey: "href")
                    return .object(fields)
                }
                product["productRelationship"] = known.isEmpty ? nil : .array(known)
            }
            item["product"] = .object(product)
        }
        var root: [String: JSONValue] = [
            "instantSyncQualification": .bool(original["instantSyncQualification"] == .bool(true)),
            "provideAlternative": original["provideAlternative"] ?? false,
            "requestedPOQCompletionDate": .string(respondBy.description),
            "externalId": .string(id.rawValue),
            "relatedContactInformation": [contactJSON],
            "productOfferingQualificationItem": [.object(item)],
        ]
        if let project = original["projectId"] { root["projectId"] = project }
        return SupplyRequest(
            id: id, kind: kind, payload: .object(root),
            loopPreventionList: loopPreventionList.appending(party, salt: salt), respondBy: respondBy)
    }

    private var contactJSON: JSONValue {
        let contact = configuration.buyerContact
        var fields: [String: JSONValue] = [
            "name": .string(contact.name), "emailAddress": .string(contact.emailAddress),
            "number": .string(contact.number), "role": .string(contact.role),
        ]
        if let organization = contact.organization { fields["organization"] = .string(organization) }
        return .object(fields)
    }

    /// A seller's answer for the element as a candidate at its cost to this provider (PDL-012 records it).
    public func candidate(from response: SupplyResponse, seller: PartyID, itemID: String) -> Candidate {
        let source = Source.seller(seller, requestID: response.requestID, sellerReference: response.sellerReference)
        guard let item = response.items.first(where: { $0.itemID == itemID }), let offer = item.offer else {
            let why = response.reason ?? response.items.first?.reason ?? response.state.rawValue
            return Candidate(source: source, offer: .red("\(seller) answered \(response.state.rawValue): \(why)"))
        }
        return Candidate(source: source, offer: offer, reputation: reputation(of: seller)?.score)
    }

    /// Silence past the response window counts as "unable to quote" (ETSI Inquiry and Quote step 6).
    public func silence(of seller: PartyID, requestID: RequestID) -> Candidate {
        Candidate(
            source: .seller(seller, requestID: requestID, sellerReference: ""),
            offer: .red("\(seller) did not answer within the response window"))
    }
}

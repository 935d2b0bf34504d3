import CanonicalJSON
import Ledger
import Sonata
import SupplyChain

/// The buy side: who this provider buys from and how it asks them.
public struct BBUSConfiguration: Sendable, Hashable {
    /// Sellers this provider has a commercial relationship with, in preference order.
    public let sellers: [PartyID]
    /// One-way latency to each seller, as measured or configured; a seller that cannot answer within the
    /// window (twice this latency) is not asked.
    public let latency: [PartyID: TimeSpan]
    /// The offerings bought from each seller, where the relationship is limited to some; absent means all.
    public let offerings: [PartyID: Set<String>]
    /// The contact put on requests this provider sends as a buyer (MEF79-R9).
    public let buyerContact: RelatedContactInformation

    public init(
        sellers: [PartyID], latency: [PartyID: TimeSpan] = [:], offerings: [PartyID: Set<String>] = [:],
        buyerContact: RelatedContactInformation
    ) {
        self.sellers = sellers
        self.latency = latency
        self.offerings = offerings
        self.buyerContact = buyerContact
    }
}

/// Why the B-BUS does not ask a seller for an element.
public enum SellerExclusion: Sendable, Hashable, CustomStringConvertible {
    /// The seller's digest is on the request's loop-prevention list (PDL-004).
    case onLoopPreventionList
    /// The relationship with this seller does not cover the offering.
    case offeringNotBought(String)
    /// The seller could not answer before the deadline, given the link's round trip.
    case beyondResponseWindow(window: TimeSpan, roundTrip: TimeSpan)

    public var description: String {
        switch self {
        case .onLoopPreventionList: "on the loop-prevention list"
        case .offeringNotBought(let offering): "not a seller of \(offering) to this provider"
        case .beyondResponseWindow(let window, let roundTrip):
            "cannot answer within the \(window) window (round trip \(roundTrip))"
        }
    }
}

/// B-BUS: picks the sellers for each element, never one on the loop-prevention list, and builds their requests.
public struct BBUS: Sendable {
    public let party: PartyID
    public let configuration: BBUSConfiguration

    public init(party: PartyID, configuration: BBUSConfiguration) {
        self.party = party
        self.configuration = configuration
    }

    /// The sellers to ask within `window`, and those skipped with the reason (PDL-004, PDL-011).
    public func sellers(
        for element: ServiceElement, loopPreventionList: LoopPreventionList, window: TimeSpan
    ) -> (eligible: [PartyID], skipped: [(seller: PartyID, reason: SellerExclusion)]) {
        var eligible: [PartyID] = []
        var skipped: [(PartyID, SellerExclusion)] = []
        for seller in configuration.sellers where seller != party {
            if let offered = configuration.offerings[seller], !offered.contains(element.offering) {
                skipped.append((seller, .offeringNotBought(element.offering)))
                continue
            }
            if loopPreventionList.lists(seller) {
                skipped.append((seller, .onLoopPreventionList))
                continue
            }
            let roundTrip = (configuration.latency[seller] ?? .zero) + (configuration.latency[seller] ?? .zero)
            if roundTrip >= window {
                skipped.append((seller, .beyondResponseWindow(window: window, roundTrip: roundTrip)))
                continue
            }
            eligible.append(seller)
        }
        return (eligible, skipped)
    }

    /// The request for one element to one seller: the buyer's item alone, as the buyer wrote it (relationships to
    /// items the seller does not receive are dropped), a deferred POQ due by `respondBy`, this provider as buyer
    /// contact, and the loop list with this provider appended.
    ///
    /// The item is copied from the buyer's JSON rather than re-encoded, so product-specific attributes the model
    /// does not know travel on unchanged.
    public func request(
        id: RequestID, kind: RequestKind, itemID: String, original: JSONValue,
        loopPreventionList: LoopPreventionList, respondBy: Instant, salt: [UInt8]
    ) -> SupplyRequest {
        let items = original["productOfferingQualificationItem"]?.arrayValue ?? []
        var item = items.first { $0["id"]?.stringValue == itemID }?.objectValue ?? [:]
        item.removeValue(forKey: "qualificationItemRelationship")
        var root: [String: JSONValue] = [
            "instantSyncQualification": false,
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
        return Candidate(source: source, offer: offer)
    }

    /// Silence past the response window counts as "unable to quote" (ETSI Inquiry and Quote step 6).
    public func silence(of seller: PartyID, requestID: RequestID) -> Candidate {
        Candidate(
            source: .seller(seller, requestID: requestID, sellerReference: ""),
            offer: .red("\(seller) did not answer within the response window"))
    }
}

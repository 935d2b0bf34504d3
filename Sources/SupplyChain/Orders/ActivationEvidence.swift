import CanonicalJSON

/// What an activated element is, as the party that activated it reports it: the SOF for its own elements, a seller
/// in its Order Activated notice. The SCO's chain test (PDL-045..PDL-048) checks it against what was ordered.
public struct ActivationEvidence: Codable, Sendable, Hashable {
    /// The ordered item the element delivers.
    public let itemID: String
    /// The id the activating party gives the element's service.
    public let serviceID: String
    public let offering: String
    public let place: String?
    public let bandwidthMbps: Int?

    enum CodingKeys: String, CodingKey {
        case itemID = "itemId"
        case serviceID = "serviceId"
        case offering, place, bandwidthMbps
    }

    public init(itemID: String, serviceID: String, offering: String, place: String?, bandwidthMbps: Int?) {
        self.itemID = itemID
        self.serviceID = serviceID
        self.offering = offering
        self.place = place
        self.bandwidthMbps = bandwidthMbps
    }

    /// The evidence as it appears in the `sco.chain_tested` entry.
    public var ledgerBody: JSONValue {
        var body: [String: JSONValue] = [
            "itemId": .string(itemID), "serviceId": .string(serviceID), "offering": .string(offering),
        ]
        if let place { body["place"] = .string(place) }
        if let bandwidthMbps { body["bandwidthMbps"] = .number(Double(bandwidthMbps)) }
        return .object(body)
    }
}

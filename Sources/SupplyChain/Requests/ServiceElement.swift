import CanonicalJSON
import Sonata

/// One actionable piece of a request, as the SCO decomposes it: a product offering at (optionally) a place.
///
/// Every POQ item is one element. The place is the item's first `place` entry's `id` (GeographicAddressRef,
/// GeographicSiteRef) or, for written addresses, its `city`; the bandwidth is `productConfiguration.bandwidthMbps`
/// when the product schema carries one.
public struct ServiceElement: Hashable, Sendable, Codable {
    public let itemID: String
    public let offering: String
    public let place: String?
    public let bandwidthMbps: Int?

    public init(itemID: String, offering: String, place: String?, bandwidthMbps: Int?) {
        self.itemID = itemID
        self.offering = offering
        self.place = place
        self.bandwidthMbps = bandwidthMbps
    }

    /// The element a POQ item asks for.
    public init(item: ProductOfferingQualificationItemCreate) {
        let firstPlace = item.product.place?.first
        let place = firstPlace?["id"]?.stringValue ?? firstPlace?["city"]?.stringValue
        let bandwidth = item.product.productConfiguration?["bandwidthMbps"]?.numberValue.map {
            Int(saturating: $0.rounded(.up))
        }
        self.init(
            itemID: item.id,
            offering: item.product.productOffering?.id ?? item.product.productSpecification?.id ?? "",
            place: place,
            bandwidthMbps: bandwidth)
    }
}

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
    /// The product specification the item names instead of an offering (MEF 79.1 Use Case 2b): the seller picks
    /// the offering; `offering` then holds the specification's id.
    public let specification: String?

    public init(
        itemID: String, offering: String, place: String?, bandwidthMbps: Int?, specification: String? = nil
    ) {
        self.itemID = itemID
        self.offering = offering
        self.place = place
        self.bandwidthMbps = bandwidthMbps
        self.specification = specification
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
            bandwidthMbps: bandwidth,
            specification: item.product.productOffering == nil ? item.product.productSpecification?.id : nil)
    }
}

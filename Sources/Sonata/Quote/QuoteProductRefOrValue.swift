import CanonicalJSON

/// The product a quote item is about (`MEFProductRefOrValueQuote`): an existing product, a desired one, or both.
///
/// `productConfiguration` and `place` are polymorphic (`@type`) and product-specific, so they stay JSON and
/// travel through untouched.
public struct QuoteProductRefOrValue: Codable, Sendable, Hashable {
    /// The in-service product; required for `modify` and `delete`, absent for `add`.
    public let id: ProductID?
    /// A link to the product in the Seller's inventory; ignored by the Seller when the Buyer sends it.
    public let href: String?
    /// The offering the product is (to be) an instance of.
    public let productOffering: ProductOfferingRef?
    /// The product's technical attributes, an `MEFProductConfiguration` whose `@type` names the product spec.
    public let productConfiguration: JSONValue?
    /// Existing products this one relates to, e.g. the ENNI an Access E-Line connects to.
    public let productRelationship: [ProductRelationshipWithGrouping]?
    /// Places related to the product (`RelatedPlaceRefOrValue`, discriminated by `@type`), e.g. the install site.
    public let place: [JSONValue]?

    public init(
        id: ProductID? = nil,
        href: String? = nil,
        productOffering: ProductOfferingRef? = nil,
        productConfiguration: JSONValue? = nil,
        productRelationship: [ProductRelationshipWithGrouping]? = nil,
        place: [JSONValue]? = nil
    ) {
        self.id = id
        self.href = href
        self.productOffering = productOffering
        self.productConfiguration = productConfiguration
        self.productRelationship = productRelationship
        self.place = place
    }
}

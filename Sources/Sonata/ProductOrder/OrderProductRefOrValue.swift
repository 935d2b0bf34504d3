import CanonicalJSON

/// The product an order item is about (`MEFProductRefOrValueOrder`): `add` describes it, `delete` points at it.
///
/// `productConfiguration` and `place` are polymorphic (`@type`) and product-specific, so they stay JSON and
/// travel through untouched.
public struct OrderProductRefOrValue: Codable, Sendable, Hashable {
    /// The in-service product; required for `modify` and `delete`, absent for `add`.
    public let id: ProductID?
    /// A link to the product; ignored by the Seller when the Buyer sends it.
    public let href: String?
    /// The offering the product is (to be) an instance of.
    public let productOffering: ProductOfferingRef?
    /// The desired technical attributes (`MEFProductConfiguration`, `@type` names the product spec); not for `delete`.
    public let productConfiguration: JSONValue?
    /// Existing products the ordered one relates to.
    public let productRelationship: [ProductRelationship]?
    /// Places related to the product (`RelatedPlaceRefOrValue`, discriminated by `@type`), e.g. the install site.
    public let place: [JSONValue]?

    public init(
        id: ProductID? = nil,
        href: String? = nil,
        productOffering: ProductOfferingRef? = nil,
        productConfiguration: JSONValue? = nil,
        productRelationship: [ProductRelationship]? = nil,
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

/// A relationship from an ordered product to an existing product (`ProductRelationship`, order v10).
public struct ProductRelationship: Codable, Sendable, Hashable {
    /// The nature of the relationship as the product spec names it, e.g. `CONNECTS_TO_ENNI`.
    public let relationshipType: String
    /// The related product.
    public let id: ProductID
    /// A link to the related product; ignored by the Seller when the Buyer sends it.
    public let href: String?

    public init(relationshipType: String, id: ProductID, href: String? = nil) {
        self.relationshipType = relationshipType
        self.id = id
        self.href = href
    }
}

/// A product order item that made or changed a product (`MEFProductOrderItemRef`).
public struct ProductOrderItemRef: Codable, Sendable, Hashable {
    public let productOrderId: String
    public let productOrderItemId: String
    public let productOrderHref: String?

    public init(productOrderId: String, productOrderItemId: String, productOrderHref: String? = nil) {
        self.productOrderId = productOrderId
        self.productOrderItemId = productOrderItemId
        self.productOrderHref = productOrderHref
    }
}

/// A site a product is provided at, and its role there (`RelatedGeographicSite`).
public struct RelatedGeographicSite: Codable, Sendable, Hashable {
    public let id: String
    public let role: String
    public let href: String?

    public init(id: String, role: String, href: String? = nil) {
        self.id = id
        self.role = role
        self.href = href
    }
}

import CanonicalJSON

/// A product in the Seller's inventory (`MEFProduct`, Product Inventory v7): what the Buyer bought, its status,
/// dates, prices, configuration, the order items that made it, and its terms, oldest first.
public struct MEFProduct: Codable, Sendable, Hashable {
    public let id: String
    public let href: String?
    public let status: ProductStatus
    /// When the product was first active.
    public let startDate: MEFDateTime
    /// When it was terminated.
    public let terminationDate: MEFDateTime?
    /// When a change affecting it last completed.
    public let lastUpdateDate: MEFDateTime?
    /// The Buyer's identifier of the product: its order's `externalId`.
    public let externalId: String?
    public let productOffering: ProductOfferingRef?
    /// The product's MEF configuration (with an `@type`).
    public let productConfiguration: JSONValue?
    public let productPrice: [ProductPrice]?
    public let productOrderItem: [ProductOrderItemRef]?
    /// Every term of the product, oldest first: a renewal adds one.
    public let productTerm: [MEFItemTerm]?
    public let relatedSite: [RelatedGeographicSite]?
    public let statusChange: [ProductStatusChange]?

    public init(
        id: String, href: String? = nil, status: ProductStatus, startDate: MEFDateTime,
        terminationDate: MEFDateTime? = nil, lastUpdateDate: MEFDateTime? = nil, externalId: String? = nil,
        productOffering: ProductOfferingRef? = nil, productConfiguration: JSONValue? = nil,
        productPrice: [ProductPrice]? = nil, productOrderItem: [ProductOrderItemRef]? = nil,
        productTerm: [MEFItemTerm]? = nil, relatedSite: [RelatedGeographicSite]? = nil,
        statusChange: [ProductStatusChange]? = nil
    ) {
        self.id = id
        self.href = href
        self.status = status
        self.startDate = startDate
        self.terminationDate = terminationDate
        self.lastUpdateDate = lastUpdateDate
        self.externalId = externalId
        self.productOffering = productOffering
        self.productConfiguration = productConfiguration
        self.productPrice = productPrice
        self.productOrderItem = productOrderItem
        self.productTerm = productTerm
        self.relatedSite = relatedSite
        self.statusChange = statusChange
    }
}

/// A product as the inventory list shows it (`MEFProduct_Find`).
public struct MEFProductFind: Codable, Sendable, Hashable {
    public let id: String
    public let href: String?
    public let status: ProductStatus
    public let startDate: MEFDateTime?
    public let lastUpdateDate: MEFDateTime?
    public let externalId: String?
    public let productOffering: ProductOfferingRef?
    public let productOrderItem: [ProductOrderItemRef]?
    public let relatedSite: [RelatedGeographicSite]?

    /// The overview of `product`.
    public init(_ product: MEFProduct) {
        id = product.id
        href = product.href
        status = product.status
        startDate = product.startDate
        lastUpdateDate = product.lastUpdateDate
        externalId = product.externalId
        productOffering = product.productOffering
        productOrderItem = product.productOrderItem
        relatedSite = product.relatedSite
    }
}

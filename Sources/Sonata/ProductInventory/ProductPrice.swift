/// A price the Buyer pays for a product (`ProductPrice`, Product Inventory v7).
public struct ProductPrice: Codable, Sendable, Hashable {
    public let name: String?
    public let description: String?
    public let priceType: PriceType
    public let recurringChargePeriod: ChargePeriod?
    public let price: Price

    public init(
        name: String? = nil, description: String? = nil, priceType: PriceType,
        recurringChargePeriod: ChargePeriod? = nil, price: Price
    ) {
        self.name = name
        self.description = description
        self.priceType = priceType
        self.recurringChargePeriod = recurringChargePeriod
        self.price = price
    }
}

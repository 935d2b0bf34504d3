/// One price line of a quote item (`QuotePrice`): what is charged, how often, and in which unit of use.
public struct QuotePrice: Codable, Sendable, Hashable {
    /// The name of the price, e.g. `Monthly rental`.
    public let name: String?
    /// A description of the price.
    public let description: String?
    /// Recurring, non-recurring or usage-based.
    public let priceType: PriceType?
    /// With `recurring`: the period charged for.
    public let recurringChargePeriod: ChargePeriod?
    /// With `usageBased`: the unit the price is per (Gb, SMS, …).
    public let unitOfMeasure: String?
    /// The amount.
    public let price: Price?

    public init(
        name: String? = nil,
        description: String? = nil,
        priceType: PriceType? = nil,
        recurringChargePeriod: ChargePeriod? = nil,
        unitOfMeasure: String? = nil,
        price: Price? = nil
    ) {
        self.name = name
        self.description = description
        self.priceType = priceType
        self.recurringChargePeriod = recurringChargePeriod
        self.unitOfMeasure = unitOfMeasure
        self.price = price
    }
}

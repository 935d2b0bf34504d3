/// An amount in a currency as the wire carries it (`Money`), e.g. 120.5 USD; not the broker's `SupplyChain.Money`.
public struct MEFMoney: Codable, Sendable, Hashable {
    /// The ISO 4217 three-letter currency code.
    public let unit: String?
    /// The amount, a positive number.
    public let value: Double?

    public init(unit: String? = nil, value: Double? = nil) {
        self.unit = unit
        self.value = value
    }
}

/// A price with and without tax (`Price`); the duty-free amount is what every price must state.
public struct Price: Codable, Sendable, Hashable {
    /// The amount without taxes.
    public let dutyFreeAmount: MEFMoney
    /// The amount with all taxes.
    public let taxIncludedAmount: MEFMoney?
    /// The tax rate in percent (16 means 16 %).
    public let taxRate: Double?

    public init(dutyFreeAmount: MEFMoney, taxIncludedAmount: MEFMoney? = nil, taxRate: Double? = nil) {
        self.dutyFreeAmount = dutyFreeAmount
        self.taxIncludedAmount = taxIncludedAmount
        self.taxRate = taxRate
    }
}

/// Whether a price is charged once, per period or per use (`MEFPriceType`).
public enum PriceType: String, SonataEnum {
    case recurring, nonRecurring, usageBased
}

/// The period of a recurring charge (`MEFChargePeriod`).
public enum ChargePeriod: String, SonataEnum {
    case hour, day, week, month, year
}

import CanonicalJSON

/// Contact information of a person or organisation playing a role (MEF 79.1 Table 9, `RelatedContactInformation`).
public struct RelatedContactInformation: Codable, Sendable, Hashable {
    public let name: String
    public let emailAddress: String
    public let number: String
    public let numberExtension: String?
    public let organization: String?
    /// `buyerContactInformation`, `sellerContactInformation`, `locationContact`, …
    public let role: String
    /// A `FieldedAddress`, carried as received.
    public let postalAddress: JSONValue?

    public init(
        name: String, emailAddress: String, number: String, numberExtension: String? = nil,
        organization: String? = nil, role: String, postalAddress: JSONValue? = nil
    ) {
        self.name = name
        self.emailAddress = emailAddress
        self.number = number
        self.numberExtension = numberExtension
        self.organization = organization
        self.role = role
        self.postalAddress = postalAddress
    }
}

/// A reference to one of the Seller's Product Offerings, agreed at onboarding.
public struct ProductOfferingRef: Codable, Sendable, Hashable {
    public let id: String
    public let href: String?

    public init(id: String, href: String? = nil) {
        self.id = id
        self.href = href
    }
}

/// A reference to a Product Specification.
public struct ProductSpecificationRef: Codable, Sendable, Hashable {
    public let id: String
    public let href: String?

    public init(id: String, href: String? = nil) {
        self.id = id
        self.href = href
    }
}

/// A relationship to an existing Product in the Seller's inventory (MEF 79.1 Table 10).
public struct ProductRelationshipWithGrouping: Codable, Sendable, Hashable {
    public let relationshipType: String
    public let id: String
    public let href: String?
    public let groupingKey: String?

    public init(relationshipType: String, id: String, href: String? = nil, groupingKey: String? = nil) {
        self.relationshipType = relationshipType
        self.id = id
        self.href = href
        self.groupingKey = groupingKey
    }
}

/// The product a POQ item is about: an offering or specification, its configuration and its places.
///
/// `productConfiguration` is product-specific (its `@type` names the schema) and is carried intact as JSON;
/// `place` entries are polymorphic (`@type` FieldedAddress, GeographicAddressRef, GeographicSiteRef, …).
public struct MEFProductRefOrValue: Codable, Sendable, Hashable {
    public let id: String?
    public let href: String?
    public let productOffering: ProductOfferingRef?
    public let productSpecification: ProductSpecificationRef?
    public let productConfiguration: JSONValue?
    public let productRelationship: [ProductRelationshipWithGrouping]?
    public let place: [JSONValue]?

    public init(
        id: String? = nil, href: String? = nil, productOffering: ProductOfferingRef? = nil,
        productSpecification: ProductSpecificationRef? = nil, productConfiguration: JSONValue? = nil,
        productRelationship: [ProductRelationshipWithGrouping]? = nil, place: [JSONValue]? = nil
    ) {
        self.id = id
        self.href = href
        self.productOffering = productOffering
        self.productSpecification = productSpecification
        self.productConfiguration = productConfiguration
        self.productRelationship = productRelationship
        self.place = place
    }
}

/// `add` / `modify` / `delete` on the wire; MEF 79.1 says INSTALL / CHANGE / DISCONNECT.
public enum ProductActionType: String, SonataEnum {
    case add, modify, delete

    /// The MEF 79.1 name of this action.
    public var mef79Name: String {
        switch self {
        case .add: "INSTALL"
        case .modify: "CHANGE"
        case .delete: "DISCONNECT"
        }
    }
}

/// The unit of a `Duration`.
public enum TimeUnit: String, SonataEnum {
    case calendarMonths, calendarDays, calendarHours, calendarMinutes, businessDays, businessHours, businessMinutes
}

/// A duration in a unit of time, e.g. 10 businessDays.
public struct Duration: Codable, Sendable, Hashable {
    public let amount: Int
    public let units: TimeUnit

    public init(amount: Int, units: TimeUnit) {
        self.amount = amount
        self.units = units
    }
}

import CanonicalJSON

/// A person or organisation playing a `role` for a quote, an order or an item (`RelatedContactInformation`).
public struct RelatedContactInformation: Codable, Sendable, Hashable {
    /// The role in this context, e.g. `buyerContactInformation` or `quoteItemTechnicalContact`.
    public let role: String
    /// The contact's name.
    public let name: String
    /// The contact's e-mail address.
    public let emailAddress: String
    /// The contact's phone number.
    public let number: String
    /// The phone number's extension.
    public let numberExtension: String?
    /// The organisation the contact belongs to.
    public let organization: String?
    /// A `FieldedAddress` to write to, carried as JSON like every other address.
    public let postalAddress: JSONValue?

    public init(
        role: String,
        name: String,
        emailAddress: String,
        number: String,
        numberExtension: String? = nil,
        organization: String? = nil,
        postalAddress: JSONValue? = nil
    ) {
        self.role = role
        self.name = name
        self.emailAddress = emailAddress
        self.number = number
        self.numberExtension = numberExtension
        self.organization = organization
        self.postalAddress = postalAddress
    }
}

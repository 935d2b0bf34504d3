/// A reference to one of the Seller's product offerings (`ProductOfferingRef`), agreed at onboarding.
public struct ProductOfferingRef: Codable, Sendable, Hashable {
    /// The offering's identifier, assigned by the Seller.
    public let id: String
    /// A link into the Seller's catalog; ignored by the Seller when the Buyer sends it.
    public let href: String?

    public init(id: String, href: String? = nil) {
        self.id = id
        self.href = href
    }
}

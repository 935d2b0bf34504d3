import Ledger

/// The product in a seller's inventory that a CHANGE item (MEF 79.1 Use Case 2c) changes, as this provider bought
/// it: only that seller is asked, under its own product id.
public struct ChangedProduct: Sendable, Hashable {
    public let seller: PartyID
    /// The seller's id for the product (its service id), which the buyer-facing id stands for.
    public let sellerProductID: String

    public init(seller: PartyID, sellerProductID: String) {
        self.seller = seller
        self.sellerProductID = sellerProductID
    }
}

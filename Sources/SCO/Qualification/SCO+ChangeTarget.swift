import Ledger
import Sonata
import SupplyChain

/// MEF 79.1 Use Case 2c: a CHANGE item names an existing product by `product.id`, which must be one of this
/// provider's services for that buyer, and an offering of the same product specification (R49, R50).
extension SCO {
    /// What a CHANGE item changes, or why it is refused.
    enum ChangeTarget {
        case found(ServiceRecord.Element)
        case refused(ValidationFinding)
    }

    /// The element of the buyer's service that a CHANGE item changes, or the finding that refuses it.
    ///
    /// - Returns: the service element with the item's offering (or, O10, another offering of the same
    ///   specification in this catalog); R50 when `product.id` names no active service of this buyer's, R49 when the
    ///   service has no element of the offering's specification.
    func changeTarget(
        of item: ProductOfferingQualificationItemCreate, element: ServiceElement, buyer: PartyID, itemPath: String
    ) -> ChangeTarget {
        let productPath = JSONPointer.appending(itemPath, "product")
        let productID = item.product.id ?? ""
        guard let service = inventory[productID], service.buyer == buyer, service.state == .active else {
            return .refused(
                ValidationFinding(
                    path: JSONPointer.appending(productPath, "id"), rule: "MEF79-R50",
                    message: "product '\(productID)' is not an active product of this Buyer's in the Seller's inventory"
                ))
        }
        if let same = service.elements.first(where: { $0.element.offering == element.offering }) {
            return .found(same)
        }
        let specification = { (offering: String) in sof.catalog.first { $0.offering == offering }?.specification }
        if let wanted = specification(element.offering),
            let sibling = service.elements.first(where: { specification($0.element.offering) == wanted })
        {
            return .found(sibling)
        }
        let offered = service.elements.map(\.element.offering).joined(separator: ", ")
        return .refused(
            ValidationFinding(
                path: JSONPointer.appending(JSONPointer.appending(productPath, "productOffering"), "id"),
                rule: "MEF79-R49",
                message:
                    "offering '\(element.offering)' is not of the product specification of '\(productID)' (\(offered))")
        )
    }

    /// The buyer's products `item` relates to (`productRelationship`), each by the ids its sellers gave the parts of
    /// it they sold: what the B-BUS names in a seller's request (MEF 79.1 R23, R51). A product of another buyer's,
    /// or not in the inventory, has no entry; a part delivered by the SOF has no seller's id.
    func relatedProducts(
        of item: ProductOfferingQualificationItemCreate, buyer: PartyID
    ) -> [String: [PartyID: String]] {
        var related: [String: [PartyID: String]] = [:]
        for relationship in item.product.productRelationship ?? [] {
            guard let service = inventory[relationship.id], service.buyer == buyer else { continue }
            for part in service.elements {
                if let seller = part.seller, let sellerProductID = part.sellerServiceID {
                    related[relationship.id, default: [:]][seller] = sellerProductID
                }
            }
        }
        return related
    }
}

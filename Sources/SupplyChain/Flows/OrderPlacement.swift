import CanonicalJSON
import Ledger
import Sonata

/// An order the order desk accepted for fulfilment, with what the quote said about each element.
public struct OrderPlacement: Sendable {
    public let key: OrderKey
    public let order: OrderRequest
    /// This provider's reference for the order.
    public let reference: String
    public let quoteReference: String
    public let elements: [QuotedElement]

    public init(
        key: OrderKey, order: OrderRequest, reference: String, quoteReference: String, elements: [QuotedElement]
    ) {
        self.key = key
        self.order = order
        self.reference = reference
        self.quoteReference = quoteReference
        self.elements = elements
    }
}

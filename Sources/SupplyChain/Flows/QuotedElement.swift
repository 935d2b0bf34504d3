import CanonicalJSON
import Ledger
import Sonata

/// One quoted element of an order: the item as quoted and its deliverable sources, best first.
public struct QuotedElement: Sendable {
    public let itemID: String
    public let item: JSONValue
    public let element: ServiceElement
    public let sources: [Candidate]

    public init(itemID: String, item: JSONValue, element: ServiceElement, sources: [Candidate]) {
        self.itemID = itemID
        self.item = item
        self.element = element
        self.sources = sources
    }
}

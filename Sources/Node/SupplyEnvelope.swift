import Sonata
import SupplyChain

/// The body of `application/vnd.scbroker.supply+json`: the Sonata object a plain MEF client gets, and beside it the
/// protocol core's message (prices, confidence, validity: what Sonata v7 POQ answers do not carry).
public struct SupplyEnvelope: Codable, Sendable {
    public var productOfferingQualification: ProductOfferingQualification?
    public var event: POQEvent?
    public var message: Message

    public init(
        productOfferingQualification: ProductOfferingQualification? = nil, event: POQEvent? = nil, message: Message
    ) {
        self.productOfferingQualification = productOfferingQualification
        self.event = event
        self.message = message
    }
}

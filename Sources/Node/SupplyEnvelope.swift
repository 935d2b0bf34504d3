import CanonicalJSON
import Foundation
import Sonata
import SupplyChain

/// The body of `application/vnd.scbroker.supply+json`: the Sonata object a plain MEF client gets (a POQ, a POQ
/// event, a product order, a product order event), and beside it the protocol core's message (prices,
/// confidence, validity, order windows: what the Sonata objects do not carry).
public struct SupplyEnvelope: Codable, Sendable {
    public var productOfferingQualification: ProductOfferingQualification?
    public var event: POQEvent?
    public var productOrder: ProductOrder?
    public var productOrderEvent: ProductOrderEvent?
    public var message: Message

    public init(
        productOfferingQualification: ProductOfferingQualification? = nil, event: POQEvent? = nil,
        productOrder: ProductOrder? = nil, productOrderEvent: ProductOrderEvent? = nil, message: Message
    ) {
        self.productOfferingQualification = productOfferingQualification
        self.event = event
        self.productOrder = productOrder
        self.productOrderEvent = productOrderEvent
        self.message = message
    }
}

extension SupplyEnvelope {
    /// Only the `message` member of an envelope body is read into a value: the Sonata objects beside it are for plain
    /// MEF clients, and the core acts on the message alone. Decoding them too cost a quarter of a retail buyer's CPU.
    private struct MessageOnly: Decodable {
        let message: Message
    }

    /// The protocol message of an envelope `body`, without decoding the Sonata objects beside it: the body parsed
    /// as every body from another party is (strict JSON, nested at most `JSONValue.maximumRequestDepth` deep, so
    /// that what the node journals of it reads back at a restart) and the message decoded from its tree.
    public static func decodeMessage(from body: Data) throws -> Message {
        try decodeMessage(JSONValue.parse(body, maximumDepth: JSONValue.maximumRequestDepth))
    }

    /// The protocol message of an envelope already parsed.
    public static func decodeMessage(_ envelope: JSONValue) throws -> Message {
        try envelope.decode(MessageOnly.self).message
    }
}

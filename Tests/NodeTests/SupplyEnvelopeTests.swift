import CanonicalJSON
import Foundation
import Node
import SupplyChain
import Testing

/// A seller's answer envelope as a node reads it: only the message, from a body nested no deeper than any body
/// another party may send (so what the node journals of it reads back at a restart).
struct SupplyEnvelopeTests {
    static let message = Message.response(
        SupplyResponse(
            requestID: "rq-1", sellerReference: "poq-1", kind: .poq, state: .rejected,
            items: [ItemAnswer(itemID: "1", state: .rejected, reason: "no capacity")], reason: "no capacity",
            answeredAt: Instant(milliseconds: 1_800_000_000_000)))

    @Test("An envelope's message is read back as sent")
    func messageReadBack() throws {
        let body = try JSONEncoder().encode(SupplyEnvelope(message: Self.message))
        #expect(try SupplyEnvelope.decodeMessage(from: body) == Self.message)
    }

    @Test("An envelope nested deeper than a body from another party may be is refused before it is decoded")
    func tooDeepRefused() throws {
        let message = String(decoding: try JSONEncoder().encode(Self.message), as: UTF8.self)
        let depth = JSONValue.maximumRequestDepth + 1
        let deep = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let body = Data(#"{"message": \#(message), "productOfferingQualification": \#(deep)}"#.utf8)
        #expect(throws: JSONParseError.self) { try SupplyEnvelope.decodeMessage(from: body) }
        let shallow = String(repeating: "[", count: depth - 2) + String(repeating: "]", count: depth - 2)
        let accepted = Data(#"{"message": \#(message), "productOfferingQualification": \#(shallow)}"#.utf8)
        #expect(try SupplyEnvelope.decodeMessage(from: accepted) == Self.message)
    }
}

import CanonicalJSON

/// The Sonata request payloads `broker validate` knows, detected from their top-level members.
public enum PayloadKind: String, Sendable, CaseIterable, Codable {
    case poq
    case quote
    case order

    /// Detects the kind from the top-level member that only that request has.
    public static func detect(_ payload: JSONValue) -> PayloadKind? {
        guard case .object(let members) = payload else { return nil }
        if members["productOfferingQualificationItem"] != nil { return .poq }
        if members["quoteItem"] != nil { return .quote }
        if members["productOrderItem"] != nil { return .order }
        return nil
    }
}

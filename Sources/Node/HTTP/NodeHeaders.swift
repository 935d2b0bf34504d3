import HTTPTypes

/// The HTTP header names a node reads and writes beside the MEF Sonata bodies (README.md, "Live nodes").
public enum NodeHeaders {
    /// The sending party's id: which public key verifies the signature.
    public static let keyID = HTTPField.Name("X-SCBroker-Key-Id")!
    /// The party the request is addressed to: part of the signed text, so no other node accepts it.
    public static let audience = HTTPField.Name("X-SCBroker-Audience")!
    /// Unix time in milliseconds when the request was signed.
    public static let timestamp = HTTPField.Name("X-SCBroker-Timestamp")!
    /// A fresh random value per request (hex), so two identical requests never share a signature.
    public static let nonce = HTTPField.Name("X-SCBroker-Nonce")!
    /// Base64 Ed25519 signature over `RequestSignature.message`.
    public static let signature = HTTPField.Name("X-SCBroker-Signature")!
    /// The buyer's id for this request (unique per buyer); defaults to `externalId` or a fresh id.
    public static let requestID = HTTPField.Name("X-SCBroker-Request-Id")!
    /// `poq` (default) or `inquiry` (a priced quote).
    public static let requestKind = HTTPField.Name("X-SCBroker-Request-Kind")!
    /// The pseudo-anonymous loop-prevention list: base64url of its JSON (`{"entries":[{"salt","digest"}]}`).
    public static let loopPrevention = HTTPField.Name("X-SCBroker-Loop-Prevention")!
    /// RFC 3339 deadline for the final answer (the seller's window); defaults from the POQ.
    public static let respondBy = HTTPField.Name("X-SCBroker-Respond-By")!
    /// The buyer node's base URL, where later answers for this request are posted (its Sonata listener).
    public static let replyTo = HTTPField.Name("X-SCBroker-Reply-To")!
    /// Beside a plain Sonata `modify` or `delete` order from another node: the instants Sonata cannot say exactly
    /// (`acceptBy=<ms>; activateBy=<ms>`, and a renewal's `termStart=<ms>; termEnd=<ms>`), protocol milliseconds.
    public static let orderWindows = HTTPField.Name("X-SCBroker-Order-Windows")!
    /// A correlation id that follows a retail request down the chain (for traces and `broker cluster`).
    public static let trace = HTTPField.Name("X-SCBroker-Trace")!
    /// W3C Trace Context of a request between nodes (`TraceContext`): the trace id follows the retail request.
    public static let traceparent = HTTPField.Name("traceparent")!

    /// The media type of a body that carries the protocol core's message beside the Sonata object.
    public static let supplyChainMediaType = "application/vnd.scbroker.supply+json"
}

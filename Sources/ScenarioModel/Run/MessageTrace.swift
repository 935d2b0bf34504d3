/// One message of a demand's exchange between two parties, as the run report's sequence diagram draws it.
public struct MessageTrace: Encodable, Sendable, Hashable {
    /// When it was sent and when it reached (or would have reached) the receiver.
    public let sentAt: String
    public let at: String
    public let from: String
    public let to: String
    /// `request`, `acknowledgement`, `response`, `order` or `order notice`.
    public let kind: String
    /// What it said, in a few words (the answer's state and price, the order event).
    public let detail: String
    /// The receiver is silent: the message was never answered (nor read).
    public let unanswered: Bool

    public init(sentAt: String, at: String, from: String, to: String, kind: String, detail: String, unanswered: Bool) {
        self.sentAt = sentAt
        self.at = at
        self.from = from
        self.to = to
        self.kind = kind
        self.detail = detail
        self.unanswered = unanswered
    }
}

/// A free-text note on a quote, an order or one of their items (`Note`), for processes with a human in the loop.
public struct Note: Codable, Sendable, Hashable {
    /// The note's identifier within the entity that holds it.
    public let id: String
    /// Who wrote it.
    public let author: String
    /// When it was written.
    public let date: MEFDateTime
    /// Whether the Buyer or the Seller wrote it.
    public let source: NoteSource
    /// The text.
    public let text: String

    public init(id: String, author: String, date: MEFDateTime, source: NoteSource, text: String) {
        self.id = id
        self.author = author
        self.date = date
        self.source = source
        self.text = text
    }
}

/// Which party wrote a note (`MEFBuyerSellerType`).
public enum NoteSource: String, SonataEnum {
    case buyer, seller
}

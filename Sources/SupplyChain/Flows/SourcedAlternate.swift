import Ledger

/// A lower-bandwidth alternate and where it comes from.
public struct SourcedAlternate: Sendable, Hashable {
    public let source: Source
    public let offer: AlternateOffer

    public init(source: Source, offer: AlternateOffer) {
        self.source = source
        self.offer = offer
    }
}

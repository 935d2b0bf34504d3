import Ledger

/// A buyer's POQ or inquiry as this provider knows it.
public struct RequestKey: Hashable, Sendable {
    public let buyer: PartyID
    public let requestID: RequestID

    public init(buyer: PartyID, requestID: RequestID) {
        self.buyer = buyer
        self.requestID = requestID
    }
}

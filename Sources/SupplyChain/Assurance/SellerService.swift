import Ledger

/// A service bought from a seller, named as the seller names it (PDL-085: the seller's service id in that pair).
public struct SellerService: Hashable, Sendable {
    public let seller: PartyID
    public let serviceID: String

    public init(seller: PartyID, serviceID: String) {
        self.seller = seller
        self.serviceID = serviceID
    }
}

/// A buyer's ticket as the S-BUS hands it to the SCO for diagnosis.
public struct TicketOpening: Sendable, Hashable {
    public let buyer: PartyID
    public let serviceID: String
    /// The buyer's ticket id.
    public let ticketID: String
    /// This provider's reference for it.
    public let sellerTicketID: String
    public let report: TicketReport

    public init(buyer: PartyID, serviceID: String, ticketID: String, sellerTicketID: String, report: TicketReport) {
        self.buyer = buyer
        self.serviceID = serviceID
        self.ticketID = ticketID
        self.sellerTicketID = sellerTicketID
        self.report = report
    }
}

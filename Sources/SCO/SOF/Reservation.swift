import SupplyChain

/// The SOF's answer to a reservation (PDL-027, PDL-028): "Available" or "Rejected" with the reason.
public struct Reservation: Sendable, Hashable {
    public let available: Bool
    public let detail: String

    public init(available: Bool, detail: String) {
        self.available = available
        self.detail = detail
    }
}

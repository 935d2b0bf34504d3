import Ledger
import SupplyChain

/// Where each provider got each item of each request: the trail a driver follows to show an item's path down the
/// chain. Both drivers fill one (the simulator from trace events, `broker cluster` from the nodes' trace logs).
public struct SourcingTrail: Sendable {
    enum Step: Sendable {
        case external(seller: PartyID, requestID: RequestID)
        case `internal`
    }

    private var steps: [String: Step] = [:]
    private var reasons: [String: String] = [:]

    public init() {}

    private static func key(_ party: PartyID, _ requestID: RequestID, _ itemID: String) -> String {
        "\(party.rawValue)|\(requestID.rawValue)|\(itemID)"
    }

    /// `party` bought `itemID` of `requestID` from `seller`, under the seller-side request `sellerRequestID`.
    public mutating func bought(
        _ party: PartyID, _ requestID: RequestID, _ itemID: String, from seller: PartyID, as sellerRequestID: RequestID
    ) {
        steps[Self.key(party, requestID, itemID)] = .external(seller: seller, requestID: sellerRequestID)
    }

    /// `party` delivers `itemID` of `requestID` itself.
    public mutating func delivered(_ party: PartyID, _ requestID: RequestID, _ itemID: String) {
        steps[Self.key(party, requestID, itemID)] = .internal
    }

    /// `party` could not source `itemID` of `requestID`, for `reason`.
    public mutating func unsourced(_ party: PartyID, _ requestID: RequestID, _ itemID: String, reason: String) {
        reasons[Self.key(party, requestID, itemID)] = reason
    }

    /// The providers an item passed through from `entry`, and why it stopped when it was not sourced.
    public func path(from entry: PartyID, requestID: RequestID, itemID: String) -> (path: [String], reason: String?) {
        var path = [entry.rawValue]
        var party = entry
        var request = requestID
        for _ in 0..<64 {
            let key = Self.key(party, request, itemID)
            switch steps[key] {
            case .external(let seller, let next)?:
                path.append(seller.rawValue)
                party = seller
                request = next
            case .internal?:
                return (path, nil)
            case nil:
                return (path, reasons[key])
            }
        }
        return (path, nil)
    }
}

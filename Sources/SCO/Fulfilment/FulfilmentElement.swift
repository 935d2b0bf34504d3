import CanonicalJSON
import Ledger
import SupplyChain

/// One element of an order: where it comes from now, what is left to fall back on, and how far it got.
struct FulfilmentElement: Sendable {
    enum Status: Equatable, Sendable {
        case awaitingAcceptance, accepted, activating
        /// Active, with what the SOF or the seller reported of it.
        case active(ActivationReport)
        case failed
    }

    let itemID: String
    let item: JSONValue
    let element: ServiceElement
    var source: Candidate
    var alternatives: [Candidate]
    var status: Status

    var isActive: Bool {
        if case .active = status { return true }
        return false
    }

    /// The seller delivering the element, `nil` when the SOF does.
    var seller: PartyID? {
        if case .seller(let party, _, _) = source.source { return party }
        return nil
    }

    /// The items of the same order this element hands off to (its `qualificationItemRelationship`s).
    var handsOffTo: [String] {
        item["qualificationItemRelationship"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }
}

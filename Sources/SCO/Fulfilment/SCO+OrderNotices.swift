import Ledger
import SupplyChain

/// What sellers and the buyer say about an order in fulfilment: acceptance, rejection, activation with its
/// evidence, failure and extension requests from sellers; cancellation and window changes from the buyer.
extension SCO {
    /// A seller's notice about the sub-order for one element (passed on by the B-BUS).
    mutating func sellerNotice(_ sellerNotice: SellerNotice, now: Instant, ids: inout IDSequence) -> [RoleStep] {
        let notice = sellerNotice.notice
        switch notice.event {
        case .changeQuoted, .changed, .outageScheduled:
            return changeAnswer(sellerNotice, now: now)
        default:
            break
        }
        let key = sellerNotice.order
        let seller = sellerNotice.seller
        let itemID = sellerNotice.itemID
        guard var state = fulfilments[key], let index = state.elements.firstIndex(where: { $0.itemID == itemID })
        else { return [] }
        switch notice.event {
        case .accepted:
            state.elements[index].status = state.phase == .accepting ? .accepted : .activating
            fulfilments[key] = state
            return state.phase == .accepting && state.allAccepted ? accept(key, now: now) : []
        case .rejected(let reason):
            state.elements[index].status = .failed
            fulfilments[key] = state
            if state.phase == .accepting {
                let rejection = Rejection("PDL-029", "\(seller) rejected element \(itemID): \(reason)")
                return close(key, reason: rejection.description, now: now)
            }
            return elementFailed(key, index, reason: "\(seller) rejected the re-sourced order: \(reason)", now: now)
        case .activated(let serviceID):
            let evidence = notice.evidence?.first { $0.itemID == itemID }
            state.elements[index].status = .active(ActivationReport(serviceID: serviceID, evidence: evidence))
            fulfilments[key] = state
            guard case .activating = state.phase, state.allActive else { return [] }
            return complete(key, now: now, ids: &ids)
        case .failed(let reason):
            return elementFailed(key, index, reason: reason, now: now)
        case .extensionRequested(let until):
            // Grant what fits in this provider's own window; beyond it, ask this provider's buyer first: its
            // answer (a window change) then goes down to every seller, this one included (PDL-059).
            if until <= state.activateBy - processing {
                return [tellSeller(key, itemID, .windowChanged(until: until))]
            }
            guard !state.extensionAsked else { return [tellSeller(key, itemID, .extensionRefused)] }
            return askForExtension(&state, until: until + processing)
        default:
            return []
        }
    }

    /// The buyer's word about an order in fulfilment (passed on by the S-BUS).
    mutating func buyerNotice(_ key: OrderKey, _ event: OrderEvent, now: Instant) -> [RoleStep] {
        guard var state = fulfilments[key] else {
            // Not an order in fulfilment: perhaps a disconnection at a date the buyer now cancels.
            if case .cancelled(let reason) = event { return withdrawDisconnection(key, reason: reason, now: now) }
            return []
        }
        switch event {
        case .cancelled(let reason):
            // PDL-056..PDL-058: the buyer abandons; release and cancel downstream, nothing more to tell the buyer.
            return close(key, reason: "cancelled by \(key.buyer): \(reason)", now: now, tellBuyer: false)
        case .windowChanged(let until):
            // PDL-059, PDL-060: the new window goes to the SOF and to every seller, on every ledger it touches.
            state.activateBy = until
            if state.phase == .activating(.pending) { state.phase = .activating(.granted) }
            fulfilments[key] = state
            return [
                .effect(
                    .record(
                        LedgerRecord(
                            counterparty: configuration.sofParty, kind: .sofWindowChanged,
                            refs: ["order": key.orderID.rawValue],
                            body: ["until": .string((until - processing).description)]))),
                .effect(.setTimer(timer(key, .activationWindow), at: until - processing)),
                .message(
                    .scoToBBUS(
                        .tellSellers(
                            order: key, itemIDs: state.elements.map(\.itemID),
                            .windowChanged(until: until - processing), closing: false))),
            ]
        case .extensionRefused:
            return close(key, reason: "the buyer refused to extend the Order Activation Window", now: now)
        default:
            return []
        }
    }

    /// A notice for the seller of one element of an order.
    func tellSeller(_ key: OrderKey, _ itemID: String, _ event: OrderEvent) -> RoleStep {
        .message(.scoToBBUS(.tellSellers(order: key, itemIDs: [itemID], event, closing: false)))
    }
}

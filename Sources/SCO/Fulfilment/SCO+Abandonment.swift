import Ledger
import SupplyChain

/// Failure and abandonment (PDL-053..PDL-058): a failed element is re-sourced from the next-ranked quote while
/// the window allows; otherwise the order ends: the SOF releases its elements, every seller's order is cancelled,
/// and the buyer hears Order Rejected or Order Failed.
extension SCO {
    /// PDL-053: an element failed; re-source it from the next-ranked quote that still fits the window, or abandon.
    mutating func elementFailed(_ key: OrderKey, _ index: Int, reason: String, now: Instant) -> [RoleStep] {
        guard var state = fulfilments[key] else { return [] }
        let failed = state.elements[index]
        var steps: [RoleStep] = []
        if failed.source.source == .internal {
            sof.release(failed.element)
            steps.append(effect: .trace(.released(orderID: key.orderID, itemIDs: [failed.itemID])))
        }
        let remaining = state.activateBy - processing - now
        while !state.elements[index].alternatives.isEmpty {
            let next = state.elements[index].alternatives.removeFirst()
            guard next.offer.installationInterval <= remaining else { continue }
            state.elements[index].source = next
            steps.append(
                effect: .record(
                    LedgerRecord(
                        counterparty: configuration.sofParty, kind: .scoResourced,
                        refs: ["order": key.orderID.rawValue, "element": failed.itemID],
                        body: ["failed": .string(reason), "now": .string(next.source.description)])))
            if next.source == .internal {
                let reservation = sof.reserve(failed.element)
                steps.append(effect: sofRecord(.sofReserve, state, index, ["answer": .string(reservation.detail)]))
                guard reservation.available else { continue }
                steps += activateInternally(&state, index, now: now)
            } else {
                steps += placeSubOrder(&state, index, acceptBy: now + processing)
            }
            fulfilments[key] = state
            return steps
        }
        fulfilments[key] = state
        // Said once, by the provider where the failure happened; the providers above pass it on as it is.
        let explanation =
            reason.contains("no alternative fits")
            ? reason : "\(configuration.party): element \(failed.itemID) failed and no alternative fits: \(reason)"
        return steps + close(key, reason: explanation, now: now)
    }

    /// Ends an order that will not be delivered: releases the SOF's elements (PDL-057), has every seller's order
    /// cancelled and recorded (PDL-058), and tells the buyer Order Rejected or Order Failed (PDL-034, PDL-054).
    mutating func close(_ key: OrderKey, reason: String, now: Instant, tellBuyer: Bool = true) -> [RoleStep] {
        guard let state = fulfilments.removeValue(forKey: key) else { return [] }
        var steps: [RoleStep] = []
        var released: [String] = []
        for (index, element) in state.elements.enumerated()
        where element.source.source == .internal && element.status != .failed
            && element.status != .awaitingAcceptance
        {
            sof.release(element.element)
            released.append(element.itemID)
            steps.append(effect: sofRecord(.sofReleased, state, index, ["reason": .string(reason)]))
        }
        let bought = state.elements.filter { $0.status != .failed }.map(\.itemID)
        steps.append(.message(.scoToBBUS(.tellSellers(order: key, itemIDs: bought, .cancelled(reason), closing: true))))
        if !released.isEmpty { steps.append(effect: .trace(.released(orderID: key.orderID, itemIDs: released))) }
        guard tellBuyer else { return steps + [.message(.scoToSBUS(.orderClosed(key)))] }
        let event: OrderEvent = state.phase == .accepting ? .rejected(reason) : .failed(reason)
        return steps + [self.tellBuyer(key, reference: state.reference, event)]
    }
}

import Ledger
import Sonata
import SupplyChain

/// A buyer's cancellation or decline of a quote (Sonata Quote v8 `cancelQuote` and `rejectQuote`, MEF 80 states): a
/// quote still being worked on (ACKNOWLEDGED, IN_PROGRESS) can be CANCELLED; one answered orderable, not expired and
/// not yet ordered (ACCEPTED) can be DECLINED. Either is recorded on the upstream ledger, and no order is accepted
/// against the quote afterwards (PDL-023).
extension SBUS {
    /// Why the S-BUS refuses `decision` from `buyer` at `now`, or `nil` when it takes it. The field at fault is the
    /// operation's `/quoteId`.
    public func refusal(of decision: QuoteDecision, from buyer: PartyID, now: Instant) -> Rejection? {
        let reference = decision.quoteReference
        func refuse(_ message: String) -> Rejection { Rejection(nil, field: "/quoteId", message) }
        if let withdrawn = withdrawnQuotes[reference], withdrawn.buyer == buyer {
            return refuse("quote \(reference) is already \(withdrawn.decision.state.rawValue)")
        }
        let working = workingQuote(reference, buyer: buyer)
        let quote = quotes[reference].flatMap { $0.buyer == buyer ? $0 : nil }
        guard (working?.request.kind ?? quote?.kind) == .inquiry else {
            return refuse("\(reference) is not a quote this provider gave \(buyer)")
        }
        switch decision.action {
        case .cancel:
            guard working == nil else { return nil }
            return refuse(
                "quote \(reference) is answered: only a quote still in progress can be cancelled (rejectQuote)")
        case .decline:
            guard let quote else {
                return refuse(
                    "quote \(reference) is still in progress: it can be cancelled (cancelQuote), not declined")
            }
            if orderedQuotes.contains(reference) {
                return refuse("quote \(reference) is accepted: an order was placed against it")
            }
            guard let validUntil = quote.validUntil else {
                return refuse("quote \(reference) offers nothing to order (rejected or unable to provide)")
            }
            if now > validUntil || quote.offersForgotten {
                return refuse("quote \(reference) expired at \(validUntil)")
            }
            return nil
        }
    }

    /// A buyer cancels or declines a quote: recorded on the upstream ledger and confirmed to the buyer. A cancelled
    /// quote is no longer worked on (its answer, when the SCO gives it, is dropped); a declined one forgets its
    /// offers. A decision the S-BUS refuses (`refusal(of:from:now:)`) changes and records nothing.
    public mutating func receive(_ decision: QuoteDecision, from buyer: PartyID, now: Instant) -> [RoleStep] {
        guard decision.decidedAt == nil, refusal(of: decision, from: buyer, now: now) == nil else { return [] }
        let reference = decision.quoteReference
        let requestID: RequestID
        if let working = workingQuote(reference, buyer: buyer) {
            requestID = working.request.id
            receipts.removeValue(forKey: RequestKey(buyer: buyer, requestID: working.request.id))
        } else if let quote = quotes[reference] {
            requestID = quote.requestID
            quotes[reference]?.forgetOffers()
        } else {
            return []
        }
        let recorded = decision.recorded(at: now)
        withdrawnQuotes[reference] = WithdrawnQuote(buyer: buyer, requestID: requestID, decision: recorded)
        var body: [String: CanonicalBody] = [
            "quoteId": .string(reference), "state": .string(recorded.state.rawValue),
            "decidedAt": .string(now.description),
        ]
        if let reason = decision.reason { body["reason"] = .string(reason) }
        let kind: LedgerKind = decision.action == .cancel ? .quoteCancelled : .quoteDeclined
        return [
            .effect(
                .record(
                    LedgerRecord(
                        counterparty: buyer, kind: kind, refs: ["request": requestID.rawValue, "quote": reference],
                        body: .object(body)))),
            .effect(.send(to: buyer, .quoteDecision(recorded))),
        ]
    }

    /// The quote `buyer` cancelled or declined, if it did.
    public func withdrawal(of reference: String, buyer: PartyID) -> WithdrawnQuote? {
        withdrawnQuotes[reference].flatMap { $0.buyer == buyer ? $0 : nil }
    }

    /// Whether an order was accepted against the quote (ACCEPTED).
    public func isOrdered(_ reference: String) -> Bool { orderedQuotes.contains(reference) }

    /// The receipt of `buyer`'s request that the S-BUS answers as `reference`, while it is worked on.
    private func workingQuote(_ reference: String, buyer: PartyID) -> Receipt? {
        receipts.first { $0.key.buyer == buyer && $0.value.sellerReference == reference }?.value
    }
}

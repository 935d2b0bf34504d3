import CanonicalJSON
import Ledger
import Sonata
import SupplyChain

/// The order desk (ETSI PDL "Order"): an order must reference a quote this provider gave the buyer, still valid,
/// and repeat it unchanged (PDL-019..PDL-023); what passes goes to the SCO for fulfilment. Changes and renewals go
/// to the SCO, which keeps the inventory, and so do disconnections at a date.
extension SBUS {
    /// A buyer's order, change, renewal or disconnection arrives.
    public mutating func receive(
        _ order: OrderRequest, from buyer: PartyID, now: Instant, ids: inout IDSequence
    ) -> [RoleStep] {
        let key = OrderKey(buyer: buyer, orderID: order.id)
        // Delivered twice: the first one stands.
        if case .provide = desk[key]?.process { return [] }
        switch order.action {
        case .provide(let quoteReference, let items):
            let reference = ids.next("order")
            switch check(order, buyer: buyer, quoteReference: quoteReference, items: items, now: now) {
            case .failure(let rejection):
                return notice(
                    to: buyer, order: order.id, reference: reference, .rejected(rejection.description), now: now
                )
                .map(RoleStep.effect)
            case .success(let elements):
                desk[key] = DeskEntry(reference: reference, process: .provide)
                orderedQuotes.insert(quoteReference)
                let placement = OrderPlacement(
                    key: key, order: order, reference: reference, quoteReference: quoteReference, elements: elements)
                notePrices(of: placement)
                return [.message(.sbusToSCO(.fulfil(placement)))]
            }
        case .change(let serviceID, let change):
            let reference = ids.next("chg")
            desk[key] = DeskEntry(reference: reference, process: .change)
            let changeOrder = ServiceChangeOrder(
                key: key, order: order, reference: reference, serviceID: serviceID, change: change)
            return [.message(.sbusToSCO(.change(changeOrder)))]
        case .renew(let serviceID, let term):
            let reference = ids.next("renewal")
            let renewal = RenewalOrder(key: key, order: order, reference: reference, serviceID: serviceID, term: term)
            return [.message(.sbusToSCO(.renew(renewal)))]
        case .disconnect(let serviceID, let at):
            let reference = ids.next("disc")
            let disconnection = DisconnectionOrder(
                key: key, order: order, reference: reference, serviceID: serviceID, at: at)
            return [.message(.sbusToSCO(.disconnect(disconnection)))]
        }
    }

    /// The buyer's word about an order in fulfilment (a cancellation, an answer to an extension request).
    public func receive(_ notice: OrderNotice, from buyer: PartyID) -> [RoleStep] {
        [.message(.sbusToSCO(.buyerNotice(OrderKey(buyer: buyer, orderID: notice.orderID), notice.event)))]
    }

    /// PDL-020..PDL-023: the quote exists, was given to this buyer, answered an inquiry, is still valid, and the
    /// order repeats every item unchanged. Returns the quoted elements with their sources, best first.
    func check(
        _ order: OrderRequest, buyer: PartyID, quoteReference: String, items: [JSONValue], now: Instant
    ) -> Result<[QuotedElement], Rejection> {
        func reject(
            _ requirement: String?, field: String? = nil, _ message: String
        ) -> Result<[QuotedElement], Rejection> {
            .failure(Rejection(requirement, field: field, message))
        }
        // PDL-020, PDL-023: a valid quote id, given to this buyer, not cancelled or declined, still valid.
        if let withdrawn = withdrawnQuotes[quoteReference], withdrawn.buyer == buyer {
            return reject("PDL-023", "quote \(quoteReference) was \(withdrawn.decision.state.rawValue) by the buyer")
        }
        // A POQ's answer is not kept (it can never be ordered): it gets the same answer as an unknown reference,
        // which says why, and tells nobody whether the reference exists.
        guard let quote = quotes[quoteReference], quote.buyer == buyer, quote.kind == .inquiry else {
            return .failure(.notAQuote(quoteReference, buyer: buyer))
        }
        // A quote whose offers were forgotten expired before an earlier input's time (a clock set back cannot
        // revive it).
        if let validUntil = quote.validUntil, now > validUntil || quote.offersForgotten {
            return reject("PDL-023", "quote \(quoteReference) expired at \(validUntil)")
        }
        // PDL-021, PDL-022: the order may not change what was quoted; a change needs a new quote.
        let ordered = Dictionary(items.compactMap { item in item["id"]?.stringValue.map { ($0, item) } }) { first, _ in
            first
        }
        for (itemID, quoted) in quote.items.sorted(by: { $0.key < $1.key }) {
            guard let item = ordered[itemID] else {
                return reject("PDL-021", "item \(itemID) of quote \(quoteReference) is missing from the order")
            }
            if let difference = quoted.firstDifference(from: item) {
                return reject(
                    "PDL-021", field: difference,
                    "item \(itemID) differs from quote \(quoteReference) at \(difference); request a new quote (PDL-022)"
                )
            }
        }
        if let extra = ordered.keys.sorted().first(where: { quote.items[$0] == nil }) {
            return reject("PDL-021", "item \(extra) was not quoted in \(quoteReference)")
        }
        var elements: [QuotedElement] = []
        for answer in quote.answers {
            guard let sources = quote.sources[answer.itemID], !sources.isEmpty, let item = quote.items[answer.itemID]
            else {
                return reject(nil, "item \(answer.itemID) was quoted as not deliverable")
            }
            let element =
                (try? item.decode(ProductOfferingQualificationItemCreate.self)).map(ServiceElement.init(item:))
                ?? ServiceElement(itemID: answer.itemID, offering: "", place: nil, bandwidthMbps: nil)
            elements.append(QuotedElement(itemID: answer.itemID, item: item, element: element, sources: sources))
        }
        return .success(elements)
    }
}

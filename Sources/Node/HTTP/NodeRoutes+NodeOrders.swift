import CanonicalJSON
import Foundation
import Ledger
import Sonata
import SupplyChain

/// Changes, renewals and disconnections between nodes as plain Sonata v10 orders: one `modify` or `delete` item on
/// the seller's product, read by the same routes as a plain buyer's, and the `X-SCBroker-Order-Windows` header with
/// the exact instants Sonata has no field for (README.md, "Live nodes").
extension NodeRoutes {
    /// The instants of a node's order that Sonata cannot carry exactly.
    struct OrderWindows: Equatable {
        var acceptBy: Instant
        var activateBy: Instant
        /// A renewal's new term, its start and end (Sonata's `requestedItemTerm` has only a duration).
        var termStart: Instant?
        var termEnd: Instant?

        var header: String {
            var fields = ["acceptBy=\(acceptBy.milliseconds)", "activateBy=\(activateBy.milliseconds)"]
            if let termStart, let termEnd {
                fields += ["termStart=\(termStart.milliseconds)", "termEnd=\(termEnd.milliseconds)"]
            }
            return fields.joined(separator: "; ")
        }

        /// Reads a header value; `nil` when it is absent or not of that shape.
        init?(header: String?) {
            guard let header else { return nil }
            var values: [String: Instant] = [:]
            for field in header.split(separator: ";") {
                let parts = field.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let milliseconds = Int64(parts[1]) else { return nil }
                values[parts[0]] = Instant(milliseconds: milliseconds)
            }
            guard let acceptBy = values["acceptBy"], let activateBy = values["activateBy"] else { return nil }
            self.init(
                acceptBy: acceptBy, activateBy: activateBy, termStart: values["termStart"], termEnd: values["termEnd"])
        }

        init(acceptBy: Instant, activateBy: Instant, termStart: Instant? = nil, termEnd: Instant? = nil) {
            self.acceptBy = acceptBy
            self.activateBy = activateBy
            self.termStart = termStart
            self.termEnd = termEnd
        }
    }

    /// A node's change, renewal or disconnection as a plain Sonata `ProductOrder_Create` (`externalId` the order id,
    /// one `modify` or `delete` item on `product.id`, the due date as `requestedCompletionDate`) and the header
    /// with the exact instants; `nil` for an order of a quote, which travels in the supply envelope.
    static func plainOrder(
        _ order: OrderRequest, buyer: PartyID
    ) -> (create: ProductOrderCreate, windows: OrderWindows)? {
        let due = MEFDateTime(order.activateBy.date)
        var windows = OrderWindows(acceptBy: order.acceptBy, activateBy: order.activateBy)
        let item: ProductOrderItemCreate
        switch order.action {
        case .provide:
            return nil
        case .change(let serviceID, let change):
            var configuration: JSONValue?
            if let bandwidth = change.bandwidthMbps {
                configuration = ["@type": "urn:scbroker:product:v1", "bandwidthMbps": .number(Double(bandwidth))]
            }
            let place: [JSONValue]? = change.place.map {
                [["@type": "GeographicSiteRef", "id": .string($0), "role": "INSTALL_LOCATION"]]
            }
            item = ProductOrderItemCreate(
                id: "1", action: .modify,
                product: OrderProductRefOrValue(
                    id: ProductID(rawValue: serviceID), productConfiguration: configuration, place: place),
                requestedCompletionDate: due)
        case .renew(let serviceID, let term):
            windows.termStart = term.start
            windows.termEnd = term.end
            item = ProductOrderItemCreate(
                id: "1", action: .modify, product: OrderProductRefOrValue(id: ProductID(rawValue: serviceID)),
                requestedCompletionDate: due,
                requestedItemTerm: MEFItemTerm(
                    name: "renewal",
                    duration: Duration(amount: max(term.length.wholeDaysRoundedUp, 1), units: .calendarDays),
                    endOfTermAction: term.endOfTermAction,
                    rollInterval: term.endOfTermAction == .roll ? Duration(amount: 30, units: .calendarDays) : nil))
        case .disconnect(let serviceID, _):
            item = ProductOrderItemCreate(
                id: "1", action: .delete, product: OrderProductRefOrValue(id: ProductID(rawValue: serviceID)),
                requestedCompletionDate: due)
        }
        let contact = RelatedContactInformation(
            name: buyer.rawValue, emailAddress: "orders@\(buyer.rawValue.lowercased()).invalid", number: "+000",
            role: "buyerContactInformation")
        return (
            ProductOrderCreate(
                relatedContactInformation: [contact], productOrderItem: [item], externalId: order.id.rawValue),
            windows
        )
    }
}

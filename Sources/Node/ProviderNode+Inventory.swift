import CanonicalJSON
import Foundation
import Ledger
import SCO
import Sonata
import SupplyChain

/// The product inventory a live node shows its buyers (Sonata Product Inventory v7): each service in operation (or
/// ended) the SCO keeps, with the order items that made and changed it, the price quoted for it, and every term.
extension ProviderNode {
    /// The products this node sold `buyer`, by id.
    public func products(of buyer: PartyID) -> [MEFProduct] {
        // The buyer's orders on its services gathered once for the whole list: a scan of every order per product
        // made the list quadratic.
        let later = laterOrders(of: buyer)
        return core.view.serviceIDs(of: buyer).compactMap { product(id: $0, later: later)?.product }
    }

    /// The service in the SCO's inventory with this id (the product's id), active or ended.
    public func service(id: String) -> ServiceRecord? { core.view.service(id) }

    /// The product with this id, and whose it is.
    public func product(id: String) -> (buyer: PartyID, product: MEFProduct)? {
        product(id: id, later: nil)
    }

    /// `product(id:)`, with the buyer's `laterOrders` when already gathered.
    private func product(
        id: String, later: [String: [OrderResource]]?
    ) -> (buyer: PartyID, product: MEFProduct)? {
        guard let service = core.view.service(id), service.activatedAt != nil else { return nil }
        let later = later ?? laterOrders(of: service.buyer)
        return (service.buyer, render(service, later: later[service.serviceID] ?? []))
    }

    /// `buyer`'s orders that changed, renewed or disconnected a service, by the service, oldest first.
    private func laterOrders(of buyer: PartyID) -> [String: [OrderResource]] {
        var later: [String: [OrderResource]] = [:]
        for resource in orders(of: buyer) {
            switch resource.request.action {
            case .change(let serviceID, _), .renew(let serviceID, _), .disconnect(let serviceID, _):
                later[serviceID, default: []].append(resource)
            case .provide: continue
            }
        }
        return later
    }

    /// The product of `service`, with `later`: the orders that changed or renewed it since, oldest first.
    private func render(_ service: ServiceRecord, later: [OrderResource]) -> MEFProduct {
        let orderHref = configuration.publicURL + NodeRoutes.productOrderPath
        let provide = orderOfExchange[Exchange(buyer: service.buyer, requestID: service.orderID)]
            .flatMap { orderResources[$0] }
        var items: [ProductOrderItemRef] = []
        var quotedItems: [JSONValue] = []
        var prices: [ProductPrice] = []
        if let provide, case .provide(let quoteReference, let quoted) = provide.request.action {
            quotedItems = quoted
            items = quoted.compactMap { $0["id"]?.stringValue }.map {
                ProductOrderItemRef(
                    productOrderId: provide.id, productOrderItemId: $0, productOrderHref: orderHref + "/" + provide.id)
            }
            let answer = answer(reference: quoteReference, buyer: service.buyer)
            prices = (answer?.items ?? []).compactMap { item in
                item.offer?.price.map { money in
                    ProductPrice(
                        name: "monthly recurring", description: "quote \(quoteReference) item \(item.itemID)",
                        priceType: .recurring, recurringChargePeriod: .month,
                        price: Price(dutyFreeAmount: MEFMoney(unit: money.currency, value: money.amount)))
                }
            }
        }
        // Each change's one-off price, as the seller quoted it (PDL-116), beside the monthly price.
        for resource in later {
            for notice in resource.notices {
                guard case .changeQuoted(let money, _) = notice.event else { continue }
                prices.append(
                    ProductPrice(
                        name: "change", description: "order \(resource.id)", priceType: .nonRecurring,
                        price: Price(dutyFreeAmount: MEFMoney(unit: money.currency, value: money.amount))))
            }
        }
        items += later.map {
            ProductOrderItemRef(
                productOrderId: $0.id, productOrderItemId: "1", productOrderHref: orderHref + "/" + $0.id)
        }
        let notices = ([provide].compactMap { $0 } + later).flatMap(\.notices)
        let terminatedAt = notices.last { notice in
            if case .disconnected(let serviceID) = notice.event { return serviceID == service.serviceID }
            return false
        }?.at
        let updatedAt = notices.filter { notice in
            switch notice.event {
            case .activated, .changed, .renewed, .disconnected: true
            default: false
            }
        }.map(\.at).max()
        let start = service.activatedAt ?? provide?.receivedAt ?? Instant(milliseconds: 0)
        let status: ProductStatus =
            switch service.state {
            case .active: .active
            case .pendingTerminate: .pendingTerminate
            case .terminated: .terminated
            }
        let asked = quotedItems.first?["product"]
        var configuration = asked?["productConfiguration"]
        // A bandwidth change since the order: the configuration as it stands now.
        if case .object(var fields)? = configuration, let bandwidth = service.elements.first?.element.bandwidthMbps {
            fields["bandwidthMbps"] = .number(Double(bandwidth))
            configuration = .object(fields)
        }
        let role = asked?["place"]?.arrayValue?.first?["role"]?.stringValue ?? "INSTALL_LOCATION"
        var places: [String] = []
        for place in service.elements.compactMap(\.element.place) where !places.contains(place) { places.append(place) }
        let offering = asked?["productOffering"]?["id"]?.stringValue ?? service.elements.first?.element.offering
        var changes = [ProductStatusChange(status: .active, changeDate: MEFDateTime(start.date))]
        if status != .active {
            changes.append(
                ProductStatusChange(status: status, changeDate: MEFDateTime((terminatedAt ?? updatedAt ?? start).date)))
        }
        return MEFProduct(
            id: service.serviceID,
            href: self.configuration.publicURL + NodeRoutes.productInventoryPath + "/" + service.serviceID,
            status: status, startDate: MEFDateTime(start.date),
            terminationDate: status == .terminated ? terminatedAt.map { MEFDateTime($0.date) } : nil,
            lastUpdateDate: updatedAt.map { MEFDateTime($0.date) }, externalId: service.orderID.rawValue,
            productOffering: offering.map { ProductOfferingRef(id: $0) }, productConfiguration: configuration,
            productPrice: prices.isEmpty ? nil : prices, productOrderItem: items.isEmpty ? nil : items,
            productTerm: service.terms.isEmpty
                ? nil : service.terms.enumerated().map { Self.itemTerm(number: $0.offset, $0.element) },
            relatedSite: places.isEmpty ? nil : places.map { RelatedGeographicSite(id: $0, role: role) },
            statusChange: changes)
    }

    /// The `number`th term (from 0) as a Sonata item term: its length in days, its dates in the description.
    static func itemTerm(number: Int, _ term: ProductTerm) -> MEFItemTerm {
        itemTerm(name: "term \(number + 1)", term)
    }

    /// A term as a Sonata item term named `name`: its length in days, its dates in the description.
    static func itemTerm(name: String, _ term: ProductTerm) -> MEFItemTerm {
        MEFItemTerm(
            name: name,
            description: "from \(MEFDateTime(term.start.date)) to \(MEFDateTime(term.end.date))",
            duration: Duration(amount: term.length.wholeDaysRoundedUp, units: .calendarDays),
            endOfTermAction: term.endOfTermAction,
            rollInterval: term.endOfTermAction == .roll ? Duration(amount: 30, units: .calendarDays) : nil)
    }
}

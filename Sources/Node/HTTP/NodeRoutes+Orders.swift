import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import SCO
import Sonata
import SupplyChain

/// Product ordering (Sonata Product Order v10): the seller side (create, read, cancel, delivery-date answers)
/// and the buyer side (the notification listener), plus the stepped-clock routes a cluster's controller uses.
extension NodeRoutes {
    public static let productOrderBase = "/mefApi/sonata/productOrderingManagement/v10"
    public static let productOrderPath = productOrderBase + "/productOrder"
    public static let cancelProductOrderPath = productOrderBase + "/cancelProductOrder"
    public static let modifyDeliveryDatePath = productOrderBase + "/modifyProductOrderItemRequestedDeliveryDate"
    public static let productOrderHubPath = productOrderBase + "/hub"
    public static let orderListenerBase = "/mefApi/sonata/productOrderNotification/v10/listener"
    public static let clockPath = "/clock/v1"

    /// Where a buyer sends `message` at its seller: an order to `productOrder`, a cancellation to
    /// `cancelProductOrder`, an answer to an extension request to `modifyProductOrderItemRequestedDeliveryDate`.
    public static func sellerPath(for message: Message) -> String {
        if case .ticket = message { return troubleTicketPath }
        if case .performance = message { return performanceReportPath }
        if let path = billingSellerPath(for: message) { return path }
        if case .orderNotice(let notice) = message {
            if case .cancelled = notice.event { return cancelProductOrderPath }
            return modifyDeliveryDatePath
        }
        return productOrderPath
    }

    /// How long a buyer of a plain Sonata order leaves the seller to accept it.
    static let plainOrderAcceptance = TimeSpan.hours(1)

    static func addOrderRoutes(to router: Router<BasicRequestContext>, node: ProviderNode, verifier: RequestVerifier) {
        let limit = node.configuration.maxBodyBytes
        signedRoute(router, .post, RouterPath(productOrderPath), limit: limit, verifier: verifier, json: true) {
            incoming, request, _ in
            let order: OrderRequest
            switch await orderRequest(incoming, node: node) {
            case .success(let value): order = value
            case .failure(let refusal): return refusal.response
            }
            let replyTo: String?
            switch checkedReplyTo(incoming, node: node) {
            case .success(let value): replyTo = value
            case .failure(let refusal): return refusal.response
            }
            guard let resource = await node.placeOrder(order, from: incoming.party, replyTo: replyTo) else {
                return error(MEFError(code: .internalError, reason: "the order was not taken"))
            }
            return orderAnswer(resource, node: node, status: .created)
        }
        signedRoute(router, .get, RouterPath(productOrderPath), limit: limit, verifier: verifier, json: false) {
            incoming, request, _ in
            let href = node.configuration.publicURL + productOrderPath
            return json(.ok, await node.orders(of: incoming.party).map { $0.sonata(href: href) })
        }
        signedRoute(router, .get, RouterPath(productOrderPath + "/{id}"), limit: limit, verifier: verifier, json: false)
        { incoming, request, context in
            let id = context.parameters.get("id") ?? ""
            guard let resource = await node.order(id: id) else {
                return error(MEFError(code: .notFound, reason: "no productOrder '\(id)'"))
            }
            guard resource.buyer == incoming.party else {
                return error(MEFError(code: .accessDenied, reason: "this productOrder is another buyer's"))
            }
            return orderAnswer(resource, node: node, status: .ok)
        }
        for path in [cancelProductOrderPath, modifyDeliveryDatePath] {
            signedRoute(router, .post, RouterPath(path), limit: limit, verifier: verifier, json: true) {
                incoming, request, _ in
                let message = incoming.message
                if message == nil, path == cancelProductOrderPath {
                    return await plainCancel(incoming, node: node)
                }
                guard let message,
                    case .orderNotice(let notice) = message, notice.event.isFromBuyer
                else {
                    return error(
                        MEFError(
                            code: .invalidBody,
                            reason: "expected a \(NodeHeaders.supplyChainMediaType) body with a buyer's order notice"))
                }
                await node.receive(.orderNotice(notice), from: incoming.party)
                return Response(status: .created)
            }
        }
        signedRoute(
            router, .post, RouterPath(orderListenerBase + "/{eventType}"), limit: limit, verifier: verifier, json: true
        ) { incoming, request, _ in
            guard let message = incoming.message,
                case .orderNotice(let notice) = message, !notice.event.isFromBuyer
            else {
                return error(
                    MEFError(
                        code: .invalidBody,
                        reason: "expected a \(NodeHeaders.supplyChainMediaType) body with a seller's order notice"))
            }
            await node.receive(.orderNotice(notice), from: incoming.party)
            return Response(status: .noContent)
        }
    }

    /// `POST …/v10/cancelProductOrder` from a plain buyer: a Sonata `CancelProductOrder_Create` naming one of its
    /// disconnection (`delete`) orders, accepted and not yet carried out. The S-BUS takes it as the buyer's
    /// cancellation: the SCO withdraws the disconnection here and down the chain, and the order ends `cancelled`
    /// (`order.disconnect_withdrawn`); 201 with the `CancelProductOrder` (`done`). A missing or malformed field is
    /// 422 naming it (`/productOrder/productOrderId`, `/relatedContactInformation`, `/cancellationReason`,
    /// `/cancellationReasonType`); an unknown order is 422 `referenceNotFound`, another buyer's 403; any other
    /// order, or a disconnection already carried out, is 422 `invalidValue` on `/productOrder/productOrderId`.
    /// None of those reaches the core or the ledger.
    static func plainCancel(_ incoming: Incoming, node: ProviderNode) async -> Response {
        func refuse(_ code: MEFErrorCode, _ path: String, _ reason: String) -> Response {
            json(.unprocessableContent, [MEFError(code: code, reason: reason, propertyPath: path)])
        }
        guard let body = incoming.json, case .object = body else {
            return error(MEFError(code: .invalidBody, reason: "expected a CancelProductOrder_Create object"))
        }
        guard let reference = body["productOrder"]?["productOrderId"] else {
            return refuse(.missingProperty, "/productOrder/productOrderId", "the order to cancel is missing")
        }
        guard let id = reference.stringValue, !id.isEmpty else {
            return refuse(.invalidValue, "/productOrder/productOrderId", "expected the order's id, a string")
        }
        guard let contactValue = body["relatedContactInformation"] else {
            return refuse(.missingProperty, "/relatedContactInformation", "the buyer's contact is missing")
        }
        guard let contacts = try? contactValue.decode([RelatedContactInformation].self) else {
            return refuse(
                .invalidValue, "/relatedContactInformation", "expected RelatedContactInformation objects")
        }
        let reason = body["cancellationReason"]
        if let reason, reason.stringValue == nil {
            return refuse(.invalidValue, "/cancellationReason", "expected a string")
        }
        let reasonType = body["cancellationReasonType"]
        if let reasonType, !["technical", "commercial"].contains(reasonType.stringValue ?? "") {
            return refuse(.invalidValue, "/cancellationReasonType", "expected 'technical' or 'commercial'")
        }
        guard let resource = await node.order(id: id) else {
            return refuse(.referenceNotFound, "/productOrder/productOrderId", "no productOrder '\(id)'")
        }
        guard resource.buyer == incoming.party else {
            return error(MEFError(code: .accessDenied, reason: "this productOrder is another buyer's"))
        }
        guard case .disconnect(_, let at) = resource.request.action else {
            return refuse(
                .invalidValue, "/productOrder/productOrderId",
                "only a disconnection (a `delete` order) not yet carried out can be cancelled over Sonata; '\(id)' is not one"
            )
        }
        guard resource.state == .inProgress, node.clock.now() < at else {
            return refuse(
                .invalidValue, "/productOrder/productOrderId",
                "'\(id)' is \(resource.state.rawValue): its disconnection was carried out or refused already")
        }
        let text = reason?.stringValue ?? "cancelled by the buyer"
        let notice = OrderNotice(
            orderID: resource.request.id, sellerOrderReference: id, event: .cancelled(text), at: node.clock.now())
        await node.receive(.orderNotice(notice), from: incoming.party)
        let after = await node.order(id: id)
        let done = after?.state == .cancelled
        let href = node.configuration.publicURL + productOrderPath
        let answer = CancelProductOrder(
            id: id + "-cancel", href: node.configuration.publicURL + cancelProductOrderPath + "/" + id + "-cancel",
            productOrder: CancelProductOrder.OrderRef(productOrderId: id, productOrderHref: href + "/" + id),
            state: done ? .done : .rejected, cancellationReason: reason?.stringValue,
            cancellationReasonType: reasonType?.stringValue,
            cancellationDeniedReason: done ? nil : "the disconnection could no longer be withdrawn",
            relatedContactInformation: contacts)
        return json(.created, answer)
    }

    /// `POST …/v10/hub` and `DELETE …/v10/hub/{id}`: a buyer's listener for its order notifications.
    static func addOrderHubRoutes(
        to router: Router<BasicRequestContext>, node: ProviderNode, verifier: RequestVerifier
    ) {
        addHubRoutes(
            to: router, path: productOrderHubPath, node: node, verifier: verifier,
            register: { input, buyer in await node.registerOrderHub(input, buyer: buyer) },
            delete: { id, buyer in await node.deleteOrderHub(id: id, buyer: buyer) })
    }

    /// `POST {path}` and `DELETE {path}/{id}`: a plain Sonata buyer's listener (`EventSubscriptionInput`), its
    /// callback only on the buyer's configured origins (422 otherwise); 201 with the subscription / 204, 404 when
    /// the buyer has no such hub.
    static func addHubRoutes(
        to router: Router<BasicRequestContext>, path: String, node: ProviderNode, verifier: RequestVerifier,
        register: @escaping @Sendable (EventSubscriptionInput, PartyID) async -> EventSubscription?,
        delete: @escaping @Sendable (String, PartyID) async -> Bool
    ) {
        let limit = node.configuration.maxBodyBytes
        signedRoute(router, .post, RouterPath(path), limit: limit, verifier: verifier, json: true) {
            incoming, _, _ in
            guard let input = try? JSONDecoder().decode(EventSubscriptionInput.self, from: incoming.body) else {
                return error(MEFError(code: .invalidBody, reason: "not an EventSubscriptionInput (callback, query)"))
            }
            if case .failure(let refusal) = node.outbound.check(input.callback, for: incoming.party) {
                return unprocessable(field: "/callback", refusal)
            }
            guard let subscription = await register(input, incoming.party) else {
                return error(MEFError(code: .internalError, reason: "the hub was not registered"))
            }
            return json(.created, subscription)
        }
        signedRoute(router, .delete, RouterPath(path + "/{id}"), limit: limit, verifier: verifier, json: false) {
            incoming, _, context in
            let id = context.parameters.get("id") ?? ""
            guard await delete(id, incoming.party) else {
                return error(MEFError(code: .notFound, reason: "no hub '\(id)' of this buyer"))
            }
            return Response(status: .noContent)
        }
    }

    /// The order in a create request: the core's order in a supply envelope, or a plain Sonata
    /// `ProductOrder_Create` whose items all point at items of one quote this node gave the buyer.
    private static func orderRequest(
        _ incoming: Incoming, node: ProviderNode
    ) async -> Result<
        OrderRequest, ResponseError
    > {
        let type = incoming.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix(NodeHeaders.supplyChainMediaType) {
            guard let message = incoming.message,
                case .order(let order) = message
            else {
                return .failure(
                    ResponseError(error(MEFError(code: .invalidBody, reason: "the envelope holds no order"))))
            }
            return .success(order)
        }
        // A term without its duration: 422 naming it (the schema requires it), not a 400 for the whole body.
        for (index, item) in (incoming.json?["productOrderItem"]?.arrayValue ?? []).enumerated() {
            if let term = item["requestedItemTerm"], term["duration"] == nil {
                let path = "/productOrderItem/\(index)/requestedItemTerm/duration"
                return .failure(
                    ResponseError(
                        json(
                            .unprocessableContent,
                            [MEFError(code: .missingProperty, reason: "\(path) is required", propertyPath: path)])))
            }
        }
        let create: ProductOrderCreate
        do {
            create = try JSONDecoder().decode(ProductOrderCreate.self, from: incoming.body)
        } catch {
            let (path, problem) = MEFError.describe(error)
            return .failure(
                ResponseError(
                    Self.error(
                        MEFError(
                            code: .invalidBody, reason: "not a ProductOrder_Create: \(problem)", propertyPath: path))))
        }
        // From another node: the exact instants beside the Sonata order (absent from a plain buyer's).
        let windows = OrderWindows(header: incoming.headers[NodeHeaders.orderWindows])
        if create.productOrderItem.contains(where: { $0.action == .delete }) {
            return await deleteRequest(create, buyer: incoming.party, node: node, windows: windows)
        }
        if create.productOrderItem.contains(where: { $0.action == .modify }) {
            return await modifyRequest(create, buyer: incoming.party, node: node, windows: windows)
        }
        func unprocessable(_ path: String, _ reason: String) -> Result<OrderRequest, ResponseError> {
            .failure(
                ResponseError(Self.unprocessable([ValidationFinding(path: path, rule: "PDL-020", message: reason)])))
        }
        let references = create.productOrderItem.map(\.quoteItem)
        guard let first = references.first, let quoteID = first?.quoteId,
            references.allSatisfy({ $0?.quoteId == quoteID })
        else {
            return unprocessable(
                "/productOrderItem", "every item must reference (quoteItem) an item of one quote from this seller")
        }
        if let withdrawn = await node.withdrawal(of: quoteID.rawValue, buyer: incoming.party) {
            // PDL-023: the buyer cancelled or declined it; refused here, so that nothing is recorded.
            return .failure(
                ResponseError(
                    Self.unprocessable([
                        ValidationFinding(
                            path: "/productOrderItem/0/quoteItem/quoteId", rule: "PDL-023",
                            message: "quote \(quoteID) was \(withdrawn.decision.state.rawValue) by the buyer")
                    ])))
        }
        guard let quoted = await node.quotedItems(quoteID.rawValue, buyer: incoming.party) else {
            // PDL-020: not a quote id this seller gave in the quote phase (a POQ's answer is none).
            return unprocessable(
                "/productOrderItem/0/quoteItem/quoteId",
                Rejection.notAQuote(quoteID.rawValue, buyer: incoming.party).message)
        }
        var items: [JSONValue] = []
        for (index, reference) in references.enumerated() {
            guard let itemID = reference?.id.rawValue, let item = quoted[itemID] else {
                return unprocessable(
                    "/productOrderItem/\(index)/quoteItem/id", "quote \(quoteID) has no such item")
            }
            items.append(item)
        }
        let now = node.clock.now()
        let due =
            create.requestedCompletionDate
            ?? create.productOrderItem.compactMap(\.requestedCompletionDate).max {
                $0.date < $1.date
            }
        // The product's first term: the first item's `requestedItemTerm`, from the order on (as a retail buyer's).
        var term: ProductTerm?
        if let index = create.productOrderItem.firstIndex(where: { $0.requestedItemTerm != nil }),
            let asked = create.productOrderItem[index].requestedItemTerm
        {
            guard let length = span(of: asked.duration) else {
                return .failure(
                    ResponseError(
                        Self.unprocessable([
                            ValidationFinding(
                                path: "/productOrderItem/\(index)/requestedItemTerm/duration", rule: "SONATA-SCHEMA",
                                message: "a term lasts at least one unit, at most ten years")
                        ])))
            }
            term = ProductTerm(start: now, end: now + length, endOfTermAction: asked.endOfTermAction)
        }
        return .success(
            OrderRequest(
                id: RequestID(create.externalId ?? "\(incoming.party.rawValue)-\(now.milliseconds)"),
                action: .provide(quoteReference: quoteID.rawValue, items: items), acceptBy: now + plainOrderAcceptance,
                activateBy: due.map { Instant($0.date) } ?? now + .days(90), term: term))
    }

    /// A plain Sonata order's `modify` item as the core's change or renewal of one of the buyer's products (its
    /// `product.id`): a `requestedItemTerm` starts a new term from now on (PDL: the product keeps its earlier terms);
    /// otherwise `product.productConfiguration.bandwidthMbps` changes the bandwidth and `product.place` relocates it
    /// (PDL-116..PDL-118: priced, with its outage announced). Each refusal is a 422 naming the field, and reaches
    /// neither the core nor the ledger: a product unknown or another buyer's (the same answer, so another buyer's
    /// products are not revealed), one not active, a modify beside other items, a renewal with a change.
    static func modifyRequest(
        _ create: ProductOrderCreate, buyer: PartyID, node: ProviderNode, windows: OrderWindows? = nil
    ) async -> Result<OrderRequest, ResponseError> {
        func refuse(_ code: MEFErrorCode, _ path: String, _ reason: String) -> Result<OrderRequest, ResponseError> {
            .failure(
                ResponseError(
                    json(.unprocessableContent, [MEFError(code: code, reason: reason, propertyPath: path)])))
        }
        guard create.productOrderItem.count == 1, let item = create.productOrderItem.first else {
            return refuse(
                .invalidValue, "/productOrderItem", "a modify order has one item: one product changed at a time")
        }
        guard let productID = item.product?.id?.rawValue else {
            return refuse(.missingProperty, "/productOrderItem/0/product/id", "a modify item names its product's id")
        }
        guard let service = await node.service(id: productID), service.buyer == buyer else {
            return refuse(
                .referenceNotFound, "/productOrderItem/0/product/id", "no product '\(productID)' of yours here")
        }
        guard service.state == .active else {
            return refuse(
                .invalidValue, "/productOrderItem/0/product/id", "product '\(productID)' is \(service.state.rawValue)")
        }
        let bandwidth = item.product?.productConfiguration?["bandwidthMbps"]?.numberValue
        if let bandwidth, Int(exactly: bandwidth) == nil || bandwidth <= 0 {
            return refuse(
                .invalidValue, "/productOrderItem/0/product/productConfiguration/bandwidthMbps",
                "a bandwidth is a whole number of Mbit/s above 0")
        }
        let place = item.product?.place?.first?["id"]?.stringValue
        let now = node.clock.now()
        let due = (create.requestedCompletionDate ?? item.requestedCompletionDate).map { Instant($0.date) }
        let action: OrderAction
        if let asked = item.requestedItemTerm {
            guard bandwidth == nil && place == nil else {
                return refuse(
                    .invalidValue, "/productOrderItem/0/requestedItemTerm",
                    "a renewal changes nothing else: order the change apart")
            }
            guard let length = span(of: asked.duration) else {
                return refuse(
                    .invalidValue, "/productOrderItem/0/requestedItemTerm/duration",
                    "a term lasts at least one unit, at most ten years")
            }
            let start = windows?.termStart ?? now
            let end = windows?.termEnd ?? now + length
            action = .renew(
                serviceID: productID, ProductTerm(start: start, end: end, endOfTermAction: asked.endOfTermAction))
        } else {
            guard bandwidth != nil || place != nil else {
                return refuse(
                    .missingProperty, "/productOrderItem/0/product",
                    "a modify item gives a new productConfiguration.bandwidthMbps, a new place, or a requestedItemTerm")
            }
            action = .change(
                serviceID: productID, ServiceChange(bandwidthMbps: bandwidth.map { Int($0) }, place: place))
        }
        return .success(
            OrderRequest(
                id: RequestID(create.externalId ?? "\(buyer.rawValue)-\(now.milliseconds)"), action: action,
                acceptBy: windows?.acceptBy ?? now + plainOrderAcceptance,
                activateBy: windows?.activateBy ?? due ?? now + .days(30),
                term: windows == nil ? nil : renewalTerm(action)))
    }

    /// A plain Sonata order's `delete` item as the core's disconnection of one of the buyer's products (its
    /// `product.id`) at the item's (or the order's) `requestedCompletionDate`, at once when it gives none. Each refusal
    /// is a 422 naming the field and reaches neither the core nor the ledger: a delete beside other items (one
    /// product's delete stands alone: no change or renewal of it in the same order), no product id, a product unknown
    /// or another buyer's (the same answer, as for `modify`, so another buyer's products are not revealed), one not
    /// active, a date in the past.
    static func deleteRequest(
        _ create: ProductOrderCreate, buyer: PartyID, node: ProviderNode, windows: OrderWindows? = nil
    ) async -> Result<OrderRequest, ResponseError> {
        func refuse(_ code: MEFErrorCode, _ path: String, _ reason: String) -> Result<OrderRequest, ResponseError> {
            .failure(
                ResponseError(
                    json(.unprocessableContent, [MEFError(code: code, reason: reason, propertyPath: path)])))
        }
        guard create.productOrderItem.count == 1, let item = create.productOrderItem.first else {
            let index = create.productOrderItem.firstIndex { $0.action != .delete } ?? 1
            return refuse(
                .invalidValue, "/productOrderItem/\(index)/action",
                "a delete order has one item: a product's delete is not combined with other actions")
        }
        guard let productID = item.product?.id?.rawValue else {
            return refuse(.missingProperty, "/productOrderItem/0/product/id", "a delete item names its product's id")
        }
        guard let service = await node.service(id: productID), service.buyer == buyer else {
            return refuse(
                .referenceNotFound, "/productOrderItem/0/product/id", "no product '\(productID)' of yours here")
        }
        guard service.state == .active else {
            return refuse(
                .invalidValue, "/productOrderItem/0/product/id", "product '\(productID)' is \(service.state.rawValue)")
        }
        let now = node.clock.now()
        let (path, asked): (String, MEFDateTime?) =
            item.requestedCompletionDate != nil
            ? ("/productOrderItem/0/requestedCompletionDate", item.requestedCompletionDate)
            : ("/requestedCompletionDate", create.requestedCompletionDate)
        // A node's disconnection keeps its buyer's date even when it passed in transit (the core ends it at once).
        let at = windows?.activateBy ?? asked.map { Instant($0.date) } ?? now
        guard at >= now || windows != nil else {
            return refuse(.invalidValue, path, "the disconnection date \(MEFDateTime(at.date)) is in the past")
        }
        return .success(
            OrderRequest(
                id: RequestID(create.externalId ?? "\(buyer.rawValue)-\(now.milliseconds)"),
                action: .disconnect(serviceID: productID, at: at),
                acceptBy: windows?.acceptBy ?? now + plainOrderAcceptance, activateBy: at, term: nil))
    }

    /// The order-level term of a renewal (as a node's B-BUS sends it: the new term on the order too).
    private static func renewalTerm(_ action: OrderAction) -> ProductTerm? {
        if case .renew(_, let term) = action { return term }
        return nil
    }

    /// A Sonata term duration as protocol time (a month as 30 days, business units as calendar ones); `nil` when it
    /// is not positive or longer than ten years.
    static func span(of duration: Duration) -> TimeSpan? {
        guard duration.amount > 0 else { return nil }
        let amount = Int64(duration.amount)
        let span: TimeSpan =
            switch duration.units {
            case .calendarMonths: .days(30 * min(amount, 1_000))
            case .calendarDays, .businessDays: .days(min(amount, 10_000))
            case .calendarHours, .businessHours: .hours(min(amount, 100_000))
            case .calendarMinutes, .businessMinutes: .minutes(min(amount, 10_000_000))
            }
        return span > .days(3_660) ? nil : span
    }

    private static func orderAnswer(
        _ resource: ProviderNode.OrderResource, node: ProviderNode, status: HTTPResponse.Status
    ) -> Response {
        json(status, resource.sonata(href: node.configuration.publicURL + productOrderPath))
    }

    // MARK: - The stepped clock

    /// `GET /clock/v1` (the node's activity) and `POST /clock/v1/advance` (`{"to": {"milliseconds": …}}`, and
    /// `"run": false` to set the time without running what is due yet), for the clock's controller only (403 for
    /// anyone else, 404 on a wall-clock node).
    static func addClockRoutes(to router: Router<BasicRequestContext>, node: ProviderNode, verifier: RequestVerifier) {
        guard case .stepped(_, let controller) = node.configuration.clock, let clock = node.clock as? SteppedClock
        else { return }
        signedRoute(router, .get, RouterPath(clockPath), limit: 1 << 10, verifier: verifier, json: false) {
            incoming, request, _ in
            guard incoming.party == controller else {
                return error(MEFError(code: .accessDenied, reason: "only \(controller) reads this clock"))
            }
            return json(.ok, await node.activity())
        }
        signedRoute(router, .post, RouterPath(clockPath + "/advance"), limit: 1 << 10, verifier: verifier, json: true) {
            incoming, request, _ in
            guard incoming.party == controller else {
                return error(MEFError(code: .accessDenied, reason: "only \(controller) moves this clock"))
            }
            guard let step = try? JSONDecoder().decode(ClockStep.self, from: incoming.body) else {
                return error(MEFError(code: .invalidBody, reason: "expected {\"to\": <instant>, \"run\": <bool>?}"))
            }
            if step.run ?? true {
                await clock.advance(to: step.to)
            } else {
                clock.move(to: step.to)
            }
            return json(.ok, await node.activity())
        }
    }
}

/// The body of `POST /clock/v1/advance`: the protocol time to move to, and whether to run what is due by then
/// (the default) or only set the time.
public struct ClockStep: Codable, Sendable {
    public let to: Instant
    public let run: Bool?

    public init(to: Instant, run: Bool? = nil) {
        self.to = to
        self.run = run
    }
}

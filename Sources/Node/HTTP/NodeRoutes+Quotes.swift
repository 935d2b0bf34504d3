import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Sonata
import SupplyChain

/// Quotes (Sonata Quote v8): a quote request is an inquiry to the core, and the answer to an inquiry is this
/// provider's quote, priced per item, valid until a date, and what an order must reference (PDL-019, PDL-023).
extension NodeRoutes {
    public static let quoteBase = "/mefApi/sonata/quoteManagement/v8"
    public static let quotePath = quoteBase + "/quote"
    public static let cancelQuotePath = quoteBase + "/cancelQuote"
    public static let rejectQuotePath = quoteBase + "/rejectQuote"
    public static let quoteHubPath = quoteBase + "/hub"

    static func addQuoteRoutes(to router: Router<BasicRequestContext>, node: ProviderNode, verifier: RequestVerifier) {
        let limit = node.configuration.maxBodyBytes
        signedRoute(router, .post, RouterPath(quotePath), limit: limit, verifier: verifier, json: true) {
            incoming, _, _ in
            await createQuote(incoming, node: node)
        }
        signedRoute(router, .get, RouterPath(quotePath), limit: limit, verifier: verifier, json: false) {
            incoming, request, _ in
            let filter: QuoteFilter
            switch QuoteFilter.read(request.uri.queryParameters.map { (String($0.key), String($0.value)) }) {
            case .success(let value): filter = value
            case .failure(let refusal): return error(refusal)
            }
            var quotes: [Quote] = []
            for (id, _) in await node.resources(of: incoming.party) {
                if let quote = await quote(id, buyer: incoming.party, node: node) { quotes.append(quote) }
            }
            let matching = quotes.filter(filter.matches)
            let page = Array(matching.dropFirst(filter.offset).prefix(filter.limit ?? matching.count))
            var response = json(.ok, page.map(QuoteFind.init))
            response.headers[HTTPField.Name("X-Total-Count")!] = String(matching.count)
            response.headers[HTTPField.Name("X-Result-Count")!] = String(page.count)
            return response
        }
        signedRoute(router, .get, RouterPath(quotePath + "/{id}"), limit: limit, verifier: verifier, json: false) {
            incoming, request, context in
            let id = context.parameters.get("id") ?? ""
            guard let resource = await node.resource(id: id) else {
                return error(MEFError(code: .notFound, reason: "no quote '\(id)'"))
            }
            guard resource.buyer == incoming.party else {
                return error(MEFError(code: .accessDenied, reason: "this quote is another buyer's"))
            }
            guard let quote = await quote(id, buyer: incoming.party, node: node) else {
                return error(MEFError(code: .notFound, reason: "'\(id)' answered a POQ, not an inquiry: no quote"))
            }
            return json(.ok, quote)
        }
        for (path, action) in [(cancelQuotePath, QuoteDecision.Action.cancel), (rejectQuotePath, .decline)] {
            signedRoute(router, .post, RouterPath(path), limit: limit, verifier: verifier, json: true) {
                incoming, _, _ in
                await decideQuote(incoming, action: action, node: node)
            }
        }
        addHubRoutes(
            to: router, path: quoteHubPath, node: node, verifier: verifier,
            register: { input, buyer in await node.registerQuoteHub(input, buyer: buyer) },
            delete: { id, buyer in await node.deleteQuoteHub(id: id, buyer: buyer) })
    }

    /// The quote `id` as `buyer` sees it now; nil when it is not `buyer`'s or answered a POQ, not an inquiry.
    static func quote(_ id: String, buyer: PartyID, node: ProviderNode) async -> Quote? {
        guard let resource = await node.resource(id: id), resource.buyer == buyer,
            let answer = await node.answer(reference: id, buyer: buyer), answer.kind == .inquiry
        else { return nil }
        return Quote(
            answer, request: resource.request, href: node.configuration.publicURL + quotePath,
            withdrawn: await node.withdrawal(of: id, buyer: buyer)?.decision, ordered: await node.isOrdered(id),
            now: node.clock.now())
    }

    /// `POST …/cancelQuote` and `…/rejectQuote`: a `QuoteOperationData` naming one of the caller's quotes, handed
    /// to the S-BUS, which cancels it (still in progress) or declines it (answered, orderable, not yet ordered);
    /// 200 with the operation. A missing or malformed `quoteId` or `reason`, an unknown quote, a POQ's answer, or a
    /// quote in a state that does not allow it: 422 naming `/quoteId` (or `/reason`); another buyer's quote: 403.
    /// None of those reaches the core or the ledger.
    static func decideQuote(_ incoming: Incoming, action: QuoteDecision.Action, node: ProviderNode) async -> Response {
        func refuse(_ code: MEFErrorCode, _ path: String, _ reason: String) -> Response {
            json(.unprocessableContent, [MEFError(code: code, reason: reason, propertyPath: path)])
        }
        guard case .object(let body)? = incoming.json else {
            return error(MEFError(code: .invalidBody, reason: "the body is not a QuoteOperationData object"))
        }
        guard let value = body["quoteId"] else { return refuse(.missingProperty, "/quoteId", "quoteId is required") }
        guard let reference = value.stringValue else {
            return refuse(.invalidFormat, "/quoteId", "quoteId must be a string")
        }
        if let reason = body["reason"], reason.stringValue == nil {
            return refuse(.invalidFormat, "/reason", "reason must be a string")
        }
        guard let resource = await node.resource(id: reference) else {
            return refuse(.referenceNotFound, "/quoteId", "no quote '\(reference)'")
        }
        guard resource.buyer == incoming.party else {
            return error(MEFError(code: .accessDenied, reason: "this quote is another buyer's"))
        }
        guard await node.answer(reference: reference, buyer: incoming.party)?.kind == .inquiry else {
            return refuse(.referenceNotFound, "/quoteId", "'\(reference)' answered a POQ, not a quote request")
        }
        let reason = body["reason"]?.stringValue
        let decision = QuoteDecision(quoteReference: reference, action: action, reason: reason)
        switch await node.decide(decision, buyer: incoming.party) {
        case .success:
            return json(.ok, QuoteOperationData(quoteId: QuoteID(rawValue: reference), reason: reason))
        case .failure(let rejection):
            return refuse(.invalidValue, rejection.field ?? "/quoteId", rejection.description)
        }
    }
}

extension NodeRoutes {
    /// `POST …/quote`: a Sonata `Quote_Create`, checked by the quote validator, then asked of the core as an
    /// inquiry (its items as POQ items: the same product, place and relationships); 201 with the `Quote`.
    static func createQuote(_ incoming: Incoming, node: ProviderNode) async -> Response {
        let payload = incoming.json ?? .null
        let quoteFindings = SonataValidator.validate(payload, kind: .quote)
        guard quoteFindings.isEmpty else { return unprocessable(quoteFindings) }
        let inquiry = Self.inquiry(fromQuote: payload)
        let (decoded, findings) = SonataValidator.admitPOQ(inquiry)
        guard let poq = decoded, findings.isEmpty else {
            return unprocessable(
                findings.map { ValidationFinding(path: quotePath(of: $0.path), rule: $0.rule, message: $0.message) })
        }
        switch await submit(inquiry, poq: poq, kind: .inquiry, incoming: incoming, node: node) {
        case .success(let first):
            let resource = first.resource
            switch first.message {
            case .acknowledgement(let answer), .response(let answer):
                let href = node.configuration.publicURL + quotePath
                return json(.created, Quote(answer, request: resource.request, href: href))
            default:
                return error(MEFError(code: .internalError, reason: "no answer to the quote request"))
            }
        case .failure(let refusal):
            return refusal.response
        }
    }

    /// A `Quote_Create` as the POQ create the core's S-BUS takes for an inquiry.
    public static func inquiry(fromQuote quote: JSONValue) -> JSONValue {
        var root: [String: JSONValue] = [
            "instantSyncQualification": quote["instantSyncQuote"] ?? false, "provideAlternative": false,
        ]
        for (from, to) in [
            ("externalId", "externalId"), ("projectId", "projectId"),
            ("relatedContactInformation", "relatedContactInformation"),
            ("requestedQuoteCompletionDate", "requestedPOQCompletionDate"),
        ] {
            if let value = quote[from] { root[to] = value }
        }
        root["productOfferingQualificationItem"] = .array(
            (quote["quoteItem"]?.arrayValue ?? []).map { item in
                var fields: [String: JSONValue] = [:]
                for key in ["id", "action", "product", "relatedContactInformation"] {
                    if let value = item[key] { fields[key] = value }
                }
                if let related = item["quoteItemRelationship"] { fields["qualificationItemRelationship"] = related }
                return .object(fields)
            })
        return .object(root)
    }

    /// Where a finding on the inquiry made of a quote lies in the quote.
    static func quotePath(of path: String) -> String {
        for (from, to) in [
            ("/productOfferingQualificationItem", "/quoteItem"),
            ("/qualificationItemRelationship", "/quoteItemRelationship"),
            ("/requestedPOQCompletionDate", "/requestedQuoteCompletionDate"),
            ("/instantSyncQualification", "/instantSyncQuote"),
        ] where path.contains(from) {
            return path.replacingOccurrences(of: from, with: to)
        }
        return path
    }
}

extension Quote {
    /// An inquiry's answer as a Sonata quote: per item its monthly recurring price, installation interval and
    /// state; the whole valid until the earliest item validity. What the buyer asked (`request`) is echoed: its
    /// references, contacts, requested date, and each item's action and product.
    ///
    /// The quote's state follows MEF 80: `cancelled` or `declined` once the buyer said so (`withdrawn`, also the
    /// last `stateChange`), `accepted` once an order was placed against it (`ordered`), `expired` after its
    /// validity (at `now`).
    init(
        _ answer: SupplyResponse, request: ProductOfferingQualificationCreate?, href: String,
        withdrawn: QuoteDecision? = nil, ordered: Bool = false, now: Instant? = nil
    ) {
        let instantSync = request?.instantSyncQualification ?? false
        var state: QuoteState =
            switch answer.state {
            case .acknowledged: .acknowledged
            case .inProgress: .inProgress
            case .ready: .approvedOrderable
            case .rejected: .rejected
            case .unableToMeetTime: .unableToProvide
            }
        if let withdrawn {
            state = withdrawn.state
        } else if state == .approvedOrderable && ordered {
            state = .accepted
        } else if state == .approvedOrderable, let now, let validUntil = answer.validUntil, now > validUntil {
            state = .expired
        }
        let items = answer.items.map { item -> QuoteItem in
            let itemState: QuoteItemState =
                switch item.state {
                case .acknowledged: .acknowledged
                case .inProgress: .inProgress
                case .ready: item.offer?.isDeliverable == true ? .approvedOrderable : .unableToProvide
                case .rejected: .rejected
                case .abandoned: .abandoned
                case .unableToMeetTime: .unableToProvide
                }
            let price = item.offer?.price.map { money in
                [
                    QuotePrice(
                        name: "monthly recurring", priceType: .recurring, recurringChargePeriod: .month,
                        price: Price(dutyFreeAmount: MEFMoney(unit: money.currency, value: money.amount)))
                ]
            }
            let interval = item.offer.map {
                Duration(amount: Int($0.installationInterval.wholeDaysRoundedUp), units: .calendarDays)
            }
            let asked = request?.productOfferingQualificationItem.first { $0.id == item.itemID }
            let product = asked.map {
                QuoteProductRefOrValue(
                    id: $0.product.id.map { ProductID(rawValue: $0) }, productOffering: $0.product.productOffering,
                    productConfiguration: $0.product.productConfiguration,
                    productRelationship: $0.product.productRelationship, place: $0.product.place)
            }
            return QuoteItem(
                id: QuoteItemID(rawValue: item.itemID), action: asked?.action ?? .add, state: itemState,
                product: product, relatedContactInformation: asked?.relatedContactInformation, quoteItemPrice: price,
                quoteItemInstallationInterval: interval)
        }
        self.init(
            id: QuoteID(rawValue: answer.sellerReference), href: href + "/" + answer.sellerReference,
            quoteDate: MEFDateTime(answer.answeredAt.date), state: state, buyerRequestedQuoteLevel: .firm,
            quoteLevel: answer.state == .ready ? .firm : nil, instantSyncQuote: instantSync, quoteItem: items,
            requestedQuoteCompletionDate: request?.requestedPOQCompletionDate,
            effectiveQuoteCompletionDate: answer.state == .ready ? MEFDateTime(answer.answeredAt.date) : nil,
            validFor: answer.validUntil.map { TimePeriod(endDateTime: MEFDateTime($0.date)) },
            stateChange: withdrawn.map { decision in
                [
                    QuoteStateChange(
                        state: decision.state, changeDate: MEFDateTime((decision.decidedAt ?? answer.answeredAt).date),
                        changeReason: decision.reason)
                ]
            },
            externalId: request?.externalId, projectId: request?.projectId,
            relatedContactInformation: request?.relatedContactInformation)
    }
}

/// The `listQuote` filters of Quote v8, read from the query: `state`, `quoteLevel`, `externalId`, `projectId`,
/// the `.gt`/`.lt` bounds of `quoteDate` and of the requested, expected and effective completion dates, `offset`
/// and `limit`. `buyerId` and `sellerId` select nothing here: a buyer only ever sees its own quotes, from this seller.
struct QuoteFilter: Sendable {
    var state: QuoteState?
    var quoteLevel: SellerQuoteLevel?
    var equal: [(name: String, value: String)] = []
    var dates: [(name: String, date: MEFDateTime)] = []
    var offset = 0
    var limit: Int?

    static let dateFields = [
        "quoteDate", "requestedQuoteCompletionDate", "expectedQuoteCompletionDate", "effectiveQuoteCompletionDate",
    ]

    /// The filters, or a 400 `invalidQuery` naming the first parameter with a value it cannot take.
    static func read(_ parameters: [(name: String, value: String)]) -> Result<QuoteFilter, MEFError> {
        var filter = QuoteFilter()
        func invalid(_ name: String, _ why: String) -> Result<QuoteFilter, MEFError> {
            .failure(MEFError(code: .invalidQuery, reason: "\(name): \(why)", propertyPath: name))
        }
        for (name, value) in parameters {
            switch name {
            case "state":
                guard let state = QuoteState(rawValue: value) else {
                    return invalid(name, "'\(value)' is not a quote state")
                }
                filter.state = state
            case "quoteLevel":
                guard let level = SellerQuoteLevel(rawValue: value) else {
                    return invalid(name, "'\(value)' is not a seller quote level")
                }
                filter.quoteLevel = level
            case "externalId", "projectId":
                filter.equal.append((name, value))
            case _ where dateFields.contains { name == $0 + ".gt" || name == $0 + ".lt" }:
                guard let date = MEFDateTime(text: value) else { return invalid(name, "'\(value)' is not RFC 3339") }
                filter.dates.append((name, date))
            case "offset", "limit":
                guard let number = Int(value), number >= (name == "offset" ? 0 : 1) else {
                    return invalid(name, "'\(value)' is not a whole number of at least \(name == "offset" ? 0 : 1)")
                }
                if name == "offset" { filter.offset = number } else { filter.limit = number }
            default:
                continue  // buyerId, sellerId, and what a later version adds: not filters here
            }
        }
        return .success(filter)
    }

    func matches(_ quote: Quote) -> Bool {
        if let state, quote.state != state { return false }
        if let quoteLevel, quote.quoteLevel != quoteLevel { return false }
        for (name, value) in equal where (name == "externalId" ? quote.externalId : quote.projectId) != value {
            return false
        }
        for (name, bound) in dates {
            let field = name.dropLast(3)
            let date: MEFDateTime? =
                switch field {
                case "quoteDate": quote.quoteDate
                case "requestedQuoteCompletionDate": quote.requestedQuoteCompletionDate
                case "expectedQuoteCompletionDate": quote.expectedQuoteCompletionDate
                default: quote.effectiveQuoteCompletionDate
                }
            guard let date else { return false }
            if name.hasSuffix(".lt") ? !(date.date < bound.date) : !(date.date > bound.date) { return false }
        }
        return true
    }
}

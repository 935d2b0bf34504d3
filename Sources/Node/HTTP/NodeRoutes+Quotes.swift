import Foundation
import Hummingbird
import Sonata
import SupplyChain

/// Quotes (Sonata Quote v8, read side): the answer to an inquiry is this provider's quote, priced per item,
/// valid until a date, and what an order must reference (PDL-019, PDL-023).
extension NodeRoutes {
    public static let quotePath = "/mefApi/sonata/quoteManagement/v8/quote"

    static func addQuoteRoutes(to router: Router<BasicRequestContext>, node: ProviderNode, verifier: RequestVerifier) {
        let limit = node.configuration.maxBodyBytes
        signedRoute(router, .get, RouterPath(quotePath + "/{id}"), limit: limit, verifier: verifier, json: false) {
            incoming, request, context in
            let id = context.parameters.get("id") ?? ""
            guard let resource = await node.resource(id: id) else {
                return error(MEFError(code: .notFound, reason: "no quote '\(id)'"))
            }
            guard resource.buyer == incoming.party else {
                return error(MEFError(code: .accessDenied, reason: "this quote is another buyer's"))
            }
            guard let answer = await node.answer(reference: id, buyer: incoming.party), answer.kind == .inquiry else {
                return error(MEFError(code: .notFound, reason: "'\(id)' answered a POQ, not an inquiry: no quote"))
            }
            return json(
                .ok,
                Quote(
                    answer, instantSync: resource.request?.instantSyncQualification ?? false,
                    href: node.configuration.publicURL + quotePath))
        }
    }
}

extension Quote {
    /// An inquiry's answer as a Sonata quote: per item its monthly recurring price, installation interval and
    /// state; the whole valid until the earliest item validity.
    init(_ answer: SupplyResponse, instantSync: Bool, href: String) {
        let state: QuoteState =
            switch answer.state {
            case .acknowledged: .acknowledged
            case .inProgress: .inProgress
            case .ready: .approvedOrderable
            case .rejected: .rejected
            case .unableToMeetTime: .unableToProvide
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
            return QuoteItem(
                id: QuoteItemID(rawValue: item.itemID), action: .add, state: itemState, quoteItemPrice: price,
                quoteItemInstallationInterval: interval)
        }
        self.init(
            id: QuoteID(rawValue: answer.sellerReference), href: href + "/" + answer.sellerReference,
            quoteDate: MEFDateTime(answer.answeredAt.date), state: state, buyerRequestedQuoteLevel: .firm,
            quoteLevel: answer.state == .ready ? .firm : nil, instantSyncQuote: instantSync, quoteItem: items,
            effectiveQuoteCompletionDate: answer.state == .ready ? MEFDateTime(answer.answeredAt.date) : nil,
            validFor: answer.validUntil.map { TimePeriod(endDateTime: MEFDateTime($0.date)) })
    }
}

import CanonicalJSON
import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Sonata
import SupplyChain

/// Money between nodes, on the MEF Sonata billing v2 paths: the bills a seller issued (`customerBill`,
/// `customerBillItem`, read by any buyer), a node buyer's reconciliation and payment of one of its bills
/// (`customerBill/{id}/reconciliation`, `…/payment`, in the supply envelope), and the buyer's listener for the
/// seller's invoices (`customerBillCreateEvent`) and dispute resolutions (`customerBillStateChangeEvent`); a plain
/// buyer's listener for notifications of its own bills (`hub`, `hub/{id}`).
extension NodeRoutes {
    public static let billingBase = "/mefApi/sonata/customerBillManagement/v2"
    public static let customerBillPath = billingBase + "/customerBill"
    public static let customerBillItemPath = billingBase + "/customerBillItem"
    public static let billingHubPath = billingBase + "/hub"
    public static let billingListenerBase = "/mefApi/sonata/customerBillNotification/v2/listener"

    /// Where a buyer sends its answer to, or payment of, a bill; nil for any other message.
    static func billingSellerPath(for message: Message) -> String? {
        switch message {
        case .reconciliation(let answer): customerBillPath + "/" + answer.invoiceID + "/reconciliation"
        case .payment(let payment): customerBillPath + "/" + payment.invoiceID + "/payment"
        default: nil
        }
    }

    static func addBillingRoutes(to router: Router<BasicRequestContext>, node: ProviderNode, verifier: RequestVerifier)
    {
        let limit = node.configuration.maxBodyBytes
        let href = node.configuration.publicURL + customerBillPath
        signedRoute(router, .get, RouterPath(customerBillPath), limit: limit, verifier: verifier, json: false) {
            incoming, _, _ in
            json(.ok, JSONValue.array(await node.bills(of: incoming.party).map { $0.find(href: href) }))
        }
        signedRoute(
            router, .get, RouterPath(customerBillPath + "/{id}"), limit: limit, verifier: verifier, json: false
        ) { incoming, _, context in
            switch await ownBill(context.parameters.get("id") ?? "", of: incoming.party, node: node) {
            case .failure(let refusal): return refusal.response
            case .success(let bill): return json(.ok, bill.sonata(href: href))
            }
        }
        signedRoute(
            router, .get, RouterPath(customerBillItemPath + "/{id}"), limit: limit, verifier: verifier, json: false
        ) { incoming, _, context in
            // An item's id is its bill's id, a dash and its line number (`ACCESS-bill-4-1`).
            let id = context.parameters.get("id") ?? ""
            guard let dash = id.lastIndex(of: "-") else {
                return error(MEFError(code: .notFound, reason: "no customerBillItem '\(id)'"))
            }
            let bill: ProviderNode.BillResource
            switch await ownBill(String(id[..<dash]), of: incoming.party, node: node) {
            case .failure(let refusal): return refusal.response
            case .success(let value): bill = value
            }
            let line = String(id[id.index(after: dash)...])
            guard let item = bill.invoice.items.first(where: { $0.id == line }) else {
                return error(MEFError(code: .notFound, reason: "no customerBillItem '\(id)'"))
            }
            return json(.ok, bill.invoice.customerBillItem(item))
        }
        for action in ["reconciliation", "payment"] {
            signedRoute(
                router, .post, RouterPath(customerBillPath + "/{id}/" + action), limit: limit, verifier: verifier,
                json: true
            ) { incoming, _, context in
                let id = context.parameters.get("id") ?? ""
                let invoiceID: String
                switch incoming.message {
                case .reconciliation(let answer) where action == "reconciliation": invoiceID = answer.invoiceID
                case .payment(let payment) where action == "payment": invoiceID = payment.invoiceID
                default:
                    return error(
                        MEFError(
                            code: .invalidBody,
                            reason: "expected a \(NodeHeaders.supplyChainMediaType) body with a buyer's \(action)"))
                }
                guard invoiceID == id else {
                    return error(
                        MEFError(code: .invalidBody, reason: "the \(action) is of '\(invoiceID)', not of '\(id)'"))
                }
                switch await ownBill(id, of: incoming.party, node: node) {
                case .failure(let refusal): return refusal.response
                case .success: break
                }
                guard let message = incoming.message else {
                    return error(MEFError(code: .invalidBody, reason: "unreadable envelope"))
                }
                await node.receive(message, from: incoming.party)
                return Response(status: .noContent)
            }
        }
        signedRoute(
            router, .post, RouterPath(billingListenerBase + "/{eventType}"), limit: limit, verifier: verifier,
            json: true
        ) { incoming, _, _ in
            guard let message = incoming.message else {
                return error(
                    MEFError(
                        code: .invalidBody,
                        reason: "expected a \(NodeHeaders.supplyChainMediaType) body with an invoice or a resolution"))
            }
            switch message {
            case .invoice, .disputeResolution:
                await node.receive(message, from: incoming.party)
                return Response(status: .noContent)
            default:
                return error(
                    MEFError(
                        code: .invalidBody,
                        reason: "expected a \(NodeHeaders.supplyChainMediaType) body with an invoice or a resolution"))
            }
        }
        addBillingHubRoutes(to: router, node: node, verifier: verifier)
    }

    /// A buyer's billing hub: register (`EventSubscriptionInput`, 201 `EventSubscription`), read (200) and remove
    /// (204) it. The billing yaml answers a bad body with 400 `invalidBody` (it has no 422), here naming the field
    /// in `propertyPath`; another buyer's hub is 403, an unknown one 404; a refused request changes nothing.
    static func addBillingHubRoutes(
        to router: Router<BasicRequestContext>, node: ProviderNode, verifier: RequestVerifier
    ) {
        let limit = node.configuration.maxBodyBytes
        signedRoute(router, .post, RouterPath(billingHubPath), limit: limit, verifier: verifier, json: true) {
            incoming, _, _ in
            switch billingHubInput(incoming, node: node) {
            case .failure(let refusal): return refusal.response
            case .success(let input):
                return json(.created, await node.registerBillingHub(input, buyer: incoming.party))
            }
        }
        signedRoute(
            router, .get, RouterPath(billingHubPath + "/{id}"), limit: limit, verifier: verifier, json: false
        ) { incoming, _, context in
            switch await node.billingHub(id: context.parameters.get("id") ?? "", buyer: incoming.party) {
            case .failure(let refusal): return refused(refusal)
            case .success(let hub): return json(.ok, hub)
            }
        }
        signedRoute(
            router, .delete, RouterPath(billingHubPath + "/{id}"), limit: limit, verifier: verifier, json: false
        ) { incoming, _, context in
            switch await node.deleteBillingHub(id: context.parameters.get("id") ?? "", buyer: incoming.party) {
            case .failure(let refusal): return refused(refusal)
            case .success: return Response(status: .noContent)
            }
        }
    }

    /// The `EventSubscriptionInput` of a hub registration: `callback` a string on an origin this buyer may be
    /// called back on, `query` (optional) a string naming only `CustomerBillEventType`s.
    private static func billingHubInput(
        _ incoming: Incoming, node: ProviderNode
    ) -> Result<EventSubscriptionInput, ResponseError> {
        func invalid(_ path: String, _ reason: String) -> Result<EventSubscriptionInput, ResponseError> {
            .failure(ResponseError(error(MEFError(code: .invalidBody, reason: reason, propertyPath: path))))
        }
        guard case .object(let body)? = incoming.json else {
            return invalid("", "not an EventSubscriptionInput (an object with callback and query)")
        }
        guard let value = body["callback"] else { return invalid("/callback", "callback is required") }
        guard let callback = value.stringValue, !callback.isEmpty else {
            return invalid("/callback", "callback must be a non-empty string (the listener's base URL)")
        }
        var query: String?
        if let value = body["query"], value != .null {
            guard let text = value.stringValue else { return invalid("/query", "query must be a string") }
            query = text
        }
        let input = EventSubscriptionInput(callback: callback, query: query)
        if let unknown = input.eventTypeNames.first(where: { CustomerBillEventType(rawValue: $0) == nil }) {
            return invalid(
                "/query",
                "query names '\(unknown)', not a CustomerBillEventType (customerBillCreateEvent, "
                    + "customerBillStateChangeEvent)")
        }
        if case .failure(let refusal) = node.outbound.check(callback, for: incoming.party) {
            return invalid("/callback", refusal.reason)
        }
        return .success(input)
    }

    private static func refused(_ refusal: ProviderNode.BillingHubRefusal) -> Response {
        switch refusal {
        case .unknown(let id): error(MEFError(code: .notFound, reason: "no hub '\(id)'"))
        case .othersHub(let id): error(MEFError(code: .accessDenied, reason: "hub '\(id)' is another buyer's"))
        }
    }

    /// The caller's bill with this id: 404 when there is none, 403 when it is another buyer's.
    private static func ownBill(
        _ id: String, of buyer: PartyID, node: ProviderNode
    ) async -> Result<ProviderNode.BillResource, ResponseError> {
        guard let bill = await node.bill(id: id) else {
            return .failure(ResponseError(error(MEFError(code: .notFound, reason: "no customerBill '\(id)'"))))
        }
        guard bill.invoice.buyer == buyer else {
            return .failure(
                ResponseError(error(MEFError(code: .accessDenied, reason: "this customerBill is another buyer's"))))
        }
        return .success(bill)
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Sonata
import SupplyChain

/// Product inventory (Sonata Product Inventory v7): a buyer reads the products this node sold it.
extension NodeRoutes {
    public static let productInventoryPath = "/mefApi/sonata/productInventory/v7/product"

    static func addInventoryRoutes(
        to router: Router<BasicRequestContext>, node: ProviderNode, verifier: RequestVerifier
    ) {
        let limit = node.configuration.maxBodyBytes
        signedRoute(router, .get, RouterPath(productInventoryPath), limit: limit, verifier: verifier, json: false) {
            incoming, request, _ in
            let filter: ProductFilter
            switch ProductFilter.read(request.uri.queryParameters.map { (String($0.key), String($0.value)) }) {
            case .success(let value): filter = value
            case .failure(let refusal): return error(refusal)
            }
            let matching = await node.products(of: incoming.party).filter(filter.matches)
            let page = Array(matching.dropFirst(filter.offset).prefix(filter.limit ?? matching.count))
            var response = json(.ok, page.map(MEFProductFind.init))
            response.headers[HTTPField.Name("X-Total-Count")!] = String(matching.count)
            response.headers[HTTPField.Name("X-Result-Count")!] = String(page.count)
            return response
        }
        signedRoute(
            router, .get, RouterPath(productInventoryPath + "/{id}"), limit: limit, verifier: verifier, json: false
        ) { incoming, _, context in
            let id = context.parameters.get("id") ?? ""
            guard let found = await node.product(id: id) else {
                return error(MEFError(code: .notFound, reason: "no product '\(id)'"))
            }
            guard found.buyer == incoming.party else {
                return error(MEFError(code: .accessDenied, reason: "this product is another buyer's"))
            }
            return json(.ok, found.product)
        }
    }
}

/// The `listProduct` filters of Product Inventory v7, read from the query. Filters on what this node's products
/// do not carry (`productSpecificationId`, `relatedProductId`, `billingAccountId`) match none.
struct ProductFilter: Sendable {
    var status: ProductStatus?
    var equal: [(name: String, value: String)] = []
    var dates: [(name: String, date: MEFDateTime)] = []
    var offset = 0
    var limit: Int?

    /// The filters, or a 400 `invalidQuery` naming the first parameter with a value it cannot take.
    static func read(_ parameters: [(name: String, value: String)]) -> Result<ProductFilter, MEFError> {
        var filter = ProductFilter()
        func invalid(_ name: String, _ why: String) -> Result<ProductFilter, MEFError> {
            .failure(MEFError(code: .invalidQuery, reason: "\(name): \(why)", propertyPath: name))
        }
        for (name, value) in parameters {
            switch name {
            case "status":
                guard let status = ProductStatus(rawValue: value) else {
                    return invalid(name, "'\(value)' is not a product status")
                }
                filter.status = status
            case "productOfferingId", "externalId", "geographicalSiteId", "productOrderId", "productSpecificationId",
                "relatedProductId", "billingAccountId":
                filter.equal.append((name, value))
            case "startDate.lt", "startDate.gt", "lastUpdateDate.lt", "lastUpdateDate.gt":
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

    func matches(_ product: MEFProduct) -> Bool {
        if let status, product.status != status { return false }
        for (name, value) in equal {
            let found: Bool =
                switch name {
                case "productOfferingId": product.productOffering?.id == value
                case "externalId": product.externalId == value
                case "geographicalSiteId": product.relatedSite?.contains { $0.id == value } == true
                case "productOrderId": product.productOrderItem?.contains { $0.productOrderId == value } == true
                default: false
                }
            if !found { return false }
        }
        for (name, bound) in dates {
            let date = name.hasPrefix("start") ? product.startDate.date : product.lastUpdateDate?.date
            guard let date else { return false }
            if name.hasSuffix(".lt") ? !(date < bound.date) : !(date > bound.date) { return false }
        }
        return true
    }
}

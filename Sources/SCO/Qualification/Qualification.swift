import SupplyChain

/// A request the SCO is sourcing: the SOF's answer for every element, in the request's item order.
struct Qualification: Sendable {
    struct Element: Sendable {
        let itemID: String
        let sofAnswer: SOFAnswer
    }

    let key: RequestKey
    var elements: [Element]
}

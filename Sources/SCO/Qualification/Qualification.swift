import Sonata
import SupplyChain

/// A request the SCO is sourcing: the SOF's answer for every element, in the request's item order.
struct Qualification: Sendable {
    struct Element: Sendable {
        let itemID: String
        let sofAnswer: SOFAnswer
        /// What the item breaks of its offering's specification; when any, the item is REJECTED unsourced.
        var findings: [ValidationFinding] = []
    }

    let key: RequestKey
    var elements: [Element]
}

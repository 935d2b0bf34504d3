import CanonicalJSON
import SupplyChain

/// The SCO's end-to-end test of a service chain (PDL-045..PDL-048): every element's activation evidence checked
/// against what was ordered (element and service ids, offering, place, bandwidth), and every hand-off between
/// related elements checked for a matching bandwidth on both sides.
public struct ChainTest: Sendable, Hashable {
    /// What one element was ordered as: the input of the test.
    public struct OrderedElement: Sendable, Hashable {
        public let element: ServiceElement
        /// What the SOF or seller reported, `nil` when it reported nothing.
        public let evidence: ActivationEvidence?
        /// The items of the same order it hands off to.
        public let handsOffTo: [String]

        public init(element: ServiceElement, evidence: ActivationEvidence?, handsOffTo: [String]) {
            self.element = element
            self.evidence = evidence
            self.handsOffTo = handsOffTo
        }
    }

    /// One check and its outcome: `problem` is `nil` when it passed.
    public struct Check: Sendable, Hashable {
        /// The element (`uni`) or hand-off (`evc>uni`) checked.
        public let subject: String
        public let problem: String?
    }

    public let elements: [OrderedElement]
    public let checks: [Check]

    /// Runs the test over the elements of one order, in order.
    public init(elements: [OrderedElement]) {
        self.elements = elements
        var checks: [Check] = []
        let evidence = Dictionary(elements.map { ($0.element.itemID, $0.evidence) }) { first, _ in first }
        for ordered in elements {
            checks.append(Check(subject: ordered.element.itemID, problem: Self.problem(ordered)))
        }
        for ordered in elements {
            for other in ordered.handsOffTo where evidence[other] != nil {
                let subject = "\(ordered.element.itemID)>\(other)"
                let here = ordered.evidence?.bandwidthMbps
                let there = evidence[other]??.bandwidthMbps
                var problem: String?
                if let here, let there, here != there {
                    problem = "hand-off \(ordered.element.itemID) to \(other): \(here) Mbps meets \(there) Mbps"
                }
                checks.append(Check(subject: subject, problem: problem))
            }
        }
        self.checks = checks
    }

    /// Whether every check passed.
    public var passed: Bool { checks.allSatisfy { $0.problem == nil } }

    /// The first problem found, for the buyer's Order Failed reason.
    public var firstProblem: String? { checks.lazy.compactMap(\.problem).first }

    private static func problem(_ ordered: OrderedElement) -> String? {
        let element = ordered.element
        guard let evidence = ordered.evidence else { return "\(element.itemID): no activation evidence" }
        if evidence.itemID != element.itemID {
            return "\(element.itemID): evidence is for element \(evidence.itemID)"
        }
        if evidence.serviceID.isEmpty { return "\(element.itemID): no service id" }
        if evidence.offering != element.offering {
            return "\(element.itemID): \(evidence.offering) activated, \(element.offering) ordered"
        }
        if let place = element.place, evidence.place != place {
            return "\(element.itemID): activated at \(evidence.place ?? "no place"), ordered at \(place)"
        }
        if let bandwidth = element.bandwidthMbps, evidence.bandwidthMbps != bandwidth {
            let activated = evidence.bandwidthMbps.map { "\($0) Mbps" } ?? "no bandwidth"
            return "\(element.itemID): \(activated) activated, \(bandwidth) Mbps ordered"
        }
        return nil
    }

    /// What the `sco.chain_tested` entry records: the evidence, each check and the result.
    public func ledgerBody(result: String, extra: [String: JSONValue] = [:]) -> JSONValue {
        var body = extra
        body["result"] = .string(result)
        body["evidence"] = .array(elements.map { $0.evidence?.ledgerBody ?? .null })
        body["checks"] = .array(
            checks.map { check in
                ["subject": .string(check.subject), "result": .string(check.problem ?? "PASS")]
            })
        return .object(body)
    }
}

import Foundation
import Ledger
import ScenarioModel
import Testing

@testable import Simulation

/// The order and delivery requirements, checked on the scenarios that exercise them and on the ledgers they leave.
struct OrderLifecycleTests {
    static func run(_ name: String) throws -> SimulationResult { try ScenarioRunTests.run(name) }

    static func demand(_ result: SimulationResult, _ id: String) throws -> SimulationResult.DemandOutcome {
        try #require(result.demands.first { $0.id == id })
    }

    static func kinds(_ result: SimulationResult, _ a: String, _ b: String) -> [String] {
        result.ledgers.first { Set($0.parties) == [a, b] }?.kinds ?? []
    }

    @Test("PDL-019 PDL-020 PDL-023 an order must reference a valid quote: after its expiry it is rejected")
    func expiredQuote() throws {
        let order = try #require(try Self.demand(Self.run("order-rejections"), "expired").order)
        #expect(order.state == "REJECTED")
        #expect(order.reason?.hasPrefix("PDL-023: quote EDGE-quote-") == true)
        #expect(order.reason?.contains("expired at 2026-01-06T09:00:00") == true)
    }

    @Test("PDL-021 PDL-022 an order may not change what was quoted: the rejection names the field")
    func alteredOrder() throws {
        let order = try #require(try Self.demand(Self.run("order-rejections"), "altered").order)
        #expect(order.state == "REJECTED")
        #expect(order.reason?.contains("item port differs from quote") == true)
        #expect(order.reason?.contains("at /product/productConfiguration/bandwidthMbps; request a new quote") == true)
    }

    @Test("PDL-034 PDL-036 an acceptance window that runs out at the third hop rejects the order everywhere")
    func acceptanceWindow() throws {
        let result = try Self.run("order-rejections")
        let order = try #require(try Self.demand(result, "too-slow").order)
        #expect(order.state == "REJECTED")
        #expect(order.reason?.contains("not accepted within the Order Acceptance Window") == true)
        #expect(Self.kinds(result, "CORE", "EDGE").contains("order.rejected"))
        // PDL-057-style clean-up at rejection: CORE's reserved port is released, SLOWNET's order cancelled.
        #expect(Self.kinds(result, "CORE", "CORE#sof").contains("sof.reserve"))
        #expect(Self.kinds(result, "CORE", "CORE#sof").contains("sof.released"))
        #expect(Self.kinds(result, "CORE", "SLOWNET").contains("order.cancelled"))
    }

    /// The four trading ledgers the line's order crosses, buyer first.
    static let hops = [
        ("ENTERPRISE", "RETAIL"), ("RETAIL", "WHOLESALE"), ("REGIONAL", "WHOLESALE"), ("ACCESS", "REGIONAL"),
    ]

    // The one-element order of `order-delivery` checks what each hop records; decomposing an order of several
    // elements and chaining them (PDL-026, PDL-045) are checked on three-element orders in SCOFulfilmentTests.

    @Test("PDL-024 every hop records the order on its upstream ledger")
    func orderRecordedUpstream() throws {
        let result = try Self.run("order-delivery")
        for (buyer, seller) in Self.hops {
            #expect(Self.kinds(result, buyer, seller).contains("order.request"), "\(buyer)↔\(seller)")
        }
    }

    @Test("PDL-030 PDL-031 each provider orders the element from its seller, and each seller answers Accepted")
    func subOrdersAccepted() throws {
        let result = try Self.run("order-delivery")
        for (buyer, seller) in Self.hops.dropFirst() {
            let kinds = Self.kinds(result, buyer, seller)
            #expect(kinds.contains("order.request"), "\(buyer)↔\(seller)")
            #expect(kinds.contains("order.accepted"), "\(buyer)↔\(seller)")
            #expect(!kinds.contains("order.rejected"), "\(buyer)↔\(seller)")
        }
    }

    @Test("PDL-032 PDL-035 the enterprise is answered Order Accepted, never Rejected")
    func buyerToldAccepted() throws {
        let result = try Self.run("order-delivery")
        let kinds = Self.kinds(result, "ENTERPRISE", "RETAIL")
        #expect(kinds.contains("order.accepted"))
        #expect(!kinds.contains("order.rejected"))
        #expect(try Self.demand(result, "line").order?.state == "ACTIVATED")
    }

    @Test("PDL-033 PDL-037 PDL-041 ACCESS's SOF is asked to activate the element it delivers and reports it activated")
    func internalActivation() throws {
        let internalLedger = Self.kinds(try Self.run("order-delivery"), "ACCESS", "ACCESS#sof")
        #expect(internalLedger.contains("sof.activation_requested"))
        #expect(internalLedger.contains("sof.activated"))
        #expect(!internalLedger.contains("sof.activation_failed"))
    }

    @Test("PDL-046 PDL-047 ACCESS tests the chain, and the enterprise's order is ACTIVATED after 14 days of lead time")
    func activation() throws {
        let result = try Self.run("order-delivery")
        let order = try #require(try Self.demand(result, "line").order)
        #expect(order.state == "ACTIVATED")
        #expect(order.activatedAt?.hasPrefix("2026-01-19T10:00:00") == true, "14 days of lead time after the order")
        #expect(Self.kinds(result, "ACCESS", "ACCESS#sof").contains("sco.chain_tested"))
    }

    @Test("PDL-043 PDL-049 Order Activated is recorded on every ledger of the chain, the enterprise's included")
    func activationRecordedEverywhere() throws {
        let result = try Self.run("order-delivery")
        for (buyer, seller) in Self.hops {
            #expect(Self.kinds(result, buyer, seller).contains("order.activated"), "\(buyer)↔\(seller)")
        }
    }

    @Test("PDL-038 PDL-039 PDL-040 order messages on the ledgers carry the order, element and service ids")
    func identifiers() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ids-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ScenarioRunTests.run("order-delivery", out: directory)
        let summary = try #require(result.ledgers.first { Set($0.parties) == ["ENTERPRISE", "RETAIL"] })
        let store = try SQLiteLedgerStore(readOnlyPath: directory.appendingPathComponent("RETAIL.sqlite").path)
        let entries = try store.entries(of: LedgerID(rawValue: summary.ledgerID))
        let orderEntries = entries.filter { $0.kind.hasPrefix("order.") }
        #expect(!orderEntries.isEmpty)
        #expect(orderEntries.allSatisfy { $0.refs["order"] != nil })
        let activated = try #require(entries.first { $0.kind == "order.activated" })
        let serviceID = try #require(result.demands.first?.order?.serviceID)
        #expect(activated.body.canonicalString.contains(serviceID))
        let downstream = try #require(result.ledgers.first { Set($0.parties) == ["RETAIL", "WHOLESALE"] })
        let subOrders = try store.entries(of: LedgerID(rawValue: downstream.ledgerID)).filter {
            $0.kind == "order.request"
        }
        #expect(!subOrders.isEmpty)
        #expect(subOrders.allSatisfy { $0.refs["element"] == "access" && $0.refs["order"] != nil })
    }

    @Test("PDL-048 a service chain whose end-to-end test fails is reported Order Failed and released")
    func chainTestFailure() throws {
        let result = try Self.run("order-rejections")
        let order = try #require(try Self.demand(result, "untested").order)
        #expect(order.state == "FAILED")
        #expect(order.reason?.contains("the service chain test failed") == true)
        #expect(Self.kinds(result, "FLAKY", "FLAKY#sof").contains("sco.chain_tested"))
        #expect(Self.kinds(result, "FLAKY", "FLAKY#sof").contains("sof.released"))
        #expect(Self.kinds(result, "EDGE", "FLAKY").contains("order.failed"))
    }

    @Test("PDL-029 the SOF refuses the reservation once capacity is exhausted: the second order is rejected")
    func capacityExhausted() throws {
        let result = try Self.run("capacity-exhausted")
        #expect(try Self.demand(result, "first").order?.state == "ACTIVATED")
        let second = try #require(try Self.demand(result, "second").order)
        #expect(second.state == "REJECTED")
        #expect(second.reason == "PDL-029: Rejected: no capacity left for PORT (1 in use)")
        #expect(Self.kinds(result, "PORTCO", "BETA").contains("order.rejected"))
    }

    @Test("PDL-045 PDL-046 PDL-048 a chain whose hand-off does not fit fails its test with no injected fault")
    func chainTestFromEvidence() throws {
        let result = try Self.run("chain-test")
        let mismatched = try #require(try Self.demand(result, "mismatched").order)
        #expect(mismatched.state == "FAILED")
        #expect(
            mismatched.reason
                == "PDL-048: the service chain test failed: hand-off evc to uni: 10000 Mbps meets 1000 Mbps")
        #expect(try Self.demand(result, "matched").order?.state == "ACTIVATED")
        #expect(Self.kinds(result, "METRO", "ACCESSCO").contains("order.cancelled"))
    }

    @Test("PDL-042 PDL-051 CHEAPNET's SOF reports the activation of its element failed")
    func activationFailureReported() throws {
        let result = try Self.run("order-failures")
        #expect(Self.kinds(result, "CHEAPNET", "CHEAPNET#sof").contains("sof.activation_failed"))
        #expect(!Self.kinds(result, "CHEAPNET", "CHEAPNET#sof").contains("sof.activated"))
    }

    @Test("PDL-044 PDL-052 the failure reaches TRANSIT, CHEAPNET's buyer, as Order Failed on their ledger")
    func activationFailurePassedUp() throws {
        #expect(Self.kinds(try Self.run("order-failures"), "CHEAPNET", "TRANSIT").contains("order.failed"))
    }

    @Test(
        "PDL-053 TRANSIT re-sources the failed element from the next-best quote: the order ends ACTIVATED via SOLIDNET")
    func resourcing() throws {
        let result = try Self.run("order-failures")
        let order = try #require(try Self.demand(result, "resourced").order)
        #expect(order.state == "ACTIVATED")
        #expect(order.servicePaths["access"] == ["HOST", "TRANSIT", "SOLIDNET"])
        #expect(Self.kinds(result, "TRANSIT", "TRANSIT#sof").contains("sco.resourced"))
    }

    @Test("PDL-054 an order HOST abandons is reported Order Failed to its buyer")
    func abandonmentReported() throws {
        let result = try Self.run("order-failures")
        let order = try #require(try Self.demand(result, "abandoned").order)
        #expect(order.state == "FAILED")
        #expect(Self.kinds(result, "HOST", "NORCO").contains("order.failed"))
    }

    @Test("PDL-056 PDL-057 on abandonment HOST's SOF releases its element")
    func abandonmentReleases() throws {
        #expect(Self.kinds(try Self.run("order-failures"), "HOST", "HOST#sof").contains("sof.released"))
    }

    @Test("PDL-058 on abandonment HOST cancels SOLIDNET's order, which releases its element")
    func abandonmentCancels() throws {
        let result = try Self.run("order-failures")
        #expect(Self.kinds(result, "HOST", "SOLIDNET").contains("order.cancelled"))
        #expect(Self.kinds(result, "SOLIDNET", "SOLIDNET#sof").contains("sof.released"))
    }

    @Test("PDL-059 PDL-060 an activation window extension is asked, granted and recorded on every ledger it touches")
    func windowExtension() throws {
        let result = try Self.run("order-failures")
        let granted = try #require(try Self.demand(result, "extended").order)
        #expect(granted.state == "ACTIVATED")
        #expect(granted.extensionRequests == 1)
        #expect(Self.kinds(result, "ARCTIC", "HOST").contains("order.window_extension_requested"))
        #expect(Self.kinds(result, "ARCTIC", "HOST").contains("order.window_changed"))
        #expect(Self.kinds(result, "HOST", "SLOWFIBRE").contains("order.window_changed"))
        #expect(Self.kinds(result, "HOST", "HOST#sof").contains("sof.window_changed"))
        let refused = try #require(try Self.demand(result, "refused").order)
        #expect(refused.state == "FAILED")
        #expect(refused.reason?.contains("refused to extend") == true)
    }

    @Test("PDL-116 each change ordered down the chain names the service it changes: the seller's service id")
    func changeNamesTheService() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ScenarioRunTests.run("order-delivery", out: directory)
        for (buyer, seller) in [("RETAIL", "WHOLESALE"), ("WHOLESALE", "REGIONAL"), ("REGIONAL", "ACCESS")] {
            let summary = try #require(result.ledgers.first { Set($0.parties) == [buyer, seller] })
            let store = try SQLiteLedgerStore(readOnlyPath: directory.appendingPathComponent("\(buyer).sqlite").path)
            let changes = try store.entries(of: LedgerID(rawValue: summary.ledgerID)).filter {
                $0.kind == "change.request"
            }
            #expect(changes.count == 2, "\(buyer)↔\(seller)")
            #expect(
                changes.allSatisfy { $0.refs["service"]?.hasPrefix("\(seller)-svc-") == true }, "\(buyer)↔\(seller)")
        }
    }

    @Test("PDL-117 each change is answered with its price and outage: 145.20 twice, no outage then 4 h")
    func changeQuoted() throws {
        let order = try #require(try Self.demand(Self.run("order-delivery"), "line").order)
        #expect(order.changesCompleted == 2)
        // The change fee 100 × 1.10 × 1.10 × 1.20; only the relocation needs an outage.
        #expect(order.changePrices == [145.20, 145.20])
        #expect(order.outages == ["0ms", "4h"])
    }

    @Test("PDL-118 the relocation's outage is scheduled with the buyer and the seller on every ledger of the chain")
    func outageCoordinated() throws {
        let result = try Self.run("order-delivery")
        for (buyer, seller) in Self.hops {
            #expect(Self.kinds(result, buyer, seller).contains("change.outage_scheduled"), "\(buyer)↔\(seller)")
        }
    }

    @Test("PDL-119 each change's request, quote and completion are on every ledger of the chain")
    func changeLogged() throws {
        let result = try Self.run("order-delivery")
        for (buyer, seller) in Self.hops {
            let kinds = Self.kinds(result, buyer, seller)
            for kind in ["change.request", "change.quoted", "change.completed"] {
                #expect(kinds.contains(kind), "\(buyer)↔\(seller): \(kind)")
            }
        }
    }

    @Test("a renewal starts a new term and keeps the old one in the service's history")
    func renewal() throws {
        let order = try #require(try Self.demand(Self.run("order-delivery"), "line").order)
        #expect(order.terms.count == 2)
        #expect(order.terms[0].hasSuffix("(autoRenew)"))
        #expect(order.terms[1].hasSuffix("(autoDisconnect)"))
    }
}

struct EndOfTermTests {
    @Test("end-of-term actions run on the simulator's clock: autoRenew adds terms, autoDisconnect ends the service")
    func endOfTerm() throws {
        let result = try ScenarioRunTests.run("order-delivery")
        let renewing = try #require(result.demands.first { $0.id == "renewing" }?.order)
        #expect(renewing.terms.count == 5)
        #expect(renewing.state == "ACTIVATED")
        let ending = try #require(result.demands.first { $0.id == "ending" }?.order)
        #expect(ending.state == "DISCONNECTED")
        #expect(
            result.ledgers.first { Set($0.parties) == ["ACCESS", "REGIONAL"] }?.kinds.contains("service.disconnected")
                == true)
    }
}

import CanonicalJSON
import Foundation
import Ledger
import ScenarioModel
import Testing

@testable import Simulation

/// A buyer's disconnection at a date (`order-disconnect`, a Sonata `delete`): the S-BUS takes the buyer's order, the
/// SCO accepts it and ends the service at the date, the B-BUS asks each seller of a bought element to disconnect its
/// part at the same date, the SOF releases its element, and billing ends there. Checked on the ledger copies an
/// auditor would get, with the scenario's own ids and times written out.
struct OrderDisconnectionTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disconnect-\(UUID().uuidString)")

    /// The entries of `holder`'s copy of its ledger with `counterparty` whose kind is one of `kinds`, in order: the
    /// author, the kind and the refs.
    func entries(
        _ holder: String, _ counterparty: String, _ kinds: Set<String>, in result: SimulationResult
    ) throws -> [[String]] {
        let store = try SQLiteLedgerStore(readOnlyPath: directory.appendingPathComponent("\(holder).sqlite").path)
        let summary = try #require(result.ledgers.first { Set($0.parties) == [holder, counterparty] })
        return try store.entries(of: LedgerID(rawValue: summary.ledgerID)).filter { kinds.contains($0.kind) }.map {
            [$0.author.rawValue, $0.kind] + $0.refs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        }
    }

    @Test(
        "a buyer's disconnection at a date travels down the chain: order.disconnect_request to each seller, accepted, service.disconnected on every hop, the SOF's element released, every inventory terminated"
    )
    func disconnectedDownTheChain() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ScenarioRunTests.run("order-disconnect", out: directory)
        let kinds: Set = ["order.disconnect_request", "order.accepted", "service.disconnected"]
        let accepted = try entries("ENTERPRISE", "RETAIL", kinds, in: result).filter {
            $0[1] != "order.accepted" || $0.contains("order=ENTERPRISE-line-disconnect")
        }
        #expect(
            accepted == [
                ["ENTERPRISE", "order.disconnect_request", "order=ENTERPRISE-line-disconnect"],
                ["RETAIL", "order.accepted", "order=ENTERPRISE-line-disconnect", "sellerOrder=RETAIL-disc-7"],
                ["RETAIL", "service.disconnected", "order=ENTERPRISE-line-disconnect", "sellerOrder=RETAIL-disc-7"],
            ])
        let wholesale = try entries("WHOLESALE", "RETAIL", kinds, in: result).filter { $0.joined().contains("disc") }
        #expect(
            wholesale == [
                ["RETAIL", "order.disconnect_request", "order=RETAIL-disc-ord-8", "service=WHOLESALE-svc-5"],
                ["WHOLESALE", "order.accepted", "order=RETAIL-disc-ord-8", "sellerOrder=WHOLESALE-disc-7"],
                ["WHOLESALE", "service.disconnected", "order=RETAIL-disc-ord-8", "sellerOrder=WHOLESALE-disc-7"],
            ])
        let access = try entries("ACCESS", "WHOLESALE", kinds, in: result).filter { $0.joined().contains("disc") }
        #expect(
            access == [
                ["WHOLESALE", "order.disconnect_request", "order=WHOLESALE-disc-ord-8", "service=ACCESS-svc-3"],
                ["ACCESS", "order.accepted", "order=WHOLESALE-disc-ord-8", "sellerOrder=ACCESS-disc-5"],
                ["ACCESS", "service.disconnected", "order=WHOLESALE-disc-ord-8", "sellerOrder=ACCESS-disc-5"],
            ])
        // ACCESS's SOF delivers the one element: released at the date, on the internal ledger.
        #expect(
            try entries("ACCESS", "ACCESS#sof", ["sof.released"], in: result) == [
                ["ACCESS", "sof.released", "element=access", "service=ACCESS-svc-3"]
            ])
        let order = try #require(result.demands.first { $0.id == "line" }?.order)
        #expect(order.state == "DISCONNECTED")
        #expect(order.serviceStates == ["RETAIL": "terminated", "WHOLESALE": "terminated", "ACCESS": "terminated"])
        #expect(result.auditFindings.isEmpty)
    }

    @Test("billing ends at the disconnection: two bills per seller, the second pro-rated to the date, each agreed")
    func billingEnds() throws {
        let result = try ScenarioRunTests.run("order-disconnect")
        let invoices = result.expectations.filter { $0.expectation.hasPrefix("invoices") }
        #expect(
            invoices.map(\.expectation) == [
                "invoices ACCESS → WHOLESALE, 2 invoice(s), amounts 266.67, 416.67, answers final, final, 2 payment(s)",
                "invoices WHOLESALE → RETAIL, 2 invoice(s), amounts 293.33, 458.33, answers final, final, 2 payment(s)",
                "invoices RETAIL → ENTERPRISE, 2 invoice(s), amounts 352.00, 550.00, answers final, final, 2 payment(s)",
            ])
        #expect(invoices.allSatisfy { $0.passed }, "\(invoices.map { $0.detail })")
    }

    @Test(
        "order-disconnect-withdrawn: a buyer cancels its disconnection before the date: order.cancelled goes down the chain, every seller answers order.disconnect_withdrawn, nothing is disconnected or released and every inventory keeps the service active"
    )
    func withdrawnDownTheChain() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ScenarioRunTests.run("order-disconnect-withdrawn", out: directory)
        #expect(result.expectations.allSatisfy { $0.passed }, "\(result.expectations.filter { !$0.passed })")
        #expect(result.auditFindings.isEmpty)
        let kinds: Set = [
            "order.disconnect_request", "order.accepted", "order.cancelled", "order.disconnect_withdrawn",
            "service.disconnected",
        ]
        let retail = try entries("ENTERPRISE", "RETAIL", kinds, in: result).filter { $0.joined().contains("disc") }
        #expect(
            retail.map { [$0[0], $0[1]] } == [
                ["ENTERPRISE", "order.disconnect_request"], ["RETAIL", "order.accepted"],
                ["ENTERPRISE", "order.cancelled"],
                ["RETAIL", "order.disconnect_withdrawn"],
            ])
        #expect(retail.allSatisfy { $0.contains("order=ENTERPRISE-line-disconnect") })
        for (seller, buyer) in [("WHOLESALE", "RETAIL"), ("ACCESS", "WHOLESALE")] {
            let hop = try entries(seller, buyer, kinds, in: result).filter { $0.joined().contains("disc") }
            #expect(
                hop.map { [$0[0], $0[1]] } == [
                    [buyer, "order.disconnect_request"], [seller, "order.accepted"], [buyer, "order.cancelled"],
                    [seller, "order.disconnect_withdrawn"],
                ], "\(seller)")
            // The cancellation names the sub-order the disconnection request opened.
            #expect(Set(hop.compactMap { $0.first { $0.hasPrefix("order=") } }).count == 1, "\(hop)")
        }
        #expect(try entries("ACCESS", "ACCESS#sof", ["sof.released"], in: result).isEmpty)
        let order = try #require(result.demands.first { $0.id == "line" }?.order)
        #expect(order.state == "ACTIVATED")
        #expect(order.serviceStates == ["RETAIL": "active", "WHOLESALE": "active", "ACCESS": "active"])
    }

    @Test("a scenario's withdrawal must come before the disconnection takes effect: refused naming the field")
    func withdrawalAfterTheDateRefused() throws {
        let text = try ScenarioLoader.embedded("order-disconnect-withdrawn").text.replacingOccurrences(
            of: "withdrawAfter: 2d", with: "withdrawAfter: 10d")
        #expect {
            try SimulationPlan(ScenarioLoader.parse(text), directory: FileManager.default.temporaryDirectory)
        } throws: { error in
            "\(error)".contains("demand[0].order.disconnect.withdrawAfter")
        }
    }
}

import CanonicalJSON
import Foundation
import Ledger
import ScenarioModel
import Testing

@testable import Simulation

/// ETSI PDL fault management (§22–35, PDL-061..PDL-085), checked on what each fault scenario leaves on the ledgers an
/// auditor would get (the SQLite copies) and in the providers' inventories. Expected values are the standard's
/// notices and the scenario's own numbers (its ids, its times), written out here.
struct FaultManagementTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faults-\(UUID().uuidString)")

    /// Runs a fault scenario, writing every party's ledger copies.
    func run(_ name: String) throws -> SimulationResult {
        try ScenarioRunTests.run(name, out: directory)
    }

    /// `holder`'s copy of its ledger with `counterparty`.
    func entries(_ holder: String, _ counterparty: String, in result: SimulationResult) throws -> [LedgerEntry] {
        let store = try SQLiteLedgerStore(readOnlyPath: directory.appendingPathComponent("\(holder).sqlite").path)
        let summary = try #require(result.ledgers.first { Set($0.parties) == [holder, counterparty] })
        return try store.entries(of: LedgerID(rawValue: summary.ledgerID))
    }

    /// The entries of `kind`, in ledger order.
    func entries(
        _ kind: String, _ holder: String, _ counterparty: String, in result: SimulationResult
    ) throws -> [LedgerEntry] {
        try entries(holder, counterparty, in: result).filter { $0.kind == kind }
    }

    func order(_ result: SimulationResult, _ demand: String) throws -> SimulationResult.OrderOutcome {
        try #require(result.demands.first { $0.id == demand }?.order)
    }

    // MARK: - A: in operation, abandon, internal, no sellers

    @Test("PDL-061 scenario A: the buyer is told Service Terminated, on the upstream ledger")
    func scenarioABuyerNotified() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-a-abandon-no-sellers")
        let terminated = try entries("service.terminated", "ENTERPRISE", "ACCESS", in: result)
        #expect(terminated.count == 1)
        #expect(terminated.first?.author == "ACCESS")
        #expect(terminated.first?.refs["service"] == "ACCESS-svc-3")
        #expect(
            terminated.first?.body["event"]?["serviceTerminated"]?["reason"]
                == "Service Terminated – Internal Fault")
        #expect(try order(result, "line").state == "TERMINATED", "the buyer received the notice")
    }

    @Test("PDL-062 scenario A: the SCO removes the service from its inventory")
    func scenarioAInventory() throws {
        let result = try ScenarioRunTests.run("fault-a-abandon-no-sellers")
        #expect(try order(result, "line").serviceStates == ["ACCESS": "terminated"])
    }

    @Test("PDL-063 scenario A: the SOF is told Service Terminated – Internal Fault, on the internal ledger")
    func scenarioASOFNotice() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-a-abandon-no-sellers")
        let notices = try entries("fault.notified", "ACCESS", "ACCESS#sof", in: result)
        #expect(notices.map { $0.body["notice"] } == ["Service Terminated – Internal Fault"])
        #expect(notices.first?.refs["service"] == "ACCESS-svc-3")
        let released = try entries("sof.released", "ACCESS", "ACCESS#sof", in: result)
        #expect(released.map { $0.refs["element"] } == ["access"])
    }

    // MARK: - B: in operation, abandon, internal, with sellers

    @Test("PDL-064 PDL-065 scenario B: Service Terminated to the buyer, and the service leaves the inventory")
    func scenarioBBuyerAndInventory() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-b-abandon-with-sellers")
        let terminated = try entries("service.terminated", "ENTERPRISE", "METRO", in: result)
        #expect(terminated.map(\.author) == ["METRO"])
        #expect(terminated.first?.refs["service"] == "METRO-svc-5")
        #expect(try order(result, "link").serviceStates["METRO"] == "terminated")
    }

    @Test("PDL-066 scenario B: the SOF is told Service Terminated – Internal Fault and releases its element")
    func scenarioBSOFNotice() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-b-abandon-with-sellers")
        let notices = try entries("fault.notified", "METRO", "METRO#sof", in: result)
        #expect(notices.map { $0.body["notice"] } == ["Service Terminated – Internal Fault"])
        let released = try entries("sof.released", "METRO", "METRO#sof", in: result)
        #expect(released.last?.refs == ["service": "METRO-svc-5", "element": "core"])
    }

    @Test("PDL-067 scenario B: the B-BUS terminates the seller's part, and the seller ends it")
    func scenarioBSellersTerminated() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-b-abandon-with-sellers")
        let copy = try entries("ACCESS", "METRO", in: result)
        let request = try #require(copy.first { $0.kind == "service.termination_requested" })
        #expect(request.author == "METRO")
        #expect(request.refs["service"] == "ACCESS-svc-3")
        let answer = try #require(copy.first { $0.kind == "service.terminated" })
        #expect(answer.author == "ACCESS")
        #expect(answer.seq > request.seq)
        #expect(try order(result, "link").serviceStates["ACCESS"] == "terminated")
        #expect(try entries("sof.released", "ACCESS", "ACCESS#sof", in: result).map { $0.refs["element"] } == ["tail"])
    }

    // MARK: - C: in operation, abandon, external

    @Test("PDL-068 scenario C: the B-BUS tickets the faulty seller and requests the termination of its service")
    func scenarioCFaultySeller() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-c-abandon-external")
        let copy = try entries("RETAIL", "ACCESS", in: result).filter { $0.author == "RETAIL" }
        let kinds = copy.map(\.kind).filter { $0.hasPrefix("ticket.") || $0.hasPrefix("service.") }
        #expect(kinds == ["ticket.opened", "service.termination_requested"])
        #expect(copy.last?.refs["service"] == "ACCESS-svc-4")
        #expect(try order(result, "line").serviceStates["ACCESS"] == "terminated")
    }

    @Test("PDL-069 PDL-070 scenario C: Service Terminated to the buyer, and the service leaves the inventory")
    func scenarioCBuyerAndInventory() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-c-abandon-external")
        let terminated = try entries("service.terminated", "ENTERPRISE", "RETAIL", in: result)
        #expect(terminated.map(\.author) == ["RETAIL"])
        #expect(terminated.first?.refs["service"] == "RETAIL-svc-9")
        #expect(try order(result, "line").serviceStates["RETAIL"] == "terminated")
    }

    @Test("PDL-071 scenario C: the SOF is told Service Terminated – External Fault")
    func scenarioCSOFNotice() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-c-abandon-external")
        let notices = try entries("fault.notified", "RETAIL", "RETAIL#sof", in: result)
        #expect(notices.map { $0.body["notice"] } == ["Service Terminated – External Fault"])
    }

    @Test("PDL-072 scenario C: the seller that is not at fault is terminated too")
    func scenarioCOtherSellers() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-c-abandon-external")
        let copy = try entries("RETAIL", "CLOUDCO", in: result)
        let request = try #require(copy.first { $0.kind == "service.termination_requested" })
        #expect(request.author == "RETAIL")
        #expect(request.refs == ["service": "CLOUDCO-svc-4"], "no ticket: CLOUDCO is not at fault")
        #expect(try order(result, "line").serviceStates["CLOUDCO"] == "terminated")
    }

    // MARK: - D: in operation, restore, external, outage

    @Test("PDL-073 scenario D: the S-BUS schedules the seller's repair outage with the buyer")
    func scenarioDBuyerOutage() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-d-external-outage")
        let outages = try entries("outage.scheduled", "ENTERPRISE", "RETAIL", in: result)
        #expect(outages.map(\.author) == ["RETAIL"])
        // ACCESS's window: from 2026-02-04T09:00:01.040Z for three hours.
        let window = outages.first?.body["event"]?["outageScheduled"]
        #expect(window?["from"]?["milliseconds"] == 1_770_195_601_040)
        #expect(window?["duration"]?["milliseconds"] == 10_800_000)
        #expect(outages.first?.refs["ticket"] == "ENTERPRISE-line-ticket-1")
    }

    @Test("PDL-074 scenario D: the B-BUS agrees the repair outage with the faulty seller")
    func scenarioDSellerOutage() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-d-external-outage")
        let copy = try entries("RETAIL", "ACCESS", in: result)
        let scheduled = try #require(copy.first { $0.kind == "outage.scheduled" })
        let agreed = try #require(copy.first { $0.kind == "outage.agreed" })
        #expect(scheduled.author == "ACCESS")
        #expect(agreed.author == "RETAIL")
        #expect(agreed.seq > scheduled.seq)
        #expect(agreed.body["event"]?["outageAgreed"]?["from"]?["milliseconds"] == 1_770_195_601_040)
        #expect(agreed.body["event"]?["outageAgreed"]?["duration"]?["milliseconds"] == 10_800_000)
    }

    @Test("PDL-075 scenario D: once the seller has repaired, the S-BUS closes the ticket, notifies and records")
    func scenarioDClosedAfterRepair() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-d-external-outage")
        let repaired = try #require(try entries("ticket.resolved", "RETAIL", "ACCESS", in: result).first)
        #expect(repaired.author == "ACCESS")
        let resolved = try #require(try entries("ticket.resolved", "ENTERPRISE", "RETAIL", in: result).first)
        #expect(resolved.author == "RETAIL")
        #expect(resolved.time >= repaired.time)
        #expect(resolved.time == 1_770_206_401_060, "the outage's end plus one hop")
        #expect(resolved.body["event"]?["resolved"]?["resolution"] == "ACCESS: repaired by ACCESS")
        let order = try order(result, "line")
        #expect(order.tickets.map(\.state) == ["closed"])
    }

    // MARK: - E: in operation, restore, external, no outage

    @Test("PDL-076 scenario E: on the repair the buyer is notified and it is recorded, with no outage")
    func scenarioENoOutage() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-e-external-no-outage")
        let upstream = try entries("ENTERPRISE", "RETAIL", in: result)
        #expect(upstream.filter { $0.author == "RETAIL" }.suffix(2).map(\.kind) == ["fault.notified", "fault.cleared"])
        let cleared = try #require(upstream.last)
        #expect(cleared.time == 1_770_202_800_040, "two hours of repair at ACCESS plus one hop")
        #expect(!upstream.contains { $0.kind == "outage.scheduled" })
        #expect(try entries("ticket.closed", "RETAIL", "ACCESS", in: result).map(\.author) == ["RETAIL"])
    }

    // MARK: - F and G: in operation, restore, internal

    @Test("PDL-077 scenario F: the repair outage is scheduled with the buyer before the repair")
    func scenarioFOutage() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-f-internal-outage")
        let upstream = try entries("ENTERPRISE", "ACCESS", in: result)
        let scheduled = try #require(upstream.first { $0.kind == "outage.scheduled" })
        #expect(scheduled.author == "ACCESS")
        #expect(scheduled.body["event"]?["outageScheduled"]?["from"]?["milliseconds"] == 1_770_195_601_000)
        #expect(scheduled.body["event"]?["outageScheduled"]?["duration"]?["milliseconds"] == 14_400_000)
        let repaired = try #require(try entries("fault.cleared", "ACCESS", "ACCESS#sof", in: result).first)
        #expect(scheduled.time < repaired.time)
    }

    @Test("PDL-078 scenario F: once the SOF has repaired, the internal ticket closes and the buyer is notified")
    func scenarioFClosed() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-f-internal-outage")
        let internalLedger = try entries("ACCESS", "ACCESS#sof", in: result)
        #expect(internalLedger.suffix(2).map(\.kind) == ["fault.cleared", "ticket.closed"])
        let cleared = try #require(try entries("fault.cleared", "ENTERPRISE", "ACCESS", in: result).first)
        // The outage ends at 09:00:01 + 4 h.
        #expect(cleared.time == 1_770_210_001_000)
        #expect(cleared.body["event"]?["faultCleared"]?["detail"] == "repaired by ACCESS")
    }

    @Test("PDL-079 scenario G: the ticket is resolved once the SOF has repaired, with no outage")
    func scenarioGResolved() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-g-internal-no-outage")
        let upstream = try entries("ENTERPRISE", "ACCESS", in: result)
        let resolved = try #require(upstream.first { $0.kind == "ticket.resolved" })
        #expect(resolved.author == "ACCESS")
        // Acknowledged at 09:00:00.020, repaired 90 minutes later.
        #expect(resolved.time == 1_770_201_000_020)
        #expect(!upstream.contains { $0.kind == "outage.scheduled" })
        #expect(try order(result, "line").tickets.map(\.state) == ["closed"])
    }

    // MARK: - H: ignore

    @Test("PDL-080 scenario H: the ticket is resolved at once and nothing goes downstream")
    func scenarioHResolved() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-h-nothing-found")
        let upstream = try entries("ENTERPRISE", "RETAIL", in: result)
        let resolved = try #require(upstream.first { $0.kind == "ticket.resolved" })
        #expect(resolved.author == "RETAIL")
        #expect(resolved.time == 1_770_195_600_020, "at once, on the ticket's arrival")
        #expect(
            resolved.body["event"]?["resolved"]?["resolution"] == "no fault found on RETAIL-svc-5 (ETSI PDL scenario H)"
        )
        #expect(!(try entries("RETAIL", "ACCESS", in: result).contains { $0.kind.hasPrefix("ticket.") }))
    }

    @Test("a resolved ticket the buyer does not close closes itself after the agreed three days")
    func ticketClosesOnTimeout() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-h-nothing-found")
        let closed = try #require(try entries("ticket.closed", "ENTERPRISE", "RETAIL", in: result).first)
        #expect(closed.author == "RETAIL")
        #expect(closed.time == 1_770_195_600_020 + 3 * 86_400_000)
        #expect(closed.body["event"]?["closedOnTimeout"] != nil)
    }

    // MARK: - J and K: not in operation

    @Test("PDL-081 scenario J: the B-BUS opens a ticket with the faulty seller")
    func scenarioJSellerTicket() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-j-external-not-in-operation")
        let opened = try entries("ticket.opened", "RETAIL", "ACCESS", in: result)
        #expect(opened.map(\.author) == ["RETAIL"])
        #expect(opened.first?.refs["service"] == "ACCESS-svc-3")
    }

    @Test("PDL-082 scenario J: once the seller closes its ticket, the S-BUS resolves the buyer's")
    func scenarioJResolvedAfterSeller() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-j-external-not-in-operation")
        let sellers = try #require(try entries("ticket.resolved", "RETAIL", "ACCESS", in: result).first)
        let buyers = try #require(try entries("ticket.resolved", "ENTERPRISE", "RETAIL", in: result).first)
        #expect(buyers.author == "RETAIL")
        #expect(buyers.time > sellers.time)
        #expect(buyers.body["event"]?["resolved"]?["resolution"] == "ACCESS: Acknowledged")
    }

    @Test("PDL-083 scenario K: the SCO notifies the SOF of the fault, and nothing is repaired")
    func scenarioKSOFNotice() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-k-internal-not-in-operation")
        let internalLedger = try entries("ACCESS", "ACCESS#sof", in: result)
        let notice = try #require(internalLedger.first { $0.kind == "fault.notified" })
        #expect(notice.body == ["notice": "fault", "element": "access"])
        #expect(notice.refs["service"] == "ACCESS-svc-3")
        #expect(!internalLedger.contains { $0.kind == "fault.cleared" })
    }

    @Test("PDL-084 scenario K: the S-BUS closes the ticket with Acknowledged, recorded upstream")
    func scenarioKAcknowledged() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-k-internal-not-in-operation")
        let resolved = try #require(try entries("ticket.resolved", "ENTERPRISE", "ACCESS", in: result).first)
        #expect(resolved.author == "ACCESS")
        #expect(resolved.body["event"]?["resolved"]?["resolution"] == "Acknowledged")
        #expect(try order(result, "session").tickets.map(\.resolution) == ["Acknowledged"])
    }

    // MARK: - The whole chain

    @Test("PDL-085 every ticket, fault, outage and termination entry carries the seller's service id of its pair")
    func serviceIDOnEveryEntry() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-multi-hop")
        // The two lines' service ids, as each seller named them.
        let services: [(buyer: String, seller: String, ids: Set<String>)] = [
            ("ENTERPRISE", "RETAIL", ["RETAIL-svc-9", "RETAIL-svc-10"]),
            ("RETAIL", "WHOLESALE", ["WHOLESALE-svc-9", "WHOLESALE-svc-10"]),
            ("WHOLESALE", "REGIONAL", ["REGIONAL-svc-9", "REGIONAL-svc-10"]),
            ("REGIONAL", "ACCESS", ["ACCESS-svc-5", "ACCESS-svc-6"]),
        ]
        let prefixes = ["ticket.", "fault.", "outage.", "service."]
        for pair in services {
            let assurance = try entries(pair.buyer, pair.seller, in: result).filter { entry in
                prefixes.contains { entry.kind.hasPrefix($0) }
            }
            #expect(assurance.count >= 7, "\(pair.buyer)↔\(pair.seller)")
            for entry in assurance {
                let service = try #require(entry.refs["service"], "\(entry.kind) without a service")
                #expect(pair.ids.contains(service), "\(pair.buyer)↔\(pair.seller) \(entry.kind) names \(service)")
                #expect(entry.body["serviceID"]?.stringValue == service)
            }
        }
    }

    @Test("a fault four hops down: tickets down the chain, the outage and the resolution up, every hop closed")
    func multiHop() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("fault-multi-hop")
        for (buyer, seller) in [("RETAIL", "WHOLESALE"), ("WHOLESALE", "REGIONAL"), ("REGIONAL", "ACCESS")] {
            let kinds = try entries(buyer, seller, in: result).map(\.kind).filter {
                $0.hasPrefix("ticket.") || $0.hasPrefix("outage.")
            }
            #expect(
                kinds == [
                    "ticket.opened", "ticket.acknowledged", "outage.scheduled", "outage.agreed", "outage.completed",
                    "ticket.resolved", "ticket.closed",
                ], "\(buyer)↔\(seller)")
        }
        let line = try order(result, "line")
        #expect(line.faultOutages == ["6h from 2026-02-14T09:00:01.120Z"], "the instant to the millisecond")
        #expect(line.tickets.map(\.state) == ["closed"])
        let second = try order(result, "second")
        #expect(second.state == "TERMINATED")
        #expect(
            second.serviceStates == [
                "RETAIL": "terminated", "WHOLESALE": "terminated", "REGIONAL": "terminated", "ACCESS": "terminated",
            ])
    }
}

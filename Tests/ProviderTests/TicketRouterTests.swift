import CanonicalJSON
import Foundation
import Ledger
import Provider
import RoleTestSupport
import Sonata
import SupplyChain
import Testing

/// Tickets through the router: the S-BUS records only tickets the SCO finds a service for; a seller's word goes to
/// the B-BUS; faults from the monitoring go to the SCO.
struct TicketRouterTests {
    var entropy = SeededEntropy(seed: 9)

    /// A provider with one active service, P-svc-3, delivered to buyer B by its own SOF.
    mutating func activeCore() throws -> ProviderCore {
        var core = Make.provider("P", catalog: [Make.entry("UNI", at: ["LON"], cost: 100, lead: 10)])
        let payload = Make.poq([("UNI", "LON", nil)], immediate: true)
        _ = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0, entropy: &entropy)
        let items = try #require(core.view.quotedItems("P-quote-1", buyer: "B")).values.sorted { "\($0)" < "\($1)" }
        let order = OrderRequest(
            id: "o1", action: .provide(quoteReference: "P-quote-1", items: items), acceptBy: Make.t0 + .hours(1),
            activateBy: Make.t0 + .days(30), term: nil)
        let accepted = core.handle(.message(from: "B", .order(order)), now: Make.t0, entropy: &entropy)
        let timer = try #require(accepted.timers.first)
        _ = core.handle(.timer(timer.0), now: timer.1, entropy: &entropy)
        #expect(core.view.activeServiceIDs(of: "B") == ["P-svc-3"])
        return core
    }

    func ticket(_ serviceID: String, id: String = "B-tt-1", _ event: TicketEvent? = nil) -> Message {
        .ticket(
            TicketNotice(
                serviceID: serviceID, ticketID: id, sellerTicketID: "",
                event: event ?? .opened(report: TicketReport(description: "down", observedImpact: .down)),
                at: Make.t0 + .days(20)))
    }

    @Test("a ticket on a service this provider does not have records nothing and sends nothing")
    mutating func unknownService() throws {
        var core = try activeCore()
        let effects = core.handle(
            .message(from: "B", ticket("P-svc-99")), now: Make.t0 + .days(20), entropy: &entropy)
        #expect(effects.records.isEmpty)
        #expect(effects.sent.isEmpty)
    }

    @Test("a ticket on another buyer's service records nothing and sends nothing")
    mutating func otherBuyersService() throws {
        var core = try activeCore()
        let effects = core.handle(
            .message(from: "INTRUDER", ticket("P-svc-3")), now: Make.t0 + .days(20), entropy: &entropy)
        #expect(effects.records.isEmpty)
        #expect(effects.sent.isEmpty)
    }

    @Test("PDL-085 the buyer's ticket is acknowledged on the upstream ledger with the service id")
    mutating func acknowledged() throws {
        var core = try activeCore()
        let effects = core.handle(.message(from: "B", ticket("P-svc-3")), now: Make.t0 + .days(20), entropy: &entropy)
        let first = try #require(effects.records.first)
        #expect(first.kind == "ticket.acknowledged")
        #expect(first.counterparty == "B")
        #expect(first.refs == ["service": "P-svc-3", "ticket": "B-tt-1"])
        #expect(first.body["serviceID"] == "P-svc-3")
        // Nothing known to be wrong: resolved at once (scenario H), with the same service id.
        #expect(effects.records.map(\.kind) == ["ticket.acknowledged", "ticket.resolved"])
        #expect(effects.records.last?.refs == ["service": "P-svc-3", "ticket": "B-tt-1"])
    }

    @Test("the same ticket delivered twice is acknowledged once")
    mutating func duplicateTicket() throws {
        var core = try activeCore()
        let now = Make.t0 + .days(20)
        _ = core.handle(.message(from: "B", ticket("P-svc-3")), now: now, entropy: &entropy)
        let again = core.handle(.message(from: "B", ticket("P-svc-3")), now: now, entropy: &entropy)
        #expect(again.records.isEmpty)
    }

    @Test("a buyer's termination request ends the service, releases the SOF's element and is answered")
    mutating func terminationRequested() throws {
        var core = try activeCore()
        let effects = core.handle(
            .message(from: "B", ticket("P-svc-3", id: "", .terminationRequested(reason: "no longer needed"))),
            now: Make.t0 + .days(20), entropy: &entropy)
        #expect(effects.records.map(\.kind) == ["service.terminated", "sof.released"])
        #expect(core.view.service("P-svc-3")?.state == .terminated)
        #expect(core.view.activeServiceIDs(of: "B").isEmpty)
    }

    @Test("a fault the monitoring finds on an internal element with an outage schedules it with the buyer")
    mutating func detectedFault() throws {
        var core = try activeCore()
        let now = Make.t0 + .days(20)
        let report = FaultReport(
            serviceID: "P-svc-3", itemID: "item-1", inOperation: true,
            decision: .restore(outage: .hours(2), repairTime: .zero), detected: true, description: "card failed")
        let effects = core.handle(.fault(report), now: now, entropy: &entropy)
        #expect(
            effects.records.map(\.kind) == ["ticket.opened", "fault.notified", "fault.notified", "outage.scheduled"])
        #expect(effects.records.map(\.counterparty) == ["P#sof", "B", "P#sof", "B"])
        let timer = try #require(effects.timers.first)
        #expect(timer.0.purpose == .sco(.repairDone(serviceID: "P-svc-3")))
        // The outage starts after one second of processing and lasts two hours.
        #expect(timer.1 == now + .seconds(1) + .hours(2))
        let done = core.handle(.timer(timer.0), now: timer.1, entropy: &entropy)
        #expect(done.records.map(\.kind) == ["outage.completed", "fault.cleared", "ticket.closed", "fault.cleared"])
    }
}

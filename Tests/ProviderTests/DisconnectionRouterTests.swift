import CanonicalJSON
import Foundation
import Ledger
import Provider
import RoleTestSupport
import Sonata
import SupplyChain
import Testing

/// A buyer's disconnection at a date through one provider's core: the S-BUS hands it to the SCO, which accepts it,
/// waits for the date, releases the SOF's element and tells the buyer; a second disconnection is rejected, and a
/// date already passed means at once.
struct DisconnectionRouterTests {
    var entropy = SeededEntropy(seed: 11)

    /// A provider P that delivers a UNI itself, with B's service activated on it; the core, the service id and when.
    mutating func activeService() throws -> (ProviderCore, String, Instant) {
        var core = BillingRouterTests.core("P", contracts: [])
        let payload = Make.poq([("UNI", "LON", nil)], immediate: true)
        _ = core.handle(
            .message(from: "B", .request(Make.request("r1", payload: payload))), now: Make.t0, entropy: &entropy)
        let items = try #require(core.view.quotedItems("P-quote-1", buyer: "B")).values.sorted { "\($0)" < "\($1)" }
        let order = OrderRequest(
            id: "o1", action: .provide(quoteReference: "P-quote-1", items: items), acceptBy: Make.t0 + .hours(1),
            activateBy: Make.t0 + .days(30), term: nil)
        let accepted = core.handle(.message(from: "B", .order(order)), now: Make.t0, entropy: &entropy)
        let activation = try #require(accepted.timers.first)
        _ = core.handle(.timer(activation.0), now: activation.1, entropy: &entropy)
        let serviceID = try #require(core.view.serviceIDs(of: "B").first)
        return (core, serviceID, activation.1)
    }

    static func disconnect(_ id: RequestID, _ serviceID: String, at: Instant, now: Instant) -> OrderRequest {
        OrderRequest(
            id: id, action: .disconnect(serviceID: serviceID, at: at), acceptBy: now + .hours(1), activateBy: at,
            term: nil)
    }

    @Test(
        "a disconnection is accepted at once and carried out at its date: the SOF's element released, service.disconnected to the buyer, the service terminated; a second one is rejected"
    )
    mutating func disconnectedAtTheDate() throws {
        var (core, serviceID, activatedAt) = try activeService()
        let now = activatedAt + .days(1)
        let date = activatedAt + .days(10)
        let accepted = core.handle(
            .message(from: "B", .order(Self.disconnect("d1", serviceID, at: date, now: now))), now: now,
            entropy: &entropy)
        #expect(accepted.records.map(\.kind) == ["order.accepted"])
        #expect(accepted.records.map { $0.refs["order"] } == ["d1"])
        let timer = try #require(accepted.timers.first)
        #expect(accepted.timers.count == 1)
        #expect(timer.1 == date)
        #expect(core.view.service(serviceID)?.state == .active)

        let again = core.handle(
            .message(from: "B", .order(Self.disconnect("d2", serviceID, at: date, now: now))), now: now,
            entropy: &entropy)
        #expect(again.records.map(\.kind) == ["order.rejected"])
        #expect(again.timers.isEmpty)

        let ended = core.handle(.timer(timer.0), now: date, entropy: &entropy)
        #expect(ended.records.map(\.kind) == ["sof.released", "service.disconnected"])
        #expect(ended.records.first?.refs["service"] == serviceID)
        #expect(ended.records.first?.body["reason"] == "disconnected by the buyer")
        #expect(ended.records.last?.refs["order"] == "d1")
        #expect(ended.records.last?.counterparty == "B")
        #expect(core.view.service(serviceID)?.state == .terminated)
    }

    @Test("a disconnection whose date passed while it travelled is carried out at once")
    mutating func pastDateAtOnce() throws {
        var (core, serviceID, activatedAt) = try activeService()
        let now = activatedAt + .days(2)
        let accepted = core.handle(
            .message(from: "B", .order(Self.disconnect("d1", serviceID, at: activatedAt + .days(1), now: now))),
            now: now, entropy: &entropy)
        #expect(accepted.records.map(\.kind) == ["order.accepted"])
        #expect(accepted.timers.map(\.1) == [now])
    }

    static func cancel(_ id: RequestID, at now: Instant) -> OrderNotice {
        OrderNotice(orderID: id, sellerOrderReference: "", event: .cancelled("changed our mind"), at: now)
    }

    @Test(
        "a disconnection cancelled before its date is withdrawn: order.disconnect_withdrawn to the buyer, the service stays active past the date, and a new disconnection is taken; a cancellation after the date changes nothing"
    )
    mutating func withdrawnBeforeTheDate() throws {
        var (core, serviceID, activatedAt) = try activeService()
        let now = activatedAt + .days(1)
        let date = activatedAt + .days(10)
        let accepted = core.handle(
            .message(from: "B", .order(Self.disconnect("d1", serviceID, at: date, now: now))), now: now,
            entropy: &entropy)
        let timer = try #require(accepted.timers.first)

        let withdrawn = core.handle(
            .message(from: "B", .orderNotice(Self.cancel("d1", at: now + .days(2)))), now: now + .days(2),
            entropy: &entropy)
        #expect(withdrawn.records.map(\.kind) == ["order.disconnect_withdrawn"])
        #expect(withdrawn.records.first?.refs["order"] == "d1")
        #expect(withdrawn.records.first?.counterparty == "B")
        #expect(core.view.service(serviceID)?.disconnection == nil)

        // The date comes: nothing happens, the service stays in operation.
        let dateReached = core.handle(.timer(timer.0), now: date, entropy: &entropy)
        #expect(dateReached.records.isEmpty)
        #expect(core.view.service(serviceID)?.state == .active)

        // Cancelling it again, or an order that never was a disconnection: nothing recorded.
        let again = core.handle(
            .message(from: "B", .orderNotice(Self.cancel("d1", at: date))), now: date, entropy: &entropy)
        #expect(again.records.isEmpty)

        // A new disconnection is taken (the withdrawn one no longer blocks it) and carried out at its date.
        let later = date + .days(5)
        let second = core.handle(
            .message(from: "B", .order(Self.disconnect("d2", serviceID, at: later, now: date))), now: date,
            entropy: &entropy)
        #expect(second.records.map(\.kind) == ["order.accepted"])
        let secondTimer = try #require(second.timers.first)
        let ended = core.handle(.timer(secondTimer.0), now: later, entropy: &entropy)
        #expect(ended.records.map(\.kind) == ["sof.released", "service.disconnected"])
        let tooLate = core.handle(
            .message(from: "B", .orderNotice(Self.cancel("d2", at: later + .days(1)))), now: later + .days(1),
            entropy: &entropy)
        #expect(tooLate.records.isEmpty)
        #expect(core.view.service(serviceID)?.state == .terminated)
    }
}

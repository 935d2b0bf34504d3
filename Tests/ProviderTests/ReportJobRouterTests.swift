import CanonicalJSON
import Foundation
import Ledger
import Provider
import RoleTestSupport
import Sonata
import SupplyChain
import Testing

/// A buyer's own report schedule (a MEF Interlude performance job) through the router: the S-BUS takes it on the
/// upstream ledger, the SCO reports at each interval end and stops when the buyer cancels.
struct ReportJobRouterTests {
    var entropy = SeededEntropy(seed: 11)
    let now = Make.t0 + .days(20)

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

    func schedule(service: String = "P-svc-3", every: TimeSpan = .minutes(15), end: Instant? = nil) -> Message {
        .performance(
            .schedule(
                ReportSchedule(
                    jobID: "B-job-1", serviceID: service, start: now, every: every, end: end, within: .minutes(5))))
    }

    @Test(
        "PDL-086 a buyer's own schedule: taken on the upstream ledger, reported at each interval end from its start (each report tagged with the job); cancelled, it reports no more"
    )
    mutating func scheduleRunsAndStops() throws {
        var core = try activeCore()
        let taken = core.handle(.message(from: "B", schedule()), now: now, entropy: &entropy)
        #expect(taken.records.map(\.kind) == ["report.receipt"])
        #expect(taken.records.first?.refs == ["service": "P-svc-3", "report": "B-job-1"])
        #expect(core.view.reportJob(serviceID: "P-svc-3", jobID: "B-job-1")?.terms.every == .minutes(15))
        let timer = try #require(taken.timers.first)
        #expect(timer.1 == now + .minutes(15))

        let first = core.handle(.timer(timer.0), now: timer.1, entropy: &entropy)
        let delivered = try #require(first.records.first { $0.kind == "report.delivered" })
        #expect(delivered.counterparty == "B")
        #expect(delivered.refs == ["service": "P-svc-3", "report": "B-job-1-\(now.milliseconds)"])
        #expect(delivered.body["jobID"] == "B-job-1")
        #expect(delivered.body["scheduled"] == true)
        #expect(first.sent.map(\.to) == ["B"])
        let next = try #require(first.timers.first)
        #expect(next.1 == now + .minutes(30))

        let cancelled = core.handle(
            .message(from: "B", .performance(.cancelSchedule(serviceID: "P-svc-3", jobID: "B-job-1"))),
            now: now + .minutes(20), entropy: &entropy)
        #expect(cancelled.records.map(\.kind) == ["report.schedule_cancelled"])
        #expect(core.view.reportJob(serviceID: "P-svc-3", jobID: "B-job-1")?.cancelled == true)
        #expect(core.handle(.timer(next.0), now: next.1, entropy: &entropy).isEmpty)
        // Cancelled once: a second cancellation records nothing.
        let again = core.handle(
            .message(from: "B", .performance(.cancelSchedule(serviceID: "P-svc-3", jobID: "B-job-1"))),
            now: now + .minutes(40), entropy: &entropy)
        #expect(again.isEmpty)
    }

    @Test(
        "a schedule the SCO cannot run (another buyer's service, an interval under a minute, an end not after its start) records nothing, sets no timer and reports nothing"
    )
    mutating func scheduleNotRun() throws {
        var core = try activeCore()
        for (buyer, message) in [
            ("INTRUDER", schedule()), ("B", schedule(every: .seconds(10))), ("B", schedule(end: now)),
        ] as [(PartyID, Message)] {
            let effects = core.handle(.message(from: buyer, message), now: now, entropy: &entropy)
            #expect(effects.isEmpty)
            #expect(core.view.reportJob(serviceID: "P-svc-3", jobID: "B-job-1") == nil)
        }
    }
}

import Ledger
import RoleTestSupport
import SupplyChain
import Testing

@testable import BBUS

/// A seller's performance report is outside input: values no measurement can have are not taken, so nothing the
/// buyer computes from them (aggregation, reputation) can overflow, live or when the journal replays it.
struct HostileReportTests {
    static func report(availability: Int64, delay: Int64) -> PerformanceReport {
        let metrics = PerformanceMetrics(
            availabilityPPM: availability, delayMicros: delay, frameLossPPM: 0, delayVariationMicros: 0)
        return PerformanceReport(
            serviceID: "S-svc-1", reportID: "S-svc-1@0", from: Instant(milliseconds: 0),
            to: Instant(milliseconds: 86_400_000), scheduled: true,
            elements: [ElementPerformance(itemID: "access", source: "internal", measured: metrics, objectives: metrics)]
        )
    }

    @Test("a report stating availability above 100 % or a negative delay is dropped; a plausible one is passed on")
    func implausibleDropped() {
        var bbus = BBUS(party: "P", configuration: Make.bbusConfiguration("P", sellers: ["S"]))
        #expect(bbus.receive(Self.report(availability: .max, delay: 1_000), from: "S").isEmpty)
        #expect(bbus.receive(Self.report(availability: 999_000, delay: .min), from: "S").isEmpty)
        #expect(bbus.reputation(of: "S") == nil)
        #expect(bbus.receive(Self.report(availability: 999_000, delay: 1_000), from: "S").bbusToSCO.count == 1)
        #expect(bbus.reputation(of: "S")?.count == 1)
    }

    @Test("protocol time saturates instead of trapping: absurd instants and spans from a peer")
    func saturatingTime() {
        #expect(Instant(milliseconds: .max - 1) + .days(1) == Instant(milliseconds: .max))
        #expect(Instant(milliseconds: .min + 1) - .days(1) == Instant(milliseconds: .min))
        #expect(Instant(milliseconds: .min) - Instant(milliseconds: .max) == TimeSpan(milliseconds: .min))
        #expect(TimeSpan(milliseconds: .max).wholeHoursRoundedUp == Int(Int64.max / 3_600_000 + 1))
        let terms = ReportingTerms(anchor: Instant(milliseconds: .min), every: .minutes(1), within: .hours(1))
        #expect(terms.nextBoundary(after: Instant(milliseconds: .max)) == Instant.distantFuture)
    }
}

import RoleTestSupport
import SupplyChain
import Testing

@testable import SCO

/// SLA reputation and the chain's aggregation, with the values worked by hand from after-delivery.md §2 and §4.
struct ReputationTests {
    /// Scores in thousandths, oldest first.
    static func records(_ scores: [Double]) -> [Int64] { scores.map { Int64(($0 * 1_000).rounded()) } }

    @Test("PDL-112 the worked example: n = 5 over seven records gives 132.8 / 15 = 8.853, published 8.8:5")
    func workedExample() throws {
        // Oldest to newest: 9.9, 9.9, 8.0, 9.9, 6.5, 9.0, 9.9; the newest five weigh 5, 4, 3, 2, 1.
        let result = try #require(
            Reputation.weightedMovingAverage(Self.records([9.9, 9.9, 8.0, 9.9, 6.5, 9.0, 9.9]), n: 5))
        #expect(result.score == 8_853)
        #expect(result.count == 5)
        #expect(Reputation.text(score: result.score, count: result.count) == "8.8:5")
    }

    @Test("PDL-113 with fewer records than n every record is used: 9.9, 7.0, 9.9 give 53.6 / 6 = 8.933, 8.9:3")
    func fewerThanN() throws {
        let result = try #require(Reputation.weightedMovingAverage(Self.records([9.9, 7.0, 9.9]), n: 5))
        #expect(result.score == 8_933)
        #expect(result.count == 3)
        #expect(Reputation.text(score: result.score, count: result.count) == "8.9:3")
    }

    @Test("PDL-112 exactly n records: 9.0, 8.0, 7.0 (newest last) give (3·7 + 2·8 + 9) / 6 = 7.666, 7.6:3")
    func exactlyN() throws {
        let result = try #require(Reputation.weightedMovingAverage(Self.records([9.0, 8.0, 7.0]), n: 3))
        #expect(result.score == 7_666)
        #expect(Reputation.text(score: result.score, count: result.count) == "7.6:3")
    }

    @Test("PDL-112 the score stays within 0.0 and 9.9: all perfect records give 9.9, all failures 0.0")
    func range() throws {
        let perfect = try #require(Reputation.weightedMovingAverage(Self.records([9.9, 9.9, 9.9]), n: 10))
        #expect(Reputation.text(score: perfect.score, count: perfect.count) == "9.9:3")
        let failed = try #require(Reputation.weightedMovingAverage([0, 0], n: 10))
        #expect(Reputation.text(score: failed.score, count: failed.count) == "0.0:2")
        #expect(Reputation.weightedMovingAverage([], n: 3) == nil)
    }

    @Test("PDL-115 the published form is x.y:n, the score truncated to tenths")
    func publishedForm() {
        #expect(Reputation.text(score: 8_999, count: 132) == "8.9:132")
        #expect(Reputation.text(score: 9_900, count: 1) == "9.9:1")
        #expect(Reputation.text(score: 0, count: 7) == "0.0:7")
    }

    @Test("PDL-111 a record's score C(t) from the SLA metrics: 9.9 × (1 + 0.4 + 0 + 1) / 4 = 5.94")
    func recordScore() {
        let objectives = SLAObjectives(
            availabilityPPM: 999_000, delayMicros: 5_000, frameLossPPM: 100, delayVariationMicros: 1_000)
        // Availability and delay variation met (1 each), delay 8 ms against 5 ms (1 − 3/5 = 0.4), loss 300 ppm
        // against 100 ppm (1 − 200/100 < 0, so 0).
        let actual = PerformanceMetrics(
            availabilityPPM: 999_500, delayMicros: 8_000, frameLossPPM: 300, delayVariationMicros: 700)
        #expect(Reputation.recordScore(actual: actual, objectives: objectives) == 5_940)
        // Every objective met: 9.9.
        let good = PerformanceMetrics(
            availabilityPPM: 1_000_000, delayMicros: 4_000, frameLossPPM: 50, delayVariationMicros: 700)
        #expect(Reputation.recordScore(actual: good, objectives: objectives) == 9_900)
        // Nothing measured (a missing element): never assumed met.
        #expect(Reputation.recordScore(actual: nil, objectives: objectives) == 0)
    }

    @Test("PDL-094 elements in series: 99.95 %, 99.9 %, 99.99 % give 99.84 %; 2 + 5 + 1 ms give 8 ms")
    func serialAggregation() throws {
        let parts = [
            PerformanceMetrics(
                availabilityPPM: 999_500, delayMicros: 2_000, frameLossPPM: 1_000, delayVariationMicros: 300),
            PerformanceMetrics(
                availabilityPPM: 999_000, delayMicros: 5_000, frameLossPPM: 500, delayVariationMicros: 400),
            PerformanceMetrics(
                availabilityPPM: 999_900, delayMicros: 1_000, frameLossPPM: 0, delayVariationMicros: 100),
        ]
        let total = try #require(PerformanceMetrics.serial(parts))
        // 0.9995 × 0.999 × 0.9999 = 0.99840015…, to the part per million below.
        #expect(total.availabilityPPM == 998_400)
        #expect(total.delayMicros == 8_000)
        #expect(total.delayVariationMicros == 800)
        // 1 − 0.999 × 0.9995 × 1 = 0.0014995: 1,500 ppm, the delivered share rounded down so loss never looks
        // smaller than it is.
        #expect(total.frameLossPPM == 1_500)
    }

    @Test("PDL-094 a report with a missing element knows no objective as met, and scores 0")
    func missingElement() {
        let objectives = SLAObjectives(
            availabilityPPM: 999_000, delayMicros: 5_000, frameLossPPM: 100, delayVariationMicros: 1_000)
        let measured = PerformanceMetrics(
            availabilityPPM: 1_000_000, delayMicros: 1_000, frameLossPPM: 0, delayVariationMicros: 100)
        let report = PerformanceReport(
            serviceID: "P-svc-1", reportID: "r1", from: Instant(milliseconds: 0), to: Instant(milliseconds: 86_400_000),
            scheduled: true,
            elements: [
                ElementPerformance(itemID: "core", source: "internal", measured: measured, objectives: objectives),
                ElementPerformance(itemID: "access", source: "S", measured: nil, objectives: nil),
            ])
        #expect(report.missing == ["access"])
        #expect(
            report.compliance == [
                "availability": .unknown, "delay": .unknown, "frameLoss": .unknown, "delayVariation": .unknown,
            ])
        #expect(report.recordScore == 0)
    }
}

/// The SOF's measurement of an interval a buyer asked for, however long: exact, no overflow.
struct MeasurementTests {
    @Test("an on-demand interval from the beginning to the end of time is measured without trapping")
    func absurdInterval() throws {
        var entry = Make.entry("EPL", at: ["*"], cost: 100)
        entry.sla = SLAObjectives(
            availabilityPPM: 999_000, delayMicros: 5_000, frameLossPPM: 100, delayVariationMicros: 1_000)
        let sof = SOF(catalog: [entry])
        let element = ServiceElement(itemID: "access", offering: "EPL", place: nil, bandwidthMbps: nil)
        let outage = ServiceRecord.Outage(itemID: "access", from: Instant(milliseconds: 0), duration: .hours(4))
        let measured = try #require(
            sof.measure(
                element, serviceID: "P-svc-1", from: Instant(milliseconds: .min), to: Instant(milliseconds: .max),
                outages: [outage]))
        // Four hours out of the whole span round down to 999,999 ppm.
        #expect(measured.measured.availabilityPPM == 999_999)
        #expect(measured.measured.isPlausible)
    }
}

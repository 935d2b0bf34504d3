import ScenarioModel
import SupplyChain
import Testing

/// The progress line long runs show on a terminal: what it says, and at most one per interval of wall time.
struct ProgressMeterTests {
    let progress = RunProgress(events: 1_234_567, virtualTime: .seconds(90_061), answers: 12, demands: 40)

    @Test func lineSaysEventsVirtualTimeAnswersAndRate() {
        let line = ProgressMeter.format(progress, elapsed: 2)
        #expect(line == "1,234,567 events · virtual 1d1h1m1s · 12/40 answers · 617,284 events/s")
    }

    @Test func noRateBeforeAnyWallTimePassed() {
        #expect(ProgressMeter.format(progress, elapsed: 0) == "1,234,567 events · virtual 1d1h1m1s · 12/40 answers")
    }

    @Test func atMostOneLinePerInterval() {
        var meter = ProgressMeter(started: 10, interval: 0.25)
        #expect(meter.line(for: progress, at: 10.5) != nil)
        #expect(meter.line(for: progress, at: 10.6) == nil)
        #expect(meter.line(for: progress, at: 10.74) == nil)
        #expect(meter.line(for: progress, at: 10.75) != nil)
        let shown = (0..<1000).compactMap { meter.line(for: progress, at: 11 + Double($0) / 1000) }.count
        #expect(shown == 4)
    }
}

import SupplyChain

/// How far a run is, as a driver reports it from its loop: events handled, protocol time reached, answers received.
public struct RunProgress: Sendable, Hashable {
    /// Events handled (simulator) or clock steps taken (a stepped cluster).
    public var events: Int
    /// Protocol time since the scenario's start.
    public var virtualTime: TimeSpan
    /// Retail demands answered so far, of `demands`.
    public var answers: Int
    public var demands: Int

    public init(events: Int, virtualTime: TimeSpan, answers: Int, demands: Int) {
        self.events = events
        self.virtualTime = virtualTime
        self.answers = answers
        self.demands = demands
    }
}

/// Turns a run's progress reports into status lines, at most one per `interval` seconds of wall time.
///
/// Pure: the wall time is an input, so the throttling and the line are testable without a terminal.
public struct ProgressMeter: Sendable {
    /// The least wall time between two lines, in seconds.
    public let interval: Double
    let started: Double
    var lastShown: Double?

    /// - Parameter started: the wall time the run started, in seconds on any monotonic clock.
    public init(started: Double, interval: Double = 0.25) {
        self.started = started
        self.interval = interval
    }

    /// The line to show for `progress` at wall time `now`, or nil when one was shown less than `interval` ago.
    public mutating func line(for progress: RunProgress, at now: Double) -> String? {
        if let lastShown, now - lastShown < interval { return nil }
        lastShown = now
        return Self.format(progress, elapsed: now - started)
    }

    /// `12,000 events · virtual 3d 4h · 2/5 answers · 45,000 events/s`.
    public static func format(_ progress: RunProgress, elapsed: Double) -> String {
        var parts = [
            "\(grouped(progress.events)) events", "virtual \(progress.virtualTime)",
            "\(grouped(progress.answers))/\(grouped(progress.demands)) answers",
        ]
        if elapsed > 0 { parts.append("\(grouped(Int((Double(progress.events) / elapsed).rounded()))) events/s") }
        return parts.joined(separator: " · ")
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return number < 0 ? "-" + out : out
    }
}

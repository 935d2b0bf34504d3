/// SLA reputation (ETSI PDL §66, PDL-111..PDL-115): a weighted moving average of how well each performance record
/// met its SLA, from 0.0 ("complete failure") to 9.9 ("no SLA violations"), published as `x.y:n`.
///
/// The draft's formula image is missing; this is after-delivery.md §4's reconstruction, in tenths-of-a-thousandth
/// integers so that every party that recomputes it gets the same text:
/// WMA(t) = Σᵢ₌₀ⁿ⁻¹ (n−i)·C(t−i) / (n(n+1)/2), with C(t) the newest record.
public enum Reputation {
    /// A record's score C(t) in thousandths (0…9,900): 9.9 × the mean over the SLA metrics of how close each came
    /// to its objective (after-delivery.md decision 2). A metric whose measurement is missing counts as 0.
    public static func recordScore(actual: PerformanceMetrics?, objectives: SLAObjectives) -> Int64 {
        guard let actual else { return 0 }
        let metrics = SLAMetric.allCases
        let sum = metrics.reduce(Int64(0)) { $0 + $1.score($1.value(in: actual), $1.value(in: objectives)) }
        return 9_900 * sum / (Int64(metrics.count) * PerformanceMetrics.million)
    }

    /// The WMA over the newest `n` records (all of them when there are fewer, PDL-113), in thousandths.
    /// - Parameter records: record scores in thousandths, oldest first.
    /// - Returns: the score and how many records it rests on; nil without records.
    public static func weightedMovingAverage(_ records: [Int64], n: Int) -> (score: Int64, count: Int)? {
        let used = Array(records.suffix(max(1, n)).reversed())  // newest first
        guard !used.isEmpty else { return nil }
        let count = Int64(used.count)
        var weighted: Int64 = 0
        for (index, score) in used.enumerated() { weighted += (count - Int64(index)) * score }
        return (weighted / (count * (count + 1) / 2), used.count)
    }

    /// `x.y:n`, the score truncated to tenths (9.9 only when every record is 9.9) (PDL-115).
    public static func text(score: Int64, count: Int) -> String {
        let tenths = min(99, max(0, score / 100))
        return "\(tenths / 10).\(tenths % 10):\(count)"
    }

    /// n for a provider (after-delivery.md §4): the longest service instance to date in whole reporting intervals,
    /// at least 1.
    public static func window(longestInstance: TimeSpan, interval: TimeSpan) -> Int {
        guard interval > .zero else { return 1 }
        return max(1, Int(longestInstance.milliseconds / interval.milliseconds))
    }
}

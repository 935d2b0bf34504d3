import Foundation
import SupplyChain

/// The statistics of a batch of runs of one scenario on consecutive seeds (`broker simulate --runs N`), per
/// demand and over all demands, with every run's rows.
public struct BatchReport: Encodable, Sendable {
    /// Nearest-rank quantiles of a sample: the smallest value with at least that share of the sample at or below it.
    public struct Quantiles: Encodable, Sendable, Hashable {
        public let count: Int
        public let min: Double
        public let p10: Double
        public let p50: Double
        public let p90: Double
        public let max: Double
        public let mean: Double

        /// nil for an empty sample.
        public init?(_ values: [Double]) {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            func rank(_ share: Double) -> Double {
                sorted[Swift.max(0, Int((share * Double(sorted.count)).rounded(.up)) - 1)]
            }
            count = sorted.count
            min = sorted[0]
            p10 = rank(0.1)
            p50 = rank(0.5)
            p90 = rank(0.9)
            max = sorted[sorted.count - 1]
            mean = sorted.reduce(0, +) / Double(sorted.count)
        }
    }

    /// What a group of rows (one demand over every run, or everything) adds up to.
    public struct Statistics: Encodable, Sendable {
        /// The demand's id, or `all`.
        public let demand: String
        /// Rows: runs × demands in the group.
        public let samples: Int
        /// Rows with an answer of any state, at any time.
        public let answered: Int
        /// Rows answered READY with green confidence within the window, and their share of `samples`.
        public let readyGreenInWindow: Int
        public let share: Double
        /// The price of every answer that carries one.
        public let price: Quantiles?
        /// How many answers' longest item path had each number of providers (keys are the numbers).
        public let hops: [String: Int]
        /// Milliseconds from request to answer, over the answered rows.
        public let answerMillis: Quantiles?
        /// Mean requests sent to providers per retail request (the fan-out of loop-free flooding).
        public let requestsPerRequest: Double
        /// Mean ledger entries recorded per retail request.
        public let ledgerEntriesPerRequest: Double

        public init(demand: String, rows: [RunRow]) {
            self.demand = demand
            samples = rows.count
            answered = rows.filter { $0.state != nil }.count
            readyGreenInWindow = rows.filter(\.readyGreenInWindow).count
            share = rows.isEmpty ? 0 : Double(readyGreenInWindow) / Double(rows.count)
            price = Quantiles(rows.compactMap(\.price))
            var hops: [String: Int] = [:]
            for count in rows.compactMap(\.hops) { hops["\(count)", default: 0] += 1 }
            self.hops = hops
            answerMillis = Quantiles(rows.compactMap { $0.answerMillis.map(Double.init) })
            let divisor = Double(Swift.max(rows.count, 1))
            requestsPerRequest = Double(rows.reduce(0) { $0 + $1.requests }) / divisor
            ledgerEntriesPerRequest = Double(rows.reduce(0) { $0 + $1.ledgerEntries }) / divisor
        }
    }

    public let scenario: String
    public let runs: Int
    public let firstSeed: UInt64
    /// Runs whose every expectation was met (a stochastic scenario's expectations hold in some runs only), of
    /// those the batch could check.
    public let runsMeetingExpectations: Int
    /// The expectations no run could check (`ledgers clean` when the runs kept only ledger heads), sorted.
    public let expectationsNotChecked: [String]
    public let overall: Statistics
    public let demands: [Statistics]
    /// One row per run and demand, runs in seed order, demands in the scenario's order.
    public let rows: [RunRow]

    public init(
        scenario: String, runs: Int, firstSeed: UInt64, runsMeetingExpectations: Int, rows: [RunRow],
        expectationsNotChecked: [String] = []
    ) {
        self.expectationsNotChecked = expectationsNotChecked
        self.scenario = scenario
        self.runs = runs
        self.firstSeed = firstSeed
        self.runsMeetingExpectations = runsMeetingExpectations
        self.rows = rows
        overall = Statistics(demand: "all", rows: rows)
        var order: [String] = []
        var byDemand: [String: [RunRow]] = [:]
        for row in rows {
            if byDemand[row.demand] == nil { order.append(row.demand) }
            byDemand[row.demand, default: []].append(row)
        }
        demands = order.map { Statistics(demand: $0, rows: byDemand[$0] ?? []) }
    }

    /// Every row as CSV, with its header.
    public var csv: String { ([RunRow.csvHeader] + rows.map(\.csv)).joined(separator: "\n") + "\n" }

    /// The per-demand statistics as CSV (one line per demand, then `all`).
    public var statisticsCSV: String {
        let header =
            "demand,samples,answered,ready_green_in_window,share,price_p10,price_p50,price_p90,answer_ms_p50,answer_ms_p90,requests_per_request,ledger_entries_per_request"
        let lines = (demands + [overall]).map { stats in
            [
                stats.demand, "\(stats.samples)", "\(stats.answered)", "\(stats.readyGreenInWindow)",
                Self.decimal(stats.share, places: 4), stats.price.map { Self.decimal($0.p10) } ?? "",
                stats.price.map { Self.decimal($0.p50) } ?? "", stats.price.map { Self.decimal($0.p90) } ?? "",
                stats.answerMillis.map { "\(Int64($0.p50))" } ?? "",
                stats.answerMillis.map { "\(Int64($0.p90))" } ?? "", Self.decimal(stats.requestsPerRequest),
                Self.decimal(stats.ledgerEntriesPerRequest),
            ].joined(separator: ",")
        }
        return ([header] + lines).joined(separator: "\n") + "\n"
    }

    /// The table `broker simulate --runs` prints: every demand (the first 30 when there are more), then all.
    public var summary: String {
        let lastSeed = firstSeed &+ UInt64(Swift.max(runs - 1, 0))
        var lines = [
            "scenario \(scenario): \(runs) runs (seeds \(firstSeed)-\(lastSeed)), \(demands.count) demands each, "
                + "\(runsMeetingExpectations) of \(runs) runs met every expectation"
                + (expectationsNotChecked.isEmpty
                    ? ""
                    : " checked (not checked: \(expectationsNotChecked.joined(separator: ", ")); runs keeping only "
                        + "ledger heads are not audited: add --ledgers entries)"),
            "",
            Self.row([
                "demand", "runs", "READY/green in window", "price p10 / p50 / p90", "hops (count)",
                "answer p50 / p90", "req/POQ", "entries/POQ",
            ]),
        ]
        let shown = demands.count > 30 ? Array(demands.prefix(30)) : demands
        for stats in shown + [overall] { lines.append(Self.row(Self.cells(stats))) }
        if shown.count < demands.count {
            lines.append("(\(demands.count - shown.count) more demands in --json and --csv)")
        }
        return lines.joined(separator: "\n")
    }

    static func cells(_ stats: Statistics) -> [String] {
        let share = String(format: "%d (%.1f %%)", stats.readyGreenInWindow, stats.share * 100)
        let prices = stats.price.map { "\(decimal($0.p10)) / \(decimal($0.p50)) / \(decimal($0.p90))" } ?? "-"
        let hops = stats.hops.sorted { Int($0.key) ?? 0 < Int($1.key) ?? 0 }.map { "\($0.key):\($0.value)" }
            .joined(separator: " ")
        let times = stats.answerMillis.map { "\(elapsed($0.p50)) / \(elapsed($0.p90))" } ?? "-"
        return [
            stats.demand, "\(stats.samples)", share, prices, hops.isEmpty ? "-" : hops, times,
            String(format: "%.1f", stats.requestsPerRequest), String(format: "%.1f", stats.ledgerEntriesPerRequest),
        ]
    }

    static let widths = [10, 6, 22, 28, 18, 20, 8, 11]

    /// A time to answer, short enough for a table column: `412ms`, `3.2s`, `59m59s`, `2h05m`.
    static func elapsed(_ milliseconds: Double) -> String {
        let whole = Int64(milliseconds.rounded())
        if whole < 1_000 { return "\(whole)ms" }
        if whole < 60_000 { return String(format: "%.1fs", Double(whole) / 1_000) }
        let seconds = whole / 1_000
        if seconds < 3_600 { return String(format: "%dm%02ds", Int(seconds / 60), Int(seconds % 60)) }
        return String(format: "%dh%02dm", Int(seconds / 3_600), Int(seconds % 3_600 / 60))
    }

    static func row(_ cells: [String]) -> String {
        zip(cells, widths).map { cell, width in
            cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
        }.joined().trimmingCharacters(in: .whitespaces)
    }

    /// `412.5` as `412.50`: two decimals (or `places`), a dot, no grouping.
    static func decimal(_ value: Double, places: Int = 2) -> String { String(format: "%.\(places)f", value) }
}

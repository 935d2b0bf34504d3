/// What one demand got in one run of a batch (`broker simulate --runs`): one CSV row.
public struct RunRow: Codable, Sendable, Hashable {
    /// The run's index in the batch, from 0, and its seed.
    public let run: Int
    public let seed: UInt64
    public let demand: String
    public let kind: String
    /// The answer's state (READY, UNABLE_TO_PROVIDE, …) or nil when none came.
    public let state: String?
    public let confidence: String?
    /// Milliseconds from the request to the answer, when one came.
    public let answerMillis: Int64?
    /// The demand's window (completion date or the Immediate bound), in milliseconds.
    public let windowMillis: Int64
    /// The price the retail buyer was quoted (all items), when the answer carries one.
    public let price: Double?
    /// Providers on the longest item's path, from the retail seller to the one that delivers it.
    public let hops: Int?
    /// Requests sent to providers for this demand, at every hop (the fan-out).
    public let requests: Int
    /// Ledger entries recorded for this demand, on every ledger.
    public let ledgerEntries: Int

    public init(
        run: Int, seed: UInt64, demand: String, kind: String, state: String?, confidence: String?,
        answerMillis: Int64?, windowMillis: Int64, price: Double?, hops: Int?, requests: Int, ledgerEntries: Int
    ) {
        self.run = run
        self.seed = seed
        self.demand = demand
        self.kind = kind
        self.state = state
        self.confidence = confidence
        self.answerMillis = answerMillis
        self.windowMillis = windowMillis
        self.price = price
        self.hops = hops
        self.requests = requests
        self.ledgerEntries = ledgerEntries
    }

    /// Answered READY with green confidence within the window: what the retail buyer asked for.
    public var readyGreenInWindow: Bool {
        guard state == "READY", confidence == "green", let answerMillis else { return false }
        return answerMillis <= windowMillis
    }

    /// The CSV header, in the order of `csv`.
    public static let csvHeader =
        "run,seed,demand,kind,state,confidence,answer_ms,window_ms,ready_green_in_window,price,hops,requests,ledger_entries"

    /// One CSV line (no quoting needed: ids have no commas, states and kinds are words).
    public var csv: String {
        [
            "\(run)", "\(seed)", demand, kind, state ?? "", confidence ?? "", answerMillis.map { "\($0)" } ?? "",
            "\(windowMillis)", readyGreenInWindow ? "1" : "0", price.map { BatchReport.decimal($0) } ?? "",
            hops.map { "\($0)" } ?? "", "\(requests)", "\(ledgerEntries)",
        ].joined(separator: ",")
    }
}

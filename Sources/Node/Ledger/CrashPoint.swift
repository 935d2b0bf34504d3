import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Test-only fault injection: a moment of batched agreement (LEDGER.md §9) at which a live node kills itself with
/// SIGKILL, so that a test can check what a crash exactly there leaves on disk and what a restart recovers.
///
/// Off unless the environment variable `SCBROKER_CRASH_POINT` is set when `broker serve` starts (read once, in
/// `NodeServer`): `MOMENT` or `MOMENT:N`, the Nth batch of two or more entries to reach that moment (N = 1 when
/// left out). Never set it outside a test.
public final class CrashPoint: Sendable {
    /// The moments a node can be killed at.
    public enum Moment: String, Sendable, CaseIterable {
        /// The author has the countersigned batch back from its counterparty but has not committed it.
        case authorCountersigned = "author-countersigned"
        /// The counterparty has countersigned and committed a batch in its transaction but has not answered it.
        case receiverCommitted = "receiver-committed"
    }

    /// The environment variable that arms a crash point.
    public static let environmentVariable = "SCBROKER_CRASH_POINT"

    public let moment: Moment
    /// The batch (counting batches of two or more entries at `moment`, from 1) that kills the process.
    public let batch: Int
    private let logger: Logger
    private let reached = Mutex(0)

    /// - Throws: `NodeError(.badConfiguration)` when `text` is not `MOMENT` or `MOMENT:N` with N ≥ 1.
    public init(parsing text: String, logger: Logger) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let moment = Moment(rawValue: String(parts[0])),
            let batch = parts.count == 2 ? Int(parts[1]) : 1, batch >= 1
        else {
            let moments = Moment.allCases.map(\.rawValue).joined(separator: ", ")
            throw NodeError(
                .badConfiguration,
                "\(Self.environmentVariable): \"\(text)\" is not MOMENT[:N], MOMENT one of \(moments)")
        }
        self.moment = moment
        self.batch = batch
        self.logger = logger
    }

    /// The crash point `environment` arms, if any.
    /// - Throws: as `init(parsing:logger:)`.
    public static func armed(
        by environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger
    ) throws -> CrashPoint? {
        guard let text = environment[environmentVariable], !text.isEmpty else { return nil }
        let point = try CrashPoint(parsing: text, logger: logger)
        logger.warning("crash point armed (test only)", metadata: ["moment": "\(text)"])
        return point
    }

    /// Called at `moment` with a batch of `entries` new entries: on the `batch`th batch of two or more there, the
    /// process kills itself with SIGKILL (no handler, no flush: a crash).
    func reach(_ moment: Moment, entries: Int) {
        guard moment == self.moment, entries >= 2 else { return }
        let count = reached.withLock { count in
            count += 1
            return count
        }
        guard count == batch else { return }
        logger.critical(
            "crash point reached: SIGKILL", metadata: ["moment": "\(moment.rawValue)", "entries": "\(entries)"])
        kill(getpid(), SIGKILL)
    }
}

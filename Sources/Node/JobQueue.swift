import Foundation
import Synchronization

/// Work a node starts from inside its actor (outbound sends, timers, ledger lanes), run as child tasks of the
/// node service's task group: structured, cancelled together at shutdown.
///
/// The queue counts its jobs: how many are running and how many were ever started. A cluster's controller reads
/// both to know when a node has gone quiet (see `SteppedClock`).
public struct JobQueue: Sendable {
    public typealias Job = @Sendable () async -> Void
    let stream: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation
    private let counts = Counts()

    final class Counts: Sendable {
        private let counts = Mutex((running: 0, started: UInt64(0)))

        func begin() { counts.withLock { $0 = ($0.running + 1, $0.started + 1) } }
        func end() { counts.withLock { $0.running -= 1 } }
        var snapshot: (running: Int, started: UInt64) { counts.withLock { $0 } }
    }

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: Job.self)
    }

    /// Starts `job`; it counts as running from this call until it returns.
    public func start(_ job: @escaping Job) {
        let counts = self.counts
        counts.begin()
        if case .terminated = continuation.yield({
            await job()
            counts.end()
        }) {
            counts.end()
        }
    }

    /// Jobs running now, and jobs started since the queue was made.
    public var activity: (running: Int, started: UInt64) { counts.snapshot }

    func finish() { continuation.finish() }
}

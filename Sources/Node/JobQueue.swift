import Foundation
import Synchronization

/// Work a node starts from inside its actor (outbound sends, timers, ledger lanes), run as child tasks of the
/// node service's task group: structured, cancelled together at shutdown.
///
/// The queue counts its jobs: how many are running and how many were ever started. A cluster's controller reads
/// both to know when a node has gone quiet (see `SteppedClock`).
public struct JobQueue: Sendable {
    public typealias Job = @Sendable () async -> Void
    private let stream: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation
    private let counts = Counts()

    final class Counts: Sendable {
        private let counts = Mutex((running: 0, started: UInt64(0), taken: false))

        func begin() { counts.withLock { $0 = ($0.running + 1, $0.started + 1, $0.taken) } }
        func end() { counts.withLock { $0.running -= 1 } }
        var snapshot: (running: Int, started: UInt64) { counts.withLock { ($0.running, $0.started) } }
        /// Whether this call is the first to take the jobs (an `AsyncStream` has one consumer).
        func take() -> Bool {
            counts.withLock { state in
                defer { state.taken = true }; return !state.taken
            }
        }
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

    /// The jobs, for the one consumer that runs them (the node service, or a cluster's retail driver).
    func take() -> AsyncStream<Job> {
        _ = counts.take()
        return stream
    }

    func finish() { continuation.finish() }

    /// Ends the queue and drops the jobs waiting in it, unless a consumer took them: for a node whose service never
    /// ran (a test of its routes alone). Those jobs hold the node, and the node holds this queue, so without this
    /// the node, its database files and its sockets would outlive it.
    package func discardWaiting() {
        continuation.finish()
        guard counts.take() else { return }
        let stream = self.stream
        Task.detached { for await _ in stream {} }
    }
}

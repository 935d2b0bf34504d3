import Foundation
import SupplyChain
import Synchronization

/// Protocol time for a live node: what the core is told `now` is, and when its timers fire.
///
/// Protocol time is an input to the core, like every other input. In production it is the wall clock
/// (`WallClock`). `broker cluster` can instead run every node on a `SteppedClock` that only moves when the
/// cluster's controller advances it, after every node has gone quiet — so a scenario's fourteen-day activation
/// and two-year renewal run in seconds and give the simulator's outcomes. Request signatures, replay windows and
/// retry back-offs stay on the wall clock: they protect and pace the transport, not the protocol.
public protocol NodeClock: Sendable {
    /// The current protocol time.
    func now() -> Instant
    /// Runs `action` once protocol time reaches `at`.
    func schedule(at: Instant, _ action: @escaping @Sendable () async -> Void)
}

/// The real clock: `now` is the system time; scheduled actions wait on the node's job queue.
public struct WallClock: NodeClock {
    let jobs: JobQueue

    public init(jobs: JobQueue) {
        self.jobs = jobs
    }

    public func now() -> Instant { Instant(Date()) }

    public func schedule(at: Instant, _ action: @escaping @Sendable () async -> Void) {
        let delay = max(at - now(), .zero)
        jobs.start {
            if delay > .zero {
                do {
                    try await Task.sleep(for: .milliseconds(delay.milliseconds))
                } catch {
                    return  // shutting down
                }
            }
            await action()
        }
    }
}

/// A clock that stands still until `advance(to:)`: scheduled actions run in (time, scheduling order), each with
/// the clock set to its time. Thread-safe: the time and the scheduled actions are behind one mutex.
public final class SteppedClock: NodeClock, Sendable {
    private struct Pending {
        let at: Instant
        let sequence: UInt64
        let action: @Sendable () async -> Void
    }

    /// The clock's time and what is scheduled, only touched with the mutex held.
    private struct State {
        var current: Instant
        var pending: [Pending] = []
        var sequence: UInt64 = 0
    }

    private let state: Mutex<State>

    public init(start: Instant) {
        state = Mutex(State(current: start))
    }

    public func now() -> Instant { state.withLock { $0.current } }

    public func schedule(at: Instant, _ action: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            state.sequence += 1
            state.pending.append(Pending(at: at, sequence: state.sequence, action: action))
        }
    }

    /// When the earliest scheduled action is due, if any.
    public var nextDeadline: Instant? {
        state.withLock { $0.pending.map(\.at).min() }
    }

    /// Sets the clock to `target` (never backwards) without running anything: what is due by then stays
    /// scheduled until `advance(to:)`. A cluster's controller sets every clock first and only then runs what is
    /// due, so a message a node sends at `target` never reaches a node whose time is still behind it.
    public func move(to target: Instant) {
        state.withLock { $0.current = max($0.current, target) }
    }

    /// Moves the clock to `target` (never backwards), running every action due by then, earliest first; an
    /// action scheduled while advancing runs too if it is due by `target`.
    public func advance(to target: Instant) async {
        while let next = takeNext(dueBy: target) {
            await next.action()
        }
        state.withLock { $0.current = max($0.current, target) }
    }

    private func takeNext(dueBy target: Instant) -> Pending? {
        state.withLock { state in
            let pending = state.pending
            guard
                let index = pending.indices.filter({ pending[$0].at <= target }).min(by: {
                    (pending[$0].at, pending[$0].sequence) < (pending[$1].at, pending[$1].sequence)
                })
            else { return nil }
            let next = state.pending.remove(at: index)
            state.current = max(state.current, next.at)
            return next
        }
    }
}

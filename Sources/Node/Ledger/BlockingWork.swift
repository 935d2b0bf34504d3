import Dispatch
import Synchronization

/// Runs blocking work — a ledger transaction and the `fsync` that makes it durable — on threads of its own, off
/// Swift's cooperative pool.
///
/// That pool has one thread per core. A ledger commit with `synchronous=FULL` holds its thread for the flush (0.3 to
/// 4 ms on this machine), and while it does, that core answers no request: with 8,000 POQs waiting at one node, each
/// of the pool's two threads was measured busy only about 62 % of the time. Serial dispatch queues get threads of
/// their own when they have work, so a flush now waits there while the pool goes on.
enum BlockingWork {
    private static let queues = (0..<4).map { DispatchQueue(label: "scbroker.ledger-io-\($0)") }
    private static let next = Atomic<UInt>(0)

    /// `work`'s result, computed on one of the ledger I/O threads; the calling task waits without holding a thread.
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let queue = nextQueue()
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: work)) }
        }
    }

    /// `work`'s result, computed on one of the ledger I/O threads (work that cannot throw).
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        let queue = nextQueue()
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    private static func nextQueue() -> DispatchQueue {
        queues[Int(next.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(queues.count))]
    }
}

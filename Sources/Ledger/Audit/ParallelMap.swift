import Dispatch
import Foundation

/// Maps indices to results across all cores (`DispatchQueue.concurrentPerform` over contiguous chunks): the
/// auditor's signature checks are independent, so they scale with the cores.
enum ParallelMap {
    /// The cores this process may use, read once: Foundation reads the cgroup files again on every
    /// `activeProcessorCount`, and a node's ledger lanes map a few times per batch.
    static let processorCount = ProcessInfo.processInfo.activeProcessorCount

    /// `[transform(0), transform(1), ..., transform(count - 1)]`, computed on every core.
    /// Fewer than `serialBelow` elements are mapped on the calling thread alone.
    static func map<T>(count: Int, cores: Int? = nil, serialBelow: Int = 64, _ transform: (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let workers = max(1, cores ?? processorCount)
        if workers == 1 || count < serialBelow { return (0..<count).map(transform) }
        let chunks = min(count, workers * 64)
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = UncheckedPointer(base: buffer.baseAddress!)
            withoutActuallyEscaping(transform) { transform in
                let work = UncheckedClosure(transform)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let start = count * chunk / chunks
                    let end = count * (chunk + 1) / chunks
                    for index in start..<end { (base.base + index).initialize(to: work.call(index)) }
                }
            }
            initialized = count
        }
    }
}

/// Disjoint writes from several threads into one buffer: each chunk owns its own index range.
private struct UncheckedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

/// The caller's transform, shared by the workers; it only reads shared state.
private struct UncheckedClosure<T>: @unchecked Sendable {
    let call: (Int) -> T
    init(_ call: @escaping (Int) -> T) { self.call = call }
}

/// Work on blocks a producer hands over one at a time (a file being read): `cores - 1` threads start at once and
/// take each block as it arrives, and the producer's thread joins them when it has handed over the last, so the
/// blocks are checked while the next is read. (Dispatch's global queue adds threads only gradually on Linux; these
/// are started up front.)
final class BlockPipeline<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let transform: @Sendable (Input) -> Output
    // Guarded by `condition`.
    private var inputs: [Input?] = []
    private var outputs: [Output?] = []
    private var next = 0
    private var closed = false
    private var running = 0

    init(cores: Int? = nil, transform: @escaping @Sendable (Input) -> Output) {
        self.transform = transform
        let helpers = max(1, cores ?? ParallelMap.processorCount) - 1
        running = helpers
        for _ in 0..<helpers { Thread { self.work() }.start() }
    }

    /// Hands over the next block.
    func submit(_ input: Input) {
        condition.lock()
        inputs.append(input)
        outputs.append(nil)
        condition.signal()
        condition.unlock()
    }

    /// Closes the pipeline, works on what is left beside the helpers and returns every block's output, in the order
    /// handed over.
    func finish() -> [Output] {
        condition.lock()
        closed = true
        running += 1
        condition.broadcast()
        condition.unlock()
        work()
        condition.lock()
        while running > 0 { condition.wait() }
        let results = outputs.map { $0! }
        condition.unlock()
        return results
    }

    /// Closes the pipeline without waiting: blocks not yet taken are dropped, and the helpers end once they are
    /// done with the ones they hold.
    func cancel() {
        condition.lock()
        closed = true
        for index in next..<inputs.count { inputs[index] = nil }
        next = inputs.count
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        condition.lock()
        while true {
            if next < inputs.count {
                let index = next
                next += 1
                let input = inputs[index]!
                inputs[index] = nil
                condition.unlock()
                let output = transform(input)
                condition.lock()
                outputs[index] = output
            } else if closed {
                break
            } else {
                condition.wait()
            }
        }
        running -= 1
        condition.broadcast()
        condition.unlock()
    }
}

import Dispatch
import Foundation

/// Maps indices to results across all cores (`DispatchQueue.concurrentPerform` over contiguous chunks): the
/// auditor's signature checks are independent, so they scale with the cores.
enum ParallelMap {
    /// `[transform(0), transform(1), ..., transform(count - 1)]`, computed on every core.
    static func map<T>(count: Int, cores: Int? = nil, _ transform: (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let workers = max(1, cores ?? ProcessInfo.processInfo.activeProcessorCount)
        if workers == 1 || count < 64 { return (0..<count).map(transform) }
        let chunks = min(count, workers * 8)
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

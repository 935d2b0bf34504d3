/// Work a node starts from inside its actor (outbound sends, timers, ledger lanes), run as child tasks of the
/// node service's task group: structured, cancelled together at shutdown.
public struct JobQueue: Sendable {
    public typealias Job = @Sendable () async -> Void
    let stream: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: Job.self)
    }

    public func start(_ job: @escaping Job) {
        continuation.yield(job)
    }

    func finish() { continuation.finish() }
}

import CanonicalJSON
import Foundation
import Ledger
import Logging
import SupplyChain
import Synchronization
import Testing

@testable import Node

/// What a node's jobs do when the node stops (its service cancels them).
struct ShutdownTests {
    @Test("a request to an unreachable seller is not retried once its job is cancelled: it ends at once")
    func forwardEndsWhenCancelled() async throws {
        let request = SupplyRequest(
            id: "rq-1", kind: .poq, payload: ["instantSyncQualification": false],
            loopPreventionList: LoopPreventionList(), respondBy: Instant(Date() + 3_600))
        let client = NodeClient(key: PartyKey(party: "SELLER"), urls: ["SUPPLIER": "http://127.0.0.1:9"])
        let forwarding = Task {
            await ProviderNode.forward(
                request, to: "SUPPLIER", client: client, clock: WallClock(jobs: JobQueue()),
                replyTo: "http://127.0.0.1:9", trace: nil, logger: Logger(label: "test"))
        }
        try await Task.sleep(for: .milliseconds(300))
        forwarding.cancel()
        // Before the fix the loop went on, each send failing at once on the cancelled task, until the deadline an
        // hour away.
        let done = Mutex(false)
        Task {
            _ = await forwarding.value
            done.withLock { $0 = true }
        }
        try await waitUntil { done.withLock { $0 } }
        try #require(done.withLock { $0 }, "the forwarding job still runs two minutes after it was cancelled")
        #expect(await forwarding.value == nil)
    }
}

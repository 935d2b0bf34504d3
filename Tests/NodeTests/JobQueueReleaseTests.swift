import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Node

/// A node whose service never runs (a route test) is freed with its files once it goes.
struct JobQueueReleaseTests {
    final class Held: Sendable {}

    @Test("jobs a queue held without a consumer are dropped once it is discarded, and what they hold is freed")
    func discardedJobsAreFreed() async throws {
        let queue = JobQueue()
        weak var held: Held?
        do {
            let object = Held()
            held = object
            queue.start { _ = object }
        }
        #expect(held != nil)
        #expect(queue.activity.running == 1)
        queue.discardWaiting()
        try await waitUntil { held == nil }
        #expect(held == nil)
    }

    @Test("a route test's node, its POQ answered, is freed once the fixture goes")
    func fixtureNodeIsFreed() async throws {
        weak var node: ProviderNode?
        do {
            let fixture = try NodeRouteTests.Fixture()
            node = fixture.server.node
            let body = try NodeRouteTests.fixture("ce_poq_new_epl")
            try await fixture.server.application().test(.router) { client in
                let created = try await SonataConformanceTests.post(body, as: fixture.buyer, to: client)
                #expect(created.status == .created)
            }
            #expect(fixture.server.node.jobs.activity.running > 0)
        }
        try await waitUntil { node == nil }
        #expect(node == nil)
    }
}

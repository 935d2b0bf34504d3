import Testing

@testable import Node

/// The ports a cluster gives its nodes.
struct FreePortTests {
    @Test("a cluster never gets the same port twice, even for nodes that have not bound theirs yet")
    func distinctPorts() throws {
        // 2,000 draws from the 20,000 ports it picks among: with repeats allowed, about a hundred would collide.
        let ports = try (0..<2_000).map { _ in try ClusterRunner.freePort() }
        #expect(Set(ports).count == 2_000)
        #expect(ports.allSatisfy { (1..<65_536).contains($0) })
    }
}

import Foundation
import Testing

@testable import Node

/// `bench cluster`'s CPU bound: the cores divided by the CPU one POQ took, the node's and the retail buyers' together.
struct ClusterBenchmarkReportTests {
    static func run(node: Double, buyers: Double?, agreed: Double?) -> ClusterBenchmark.NodeRun {
        ClusterBenchmark.NodeRun(
            buyers: 1, requests: 6_000, answered: 6_000, poqsPerSecond: 1_050, agreedPOQsPerSecond: agreed,
            entriesPerPOQ: 4, cryptoBoundPerSecond: 4_600, nodeCPUMillisecondsPerPOQ: node,
            buyersCPUMillisecondsPerPOQ: buyers, cores: 2)
    }

    @Test(
        "the CPU bound: 2 cores over 1.2 + 0.8 ms per POQ is 1,000 POQs/s, the node alone 1,667/s; 950 agreed is 95 %")
    func cpuBound() throws {
        let run = Self.run(node: 1.2, buyers: 0.8, agreed: 950)
        #expect(try #require(run.cpuBoundPerSecond).rounded() == 1_000)
        #expect(run.nodeCPUBoundPerSecond.rounded() == 1_667)
        let result = ClusterBenchmark.Result(
            bareRequestsPerSecond: 14_000, bareRoundTripP50Microseconds: 220, signPerSecond: 100_000,
            verifyPerSecond: 20_000, chainRequests: 0, chainAnswered: 0, chainLatencyP50Milliseconds: 0,
            chainLatencyP99Milliseconds: 0, node: [run])
        #expect(
            result.report.contains(
                "CPU bound: 2 cores / that CPU = 1000 POQs/s (the node alone: 1667/s); the agreed rate is 95 % of it"))
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(run)) as? [String: Any]
        #expect((json?["cpuBoundPerSecond"] as? Double)?.rounded() == 1_000)
    }

    @Test("without the buyers' CPU (agreement not seen) there is no CPU bound line")
    func noBoundWithoutBuyers() {
        let run = Self.run(node: 1.2, buyers: nil, agreed: nil)
        #expect(run.cpuBoundPerSecond == nil)
        let result = ClusterBenchmark.Result(
            bareRequestsPerSecond: 14_000, bareRoundTripP50Microseconds: 220, signPerSecond: 100_000,
            verifyPerSecond: 20_000, chainRequests: 0, chainAnswered: 0, chainLatencyP50Milliseconds: 0,
            chainLatencyP99Milliseconds: 0, node: [run])
        #expect(!result.report.contains("CPU bound"))
    }
}

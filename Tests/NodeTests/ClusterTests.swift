import Foundation
import Ledger
import Logging
import Node
import ScenarioModel
import Simulation
import Synchronization
import Testing

/// `broker cluster` end to end: every provider as its own `broker serve` process on loopback.
@Suite(.serialized)
struct ClusterTests {
    static let threeHops = """
        name: three-hop-live
        seed: 5
        defaults: { latency: 5ms, processingTime: 300ms }
        providers:
          - { id: A, markup: 10%, sellers: [B] }
          - { id: B, markup: 10%, sellers: [C] }
          - id: C
            catalog:
              - { offering: EPL, places: [PARIS-7], cost: 100, leadTime: 10d }
        demand:
          - id: first
            at: 0s
            buyer: SHOP
            seller: A
            kind: inquiry
            completionWithin: 30s
            items: [{ id: epl-1, offering: EPL, place: PARIS-7, bandwidthMbps: 100 }]
          - id: second
            at: 2s
            buyer: SHOP
            seller: A
            kind: inquiry
            completionWithin: 30s
            items: [{ id: epl-1, offering: EPL, place: PARIS-7, bandwidthMbps: 100 }]
        expect:
          - { demand: first, state: READY, price: 121.00, path: [A, B, C] }
          - { demand: second, state: READY, price: 121.00, path: [A, B, C] }
          - { ledgers: clean }
        """

    /// The `broker` executable built beside this test bundle.
    static func broker() throws -> String {
        let path = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("broker").path
        try #require(FileManager.default.isExecutableFile(atPath: path), "build the broker product first")
        return path
    }

    /// A cluster runner for `scenario` (the three-hop chain unless told), in a fresh work directory.
    static func runner(_ name: String, scenario: String = threeHops) throws -> ClusterRunner {
        let plan = try SimulationPlan(
            ScenarioLoader.parse(scenario), directory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        return ClusterRunner(
            plan: plan, scenarioText: scenario, workDirectory: directory, brokerExecutable: try broker(),
            logger: Logger(label: "cluster-test"))
    }

    @Test("a 3-hop chain of live nodes answers as the simulator does; both copies of every ledger clean")
    func threeHopChain() async throws {
        let runner = try Self.runner("three-hop")
        let live = try await runner.run()
        let simulated = try Simulator(plan: runner.plan).run()
        #expect(live.passed, "\(live.expectations.filter { !$0.passed })")
        #expect(live.auditFindings.isEmpty, "\(live.auditFindings)")
        // Every demand of the simulator has its live counterpart, by index and by id: a missing one fails here.
        try #require(live.demands.count == simulated.demands.count)
        for index in simulated.demands.indices {
            let (a, b) = (live.demands[index], simulated.demands[index])
            #expect(a.id == b.id)
            #expect(a.state == b.state)
            #expect(a.totalPrice == b.totalPrice)
            #expect(a.items.map(\.path) == b.items.map(\.path))
        }
        // Retail ↔ A, A ↔ B, B ↔ C and three internal ledgers, each with both copies.
        #expect(live.ledgers.count == 6)

        // One trace id per retail request, in the trace log of every node it reached.
        var traceIDs: [String: Set<String>] = [:]
        for party in ["A", "B", "C"] {
            let path = runner.workDirectory.appendingPathComponent("\(party).trace.jsonl").path
            for line in TraceLog.read(path: path) where line.type == "request" {
                let traceID = try #require(line.traceID)
                #expect(traceID == TraceContext.traceID(of: try #require(line.trace)))
                traceIDs[traceID, default: []].insert(party)
                // B and C were sent a traceparent by their buyer: its parent id is the span of that request.
                if party != "A" {
                    let sent = TraceContext(
                        forwarding: try #require(line.trace), requestID: try #require(line.requestID))
                    #expect(line.parentID == sent.parentID)
                }
            }
        }
        #expect(traceIDs.count == 2)
        #expect(traceIDs.values.allSatisfy { $0 == ["A", "B", "C"] })
    }

    @Test(
        "a cluster with --witness: every checkpoint of the run carries the witness's cosignature; progress on a wall clock"
    )
    func witnessedCluster() async throws {
        var runner = try Self.runner("witnessed")
        runner.witness = true
        runner.checkpoints = NodeConfiguration.CheckpointSetting(entries: 2)
        let reports = Mutex<[RunProgress]>([])
        runner.onProgress = { progress in reports.withLock { $0.append(progress) } }
        let live = try await runner.run()
        #expect(live.passed, "\(live.expectations.filter { !$0.passed })")
        // The end-of-run audit requires the witness's cosignature on every checkpoint (unwitnessed_checkpoint).
        #expect(live.auditFindings.isEmpty, "\(live.auditFindings)")

        let work = runner.workDirectory
        let vkey = try VerifierKey(
            parsing: try String(contentsOf: work.appendingPathComponent("witness.vkey"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(vkey.name == "cluster-witness")
        // Per ledger (named by its parties) and per holder file, the sizes of the stored checkpoints.
        var sizes: [String: [String: [UInt64]]] = [:]
        for file in ["A", "B", "C", "A-sof", "B-sof", "C-sof", "retail-SHOP"].map({ "\($0).sqlite" }) {
            let path = work.appendingPathComponent(file).path
            let store = try SQLiteLedgerStore(readOnlyPath: path)
            for id in try store.ledgerIDs() {
                let parties = try #require(try store.header(of: id)).parties.map(\.rawValue).joined(separator: "|")
                for checkpoint in try store.checkpoints(of: id) {
                    #expect(
                        checkpoint.signatureStatus(of: vkey.name, publicKey: vkey.publicKey) == .valid,
                        "\(file) \(parties) size \(checkpoint.size)")
                    sizes[parties, default: [:]][file, default: []].append(checkpoint.size)
                }
            }
            #expect(try LedgerAuditor(rules: .broker, witnessKeys: [vkey]).audit(file: path) == [])
        }
        // Every second entry of the 6-entry ledgers between providers, in both copies; the internal ledgers' two
        // entries, in the provider's and the SOF's copy. (The retail ledger's depend on who wrote its even entries.)
        #expect(sizes["A|B"] == ["A.sqlite": [2, 4, 6], "B.sqlite": [2, 4, 6]])
        #expect(sizes["B|C"] == ["B.sqlite": [2, 4, 6], "C.sqlite": [2, 4, 6]])
        #expect(sizes["A|A#sof"] == ["A.sqlite": [2], "A-sof.sqlite": [2]])
        #expect(sizes["B|B#sof"] == ["B.sqlite": [2], "B-sof.sqlite": [2]])
        #expect(sizes["C|C#sof"] == ["C.sqlite": [2], "C-sof.sqlite": [2]])
        #expect(Set(sizes.keys).subtracting(["A|SHOP"]) == ["A|B", "B|C", "A|A#sof", "B|B#sof", "C|C#sof"])

        // A wall-clock run reports its progress at the start and after each answer.
        let seen = reports.withLock { $0 }
        #expect(seen.first?.answers == 0)
        #expect(seen.last?.answers == runner.plan.demands.count)
        #expect(seen.last?.demands == runner.plan.demands.count)
    }

    @Test("order-delivery with a witness and checkpoints every 30 days of protocol time: all witnessed, audit clean")
    func witnessedTimeCadence() async throws {
        var (_, runner) = try Self.embeddedRunner("order-delivery")
        runner.witness = true
        runner.checkpoints = NodeConfiguration.CheckpointSetting(entries: 256, every: .days(30))
        let live = try await runner.run()
        #expect(live.passed, "\(live.expectations.filter { !$0.passed })")
        // Both parties submit every checkpoint; none is refused or left without the witness's line.
        #expect(live.auditFindings.isEmpty, "\(live.auditFindings)")
        let work = runner.workDirectory
        let vkey = try VerifierKey(
            parsing: try String(contentsOf: work.appendingPathComponent("witness.vkey"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines))
        var checkpoints: [Checkpoint] = []
        for party in ["RETAIL", "REGIONAL", "WHOLESALE", "ACCESS"] {
            let store = try SQLiteLedgerStore(readOnlyPath: work.appendingPathComponent("\(party).sqlite").path)
            for id in try store.ledgerIDs() { checkpoints += try store.checkpoints(of: id) }
        }
        // No ledger of the run reaches 256 entries: every checkpoint is one of the time cadence.
        #expect(checkpoints.count > 8)
        #expect(checkpoints.allSatisfy { $0.size < 256 })
        #expect(checkpoints.allSatisfy { $0.signatureStatus(of: vkey.name, publicKey: vkey.publicKey) == .valid })
        for party in ["RETAIL", "REGIONAL", "WHOLESALE", "ACCESS"] {
            let log = try String(contentsOf: work.appendingPathComponent("\(party).log"), encoding: .utf8)
            #expect(!log.contains("witness refused"), "\(party)")
        }
    }

    /// An embedded scenario's plan and a cluster runner for it (stepped clock when it orders).
    static func embeddedRunner(_ name: String) throws -> (SimulationPlan, ClusterRunner) {
        let (text, directory) = try ScenarioLoader.embedded(name)
        let plan = try SimulationPlan(ScenarioLoader.parse(text), directory: directory)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        let runner = ClusterRunner(
            plan: plan, scenarioText: text, workDirectory: work, brokerExecutable: try broker(),
            logger: Logger(label: "cluster-test"))
        return (plan, runner)
    }

    @Test(
        "PDL-019 PDL-047 PDL-116 order-delivery on live nodes (stepped clock): the simulator's orders, changes, terms and prices; both ledger copies clean",
        arguments: ["order-delivery", "order-failures", "order-disconnect", "order-disconnect-withdrawn"])
    func orderScenarioLive(_ name: String) async throws {
        let (plan, runner) = try Self.embeddedRunner(name)
        #expect(runner.clock == .stepped)
        let live = try await runner.run()
        let simulated = try Simulator(plan: plan).run()
        #expect(live.passed, "\(live.expectations.filter { !$0.passed })")
        #expect(live.auditFindings.isEmpty, "\(live.auditFindings)")
        // Every demand of the simulator has its live counterpart, by index and by id: a missing one fails here.
        try #require(live.demands.count == simulated.demands.count)
        for index in simulated.demands.indices {
            let (a, b) = (live.demands[index], simulated.demands[index])
            #expect(a.id == b.id)
            #expect(a.state == b.state, "\(a.id)")
            #expect(a.totalPrice == b.totalPrice, "\(a.id)")
            #expect(a.order?.state == b.order?.state, "\(a.id)")
            #expect(a.order?.reason == b.order?.reason, "\(a.id)")
            #expect(a.order?.servicePaths == b.order?.servicePaths, "\(a.id)")
            #expect(a.order?.changePrices == b.order?.changePrices, "\(a.id)")
            #expect(a.order?.outages == b.order?.outages, "\(a.id)")
            #expect(a.order?.extensionRequests == b.order?.extensionRequests, "\(a.id)")
            #expect(a.order?.terms.count == b.order?.terms.count, "\(a.id)")
        }
        // Same ledgers between the same parties, with the same kinds of entry on each.
        let kinds = { (result: SimulationResult) in
            Dictionary(
                uniqueKeysWithValues: result.ledgers.map { ($0.parties.sorted().joined(separator: "|"), $0.kinds) })
        }
        #expect(kinds(live) == kinds(simulated))
    }

    @Test(
        "every fault scenario on live nodes ends as in the simulator: tickets, resolutions, outages, inventories, ledger kinds",
        arguments: ScenarioLoader.embeddedNames().filter { $0.hasPrefix("fault-") })
    func faultScenarioLive(_ name: String) async throws {
        let (plan, runner) = try Self.embeddedRunner(name)
        let live = try await runner.run()
        let simulated = try Simulator(plan: plan).run()
        #expect(live.passed, "\(live.expectations.filter { !$0.passed })")
        #expect(live.auditFindings.isEmpty, "\(live.auditFindings)")
        try #require(live.demands.count == simulated.demands.count)
        for index in live.demands.indices {
            let (a, b) = (live.demands[index].order, simulated.demands[index].order)
            let id = live.demands[index].id
            #expect(a?.state == b?.state, "\(id)")
            #expect(a?.reason == b?.reason, "\(id)")
            #expect(a?.serviceStates == b?.serviceStates, "\(id)")
            #expect(a?.tickets.map(\.state) == b?.tickets.map(\.state), "\(id)")
            #expect(a?.tickets.map(\.resolution) == b?.tickets.map(\.resolution), "\(id)")
            #expect(
                a?.faultOutages.map { $0.prefix { $0 != " " } } == b?.faultOutages.map { $0.prefix { $0 != " " } },
                "\(id)")
        }
        let kinds = { (result: SimulationResult) in
            Dictionary(
                uniqueKeysWithValues: result.ledgers.map { ($0.parties.sorted().joined(separator: "|"), $0.kinds) })
        }
        #expect(kinds(live) == kinds(simulated))
    }

    @Test(
        "the performance scenarios on live nodes give the simulator's reports, availabilities and reputations",
        arguments: ["performance-reports", "performance-missing", "reputation-sourcing"])
    func performanceScenarioLive(_ name: String) async throws {
        let (plan, runner) = try Self.embeddedRunner(name)
        let live = try await runner.run()
        let simulated = try Simulator(plan: plan).run()
        #expect(live.passed, "\(live.expectations.filter { !$0.passed })")
        #expect(live.auditFindings.isEmpty, "\(live.auditFindings)")
        #expect(live.reputations == simulated.reputations)
        // PDL-115 on live nodes: the same providers publish on their omni-lateral ledgers, and every publication is
        // countersigned by the neighbours holding its records (the cadence follows each node's clock, so the number
        // of publications may differ from the simulator's).
        #expect(live.omniLedgers.map(\.publisher) == simulated.omniLedgers.map(\.publisher))
        #expect(!live.omniLedgers.isEmpty)
        for omni in live.omniLedgers {
            #expect(omni.entries > 0 && omni.countersigned == omni.expected && omni.refused == 0, "\(omni)")
        }
        try #require(live.demands.count == simulated.demands.count)
        for index in live.demands.indices {
            let (a, b) = (live.demands[index], simulated.demands[index])
            #expect(a.items.map(\.path) == b.items.map(\.path), "\(a.id)")
            let (liveReports, simulatedReports) = (a.order?.reports ?? [], b.order?.reports ?? [])
            #expect(liveReports.count == simulatedReports.count, "\(a.id)")
            #expect(liveReports.map(\.compliance) == simulatedReports.map(\.compliance), "\(a.id)")
            #expect(liveReports.map(\.missing) == simulatedReports.map(\.missing), "\(a.id)")
            #expect(
                liveReports.filter { !$0.scheduled }.map(\.availability)
                    == simulatedReports.filter { !$0.scheduled }.map(\.availability), "\(a.id)")
        }
    }

    @Test(
        "restart on the stepped clock: WHOLESALE killed with SIGKILL mid-delivery and restarted from its journal; the orders end as in the simulator, ledgers clean"
    )
    func restartMidDelivery() async throws {
        let (text, directory) = try ScenarioLoader.embedded("order-delivery")
        let plan = try SimulationPlan(ScenarioLoader.parse(text), directory: directory)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("mid-delivery-\(UUID().uuidString)")
        var runner = ClusterRunner(
            plan: plan, scenarioText: text, workDirectory: work, brokerExecutable: try Self.broker(),
            logger: Logger(label: "cluster-test"))
        let restarted = Counter()
        let crasher = runner
        runner.whenQuiet = { step, cluster in
            // Step 8: the line's order is accepted and its 14-day activation is under way.
            guard step == 8 else { return }
            await crasher.crash("WHOLESALE", in: cluster)
            try crasher.launch("WHOLESALE", in: cluster)
            try await crasher.waitUntilHealthy(cluster, parties: ["WHOLESALE"])
            restarted.increment()
        }
        let live = try await runner.run()
        let simulated = try Simulator(plan: plan).run()
        #expect(restarted.value == 1)
        #expect(live.passed, "\(live.expectations.filter { !$0.passed })")
        #expect(live.auditFindings.isEmpty, "\(live.auditFindings)")
        // Every demand of the simulator has its live counterpart, by index and by id: a missing one fails here.
        try #require(live.demands.count == simulated.demands.count)
        for index in simulated.demands.indices {
            let (a, b) = (live.demands[index], simulated.demands[index])
            #expect(a.id == b.id)
            #expect(a.order?.state == b.order?.state, "\(a.id)")
            #expect(a.order?.servicePaths == b.order?.servicePaths, "\(a.id)")
            #expect(a.order?.changePrices == b.order?.changePrices, "\(a.id)")
            #expect(a.order?.terms.count == b.order?.terms.count, "\(a.id)")
        }
        let log = try String(contentsOf: work.appendingPathComponent("WHOLESALE.log"), encoding: .utf8)
        #expect(log.contains("state restored from the journal"))
    }

    final class Counter: Sendable {
        private let count = Mutex(0)
        func increment() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test("restart: the middle node killed with SIGKILL and restarted; the chain completes and ledgers audit clean")
    func restartMiddleNode() async throws {
        let runner = try Self.runner("restart")
        let cluster = try runner.prepare()
        defer { runner.stop(cluster) }
        let outcome = try await runner.withRetailServer(cluster) { _ in
            for party in runner.plan.providers.map(\.party) { try runner.launch(party, in: cluster) }
            try await runner.waitUntilHealthy(cluster)
            let observations = try await withThrowingTaskGroup(of: [String: SimulationResult.RetailObservation]?.self) {
                group in
                group.addTask { try await runner.drive(cluster) }
                group.addTask {
                    try await Task.sleep(for: .seconds(1))
                    await runner.crash("B", in: cluster)
                    try await Task.sleep(for: .milliseconds(1_800))
                    try runner.launch("B", in: cluster)
                    try await runner.waitUntilHealthy(cluster, parties: ["B"])
                    return nil
                }
                var result: [String: SimulationResult.RetailObservation] = [:]
                for try await value in group { if let value { result = value } }
                return result
            }
            // B's lanes back off while it is down: wait for every ledger to be agreed, not for a fixed time.
            #expect(try await runner.waitUntilAgreed(cluster, until: .now + .seconds(60)))
            await runner.stop(cluster)
            return try runner.collect(cluster, observations: observations, duration: .zero)
        }
        #expect(outcome.demands.map(\.state) == ["READY", "READY"])
        #expect(outcome.auditFindings.isEmpty, "\(outcome.auditFindings)")
        #expect(outcome.passed, "\(outcome.expectations.filter { !$0.passed })")
    }
}

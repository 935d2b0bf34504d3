import CanonicalJSON
import Foundation
import Ledger
import Logging
import ScenarioModel
import ServiceLifecycle
import Sonata
import SupplyChain
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `broker cluster`: every provider of a scenario as its own `broker serve` process on 127.0.0.1, the scenario's
/// retail demand sent over HTTP by signed retail buyers, the outcome checked against the scenario's expectations
/// and every ledger pair audited (both copies identical and clean).
public struct ClusterRunner: Sendable {
    public let plan: SimulationPlan
    public let scenarioText: String
    public let workDirectory: URL
    public let brokerExecutable: String
    public let logger: Logger
    /// Longest wait for a node to come up, and for all of them to stop.
    public var startupLimit: Swift.Duration = .seconds(60)
    /// Longest wait, on a stepped clock, for every node to go quiet before the clock moves.
    public var settleLimit: Swift.Duration = .seconds(120)
    /// Where the nodes' protocol time comes from.
    public var clock: ClockMode
    /// On a stepped clock: called each time the whole cluster is quiet, before the clocks move, with the number of
    /// steps so far (tests crash and restart nodes here).
    public var whenQuiet: (@Sendable (Int, Cluster) async throws -> Void)?
    /// On a wall clock: when set, the run also waits (up to `settleLimit`) for every node's lanes to be empty — each
    /// entry of the run agreed on both copies, the internal ledgers' too — and calls this with the moment it saw
    /// them so (`bench cluster` counts its POQ rate up to there).
    public var onLedgersAgreed: (@Sendable (Date) -> Void)?
    /// Called once every node answers its health check, before the first demand is sent (`bench cluster` reads
    /// the nodes' CPU time here).
    public var onNodesUp: (@Sendable (Cluster) -> Void)?
    /// Called after each step of a stepped clock, and on a wall clock at the start and after each answer, with how
    /// far the run is (`broker cluster` shows it on a terminal).
    public var onProgress: (@Sendable (RunProgress) -> Void)?
    /// Runs a witness (`broker witness`) in this process beside the nodes, configures every node (and the retail
    /// buyers) to send it their co-signed checkpoints, and audits with its verifier key (every checkpoint must
    /// carry its cosignature). Its key is `keys/cluster-witness.key`, its verifier key `witness.vkey`, its state
    /// `witness.sqlite`, all in the work directory.
    public var witness = false
    /// The nodes' checkpoint cadence (`checkpoints:` in each node file); nil: the node default (every 256 entries).
    public var checkpoints: NodeConfiguration.CheckpointSetting?

    /// The witness's name on its cosignature lines.
    public static let witnessName: PartyID = "cluster-witness"

    /// How a cluster keeps protocol time.
    public enum ClockMode: String, Sendable, CaseIterable {
        /// Every node on the wall clock, demand at real times: what production does.
        case wall
        /// Every node on a stepped clock driven by the runner: days of order delivery run in seconds, with the
        /// simulator's timings.
        case stepped

        /// Stepped when the scenario orders (its windows and terms span days), wall otherwise.
        public static func auto(for plan: SimulationPlan) -> ClockMode {
            plan.demands.contains { $0.order != nil } ? .stepped : .wall
        }
    }

    public init(
        plan: SimulationPlan, scenarioText: String, workDirectory: URL, brokerExecutable: String, logger: Logger,
        clock: ClockMode? = nil
    ) {
        self.plan = plan
        self.clock = clock ?? .auto(for: plan)
        self.scenarioText = scenarioText
        self.workDirectory = workDirectory
        self.brokerExecutable = brokerExecutable
        self.logger = logger
    }

    /// A running cluster's parties: keys, URLs and files, fixed by `prepare()`, and the processes `launch` starts.
    public final class Cluster: Sendable {
        public let keys: [PartyID: PartyKey]
        public let urls: [PartyID: String]
        public let configPaths: [PartyID: String]
        public let databases: [PartyID: String]
        public let traces: [PartyID: String]
        public let retailDatabases: [PartyID: String]
        public let retailURL: String
        public let retailLedgers: [PartyID: NodeLedgers]
        /// The witness's key and URL, when the runner runs one.
        public let witnessKey: PartyKey?
        public let witnessURL: String?
        /// Each provider's `broker serve` process; a restart replaces one.
        private let running = Mutex<[PartyID: Process]>([:])

        init(
            keys: [PartyID: PartyKey], urls: [PartyID: String], configPaths: [PartyID: String],
            databases: [PartyID: String], traces: [PartyID: String], retailDatabases: [PartyID: String],
            retailURL: String, retailLedgers: [PartyID: NodeLedgers], witnessKey: PartyKey? = nil,
            witnessURL: String? = nil
        ) {
            self.witnessKey = witnessKey
            self.witnessURL = witnessURL
            self.keys = keys
            self.urls = urls
            self.configPaths = configPaths
            self.databases = databases
            self.traces = traces
            self.retailDatabases = retailDatabases
            self.retailURL = retailURL
            self.retailLedgers = retailLedgers
        }

        /// Each provider's latest `broker serve` process.
        public var processes: [PartyID: Process] { running.withLock { $0 } }

        func started(_ process: Process, for party: PartyID) { running.withLock { $0[party] = process } }
    }

    /// Runs the whole scenario and returns the outcome; the nodes are stopped whatever happens.
    public func run() async throws -> SimulationResult {
        let cluster = try prepare()
        defer { stop(cluster) }
        return try await withRetailServer(cluster) { retail in
            for party in plan.providers.map(\.party) { try launch(party, in: cluster) }
            try await waitUntilHealthy(cluster)
            onNodesUp?(cluster)
            let started = ContinuousClock.now
            var observations: [String: SimulationResult.RetailObservation]
            var driver: RetailDriver?
            switch clock {
            case .wall:
                observations = try await drive(cluster)
            case .stepped:
                (observations, driver) = try await driveStepped(cluster, retail: retail)
            }
            let duration = ContinuousClock.now - started
            if clock == .wall {
                // A node answers first and queues the answer's entries after: they, and the last hops', are agreed
                // after the last answer. Bounded: what is still not agreed then is the audit's finding (a copy
                // behind), not a hang.
                let bound = min(settleLimit, .seconds(30))
                if try await !waitUntilAgreed(cluster, until: ContinuousClock.now + bound) {
                    logger.notice("ledgers not all agreed when the cluster stopped", metadata: ["waited": "\(bound)"])
                }
            }
            await stop(cluster)
            for (id, observation) in observations {
                if let reference = observation.response?.sellerReference {
                    observations[id]?.notifications = retail.notifications(for: reference)
                }
            }
            var protocolTime: TimeSpan?
            if let reached = await driver?.reached { protocolTime = reached - plan.start }
            return try collect(
                cluster, observations: observations, ordering: await driver?.ordering, duration: duration,
                steps: await driver?.steps ?? 0, protocolTime: protocolTime,
                serviceStates: await driver?.serviceStates ?? [:], reputations: await driver?.reputations ?? [:])
        }
    }

    /// Runs `body` while the retail buyers' server (their ledger copies and listeners) is up.
    public func withRetailServer<T: Sendable>(
        _ cluster: Cluster, _ body: @Sendable (RetailServer) async throws -> T
    ) async throws -> T {
        var providerKeys: [PartyID: Data] = [:]
        for provider in plan.providers.map(\.party) { providerKeys[provider] = cluster.keys[provider]!.publicKey }
        let retail = RetailServer(ledgers: cluster.retailLedgers)
        let port = URL(string: cluster.retailURL)!.port!
        let app = retail.application(
            port: port, verifier: RequestVerifier(keys: providerKeys, audiences: Set(cluster.retailLedgers.keys)),
            logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app)]
        if let witnessURL = cluster.witnessURL {
            let server = try WitnessServer(
                keyFile: workDirectory.appendingPathComponent("keys/\(Self.witnessName.rawValue).key").path,
                database: workDirectory.appendingPathComponent("witness.sqlite").path, host: "127.0.0.1",
                port: URL(string: witnessURL)!.port!, trustedKeys: nil, logger: logger)
            services.append(.init(service: server.application()))
        }
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            do {
                let value = try await body(retail)
                await group.triggerGracefulShutdown()
                for try await _ in tasks {}
                for ledger in cluster.retailLedgers.values { try ledger.flush() }
                return value
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }

    // MARK: - Preparing and launching

    /// Writes keys and node configurations into the work directory.
    public func prepare() throws -> Cluster {
        let files = FileManager.default
        try files.createDirectory(at: workDirectory.appendingPathComponent("keys"), withIntermediateDirectories: true)
        var keys: [PartyID: PartyKey] = [:]
        var urls: [PartyID: String] = [:]
        var configPaths: [PartyID: String] = [:]
        var databases: [PartyID: String] = [:]
        var traces: [PartyID: String] = [:]
        var retailDatabases: [PartyID: String] = [:]
        var retailLedgers: [PartyID: NodeLedgers] = [:]
        try scenarioText.write(
            to: workDirectory.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        let providers = plan.providers.map(\.party)
        let retail = Array(Set(plan.demands.map(\.buyer))).sorted()
        for party in providers + retail + [Self.clockController] {
            let key = PartyKey(party: party)
            keys[party] = key
            let keyPath = workDirectory.appendingPathComponent("keys/\(party.rawValue).key").path
            try? files.removeItem(atPath: keyPath)
            try KeyFile(key: key).write(to: keyPath)
        }
        for party in providers {
            urls[party] = "http://127.0.0.1:\(try Self.freePort())"
        }
        let retailURL = "http://127.0.0.1:\(try Self.freePort())"
        for buyer in retail { urls[buyer] = retailURL }
        var witnessKey: PartyKey?
        var witnessURL: String?
        var witnessLink: WitnessClient?
        if witness {
            let key = PartyKey(party: Self.witnessName)
            let keyPath = workDirectory.appendingPathComponent("keys/\(Self.witnessName.rawValue).key").path
            try? files.removeItem(atPath: keyPath)
            try KeyFile(key: key).write(to: keyPath)
            let state = workDirectory.appendingPathComponent("witness.sqlite").path
            for path in [state, state + "-wal", state + "-shm"] { try? files.removeItem(atPath: path) }
            try (VerifierKey(key).description + "\n").write(
                to: workDirectory.appendingPathComponent("witness.vkey"), atomically: true, encoding: .utf8)
            let url = "http://127.0.0.1:\(try Self.freePort())"
            witnessKey = key
            witnessURL = url
            witnessLink = WitnessClient(url: url, key: VerifierKey(key))
        }
        for party in providers {
            let database = workDirectory.appendingPathComponent("\(party.rawValue).sqlite").path
            let trace = workDirectory.appendingPathComponent("\(party.rawValue).trace.jsonl").path
            let journal = InputJournal.path(forDatabase: database)
            for path in [
                database, NodeLedgers.sofDatabase(database), trace, journal, journal + "-wal", journal + "-shm",
                SeenSignatures.path(forDatabase: database),
            ] {
                try? files.removeItem(atPath: path)
            }
            databases[party] = database
            traces[party] = trace
            var lines = [
                "party: \(party.rawValue)", "scenario: scenario.yaml",
                "listen: { host: 127.0.0.1, port: \(URL(string: urls[party]!)!.port!) }",
                "keyFile: keys/\(party.rawValue).key", "database: \(party.rawValue).sqlite",
                "traceLog: \(party.rawValue).trace.jsonl", "peers:",
            ]
            for peer in providers + retail + [Self.clockController] where peer != party {
                let url = urls[peer].map { ", url: \"\($0)\"" } ?? ""
                lines.append("  - { id: \(peer.rawValue), publicKey: \(keys[peer]!.publicKey.hexString)\(url) }")
            }
            if let witnessKey, let witnessURL {
                lines.append("witness: { url: \"\(witnessURL)\", key: \"\(VerifierKey(witnessKey))\" }")
            }
            if let checkpoints {
                let every = checkpoints.every.map { ", every: \($0.milliseconds)ms" } ?? ""
                lines.append("checkpoints: { entries: \(checkpoints.entries)\(every) }")
            }
            if clock == .stepped {
                lines.append(
                    "clock: { mode: stepped, start: \"\(plan.start)\", controller: \(Self.clockController.rawValue) }")
            }
            let path = workDirectory.appendingPathComponent("\(party.rawValue).yaml").path
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            configPaths[party] = path
        }
        var providerKeys: [PartyID: Data] = [:]
        for provider in providers { providerKeys[provider] = keys[provider]!.publicKey }
        for buyer in retail {
            let database = workDirectory.appendingPathComponent("retail-\(buyer.rawValue).sqlite").path
            try? files.removeItem(atPath: database)
            retailDatabases[buyer] = database
            retailLedgers[buyer] = try NodeLedgers(
                key: keys[buyer]!, database: database, withSOF: false, peerKeys: providerKeys,
                transport: NodeClient(key: keys[buyer]!, urls: urls, http: .ledger), logger: logger,
                retryLimit: .seconds(30),
                witness: witnessLink, linger: NodeLedgers.nodeLinger)
        }
        return Cluster(
            keys: keys, urls: urls, configPaths: configPaths, databases: databases, traces: traces,
            retailDatabases: retailDatabases, retailURL: retailURL, retailLedgers: retailLedgers,
            witnessKey: witnessKey, witnessURL: witnessURL)
    }

    /// Starts (or restarts) one provider's `broker serve` process; its output goes to `PARTY.log`.
    /// - Parameter environment: variables set for this process on top of this one's (a test's `CrashPoint`).
    public func launch(_ party: PartyID, in cluster: Cluster, environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: brokerExecutable)
        process.arguments = ["serve", "--config", cluster.configPaths[party]!]
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let logPath = workDirectory.appendingPathComponent("\(party.rawValue).log").path
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        _ = try log.seekToEnd()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        cluster.started(process, for: party)
        Self.children.insert(process.processIdentifier)
    }

    /// Waits until every node answers `GET /health`.
    public func waitUntilHealthy(_ cluster: Cluster, parties: [PartyID]? = nil) async throws {
        let deadline = ContinuousClock.now + startupLimit
        for party in parties ?? plan.providers.map(\.party) {
            // The answer must be this node's: another process on its port (a node that drew the same port) answers
            // too.
            let up = try await poll(party, in: cluster, every: .milliseconds(50)) { health in
                health?.party == party.rawValue || cluster.processes[party]?.isRunning != true
                    || ContinuousClock.now >= deadline
            }
            guard up?.party == party.rawValue else {
                throw NodeError(.cluster, "node \(party) did not come up (see \(party.rawValue).log)")
            }
        }
    }

    /// Asks `party`'s `GET /health` (nil: no answer, or not a health body) until `done` says so; returns the last
    /// answer.
    private func poll(
        _ party: PartyID, in cluster: Cluster, every interval: Swift.Duration,
        until done: (NodeRoutes.Health?) -> Bool
    ) async throws -> NodeRoutes.Health? {
        let client = NodeClient(key: cluster.keys[party]!, urls: cluster.urls)
        while true {
            var health: NodeRoutes.Health?
            if let reply = try? await client.send(.GET, to: party, path: "/health", timeout: .seconds(2)),
                reply.status == 200
            {
                health = try? JSONDecoder().decode(NodeRoutes.Health.self, from: reply.body)
            }
            if done(health) { return health }
            try await Task.sleep(for: interval)
        }
    }

    /// Every node process this process started and has not seen exit, for the signal handlers.
    static let children = ChildProcesses()

    /// On SIGINT or SIGTERM, stops every node this process started, then exits (status 130/143).
    public static func stopChildrenOnSignals() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let pids = children.all
                for pid in pids { kill(pid, SIGTERM) }
                for pid in pids {
                    var status: Int32 = 0
                    for _ in 0..<500 where waitpid(pid, &status, WNOHANG) == 0 { usleep(20_000) }
                    kill(pid, SIGKILL)
                }
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    /// Stops every node with SIGTERM and waits (bounded) for it to exit; SIGKILL after that.
    public func stop(_ cluster: Cluster) {
        for process in cluster.processes.values where process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(20)
        for process in cluster.processes.values {
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            Self.children.remove(process.processIdentifier)
        }
    }

    /// `stop` from async code: the same, waiting without holding a thread of the cooperative pool (it has one per
    /// core, and a node's drain can take seconds; meanwhile every task of the process waited for a thread).
    public func stop(_ cluster: Cluster) async {
        for process in cluster.processes.values where process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + .seconds(20)
        for process in cluster.processes.values {
            while process.isRunning && ContinuousClock.now < deadline { await Self.pause() }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            await Self.waitForEnd(of: process)
        }
    }

    /// Kills one node at once (SIGKILL), as a crash.
    public func crash(_ party: PartyID, in cluster: Cluster) async {
        guard let process = cluster.processes[party], process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        await Self.waitForEnd(of: process)
    }

    /// Waits for a process that has been told to end (or killed), then reaps it.
    private static func waitForEnd(of process: Process) async {
        while process.isRunning { await pause() }
        process.waitUntilExit()
        children.remove(process.processIdentifier)
    }

    /// 10 ms, without a thread (a cancelled task waits on its thread: the processes must still be reaped).
    private static func pause() async {
        do { try await Task.sleep(for: .milliseconds(10)) } catch { usleep(10_000) }
    }

    /// Waits (at most `limit`) for one node's process to end by itself, as one armed with a `CrashPoint` does.
    /// - Returns: the ended process (its `terminationReason` and `terminationStatus` say how), nil if still running.
    public func waitForExit(_ party: PartyID, in cluster: Cluster, limit: Swift.Duration) async throws -> Process? {
        guard let process = cluster.processes[party] else { return nil }
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(10))
        }
        await Self.waitForEnd(of: process)
        return process
    }

    // MARK: - Driving the demand

    /// Sends every demand at its time (relative to now) as its retail buyer and waits for the final answers.
    public func drive(_ cluster: Cluster) async throws -> [String: SimulationResult.RetailObservation] {
        let ledgers = cluster.retailLedgers
        let retailURL = cluster.retailURL
        let start = ContinuousClock.now
        let retailLedgers = ledgers
        let answered = Mutex(0)
        let demands = plan.demands.count
        let onProgress = self.onProgress
        let report: @Sendable () -> Void = {
            let elapsed = ContinuousClock.now - start
            let answers = answered.withLock { $0 }
            onProgress?(
                RunProgress(
                    events: answers, virtualTime: TimeSpan(milliseconds: elapsed.components.seconds * 1000),
                    answers: answers, demands: demands))
        }
        let observations = await withTaskGroup(of: (String, SimulationResult.RetailObservation)?.self) { group in
            for demand in plan.demands {
                let client = NodeClient(key: cluster.keys[demand.buyer]!, urls: cluster.urls)
                let ledger = retailLedgers[demand.buyer]!
                group.addTask {
                    try? await Task.sleep(until: start + .milliseconds(demand.at.milliseconds))
                    return (
                        demand.id, await self.send(demand, client: client, ledger: ledger, listener: retailURL)
                    )
                }
            }
            // Progress at the start, after each answer, and twice a second in between (a wall-clock run waits
            // for real time: the demand's times, the sellers' windows).
            report()
            if onProgress != nil, demands > 0 {
                group.addTask {
                    while (try? await Task.sleep(for: .milliseconds(500))) != nil { report() }
                    return nil
                }
            }
            var result: [String: SimulationResult.RetailObservation] = [:]
            var answers = 0
            for await item in group {
                guard let (id, observation) = item else { continue }
                // Counted as they come: counting over every observation after each answer made a run quadratic.
                if observation.response != nil, result[id]?.response == nil { answers += 1 }
                result[id] = observation
                answered.withLock { [answers] in $0 = answers }
                report()
                if result.count == demands { group.cancelAll() }
            }
            return result
        }
        // The request entries are agreed in the background: wait for the lanes (a bounded wait; what is left is
        // reported by the audit as a copy behind).
        let settled = ContinuousClock.now + settleLimit
        while ledgers.values.contains(where: { !$0.isIdle }), ContinuousClock.now < settled {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for ledger in ledgers.values { try ledger.flush() }
        if let onLedgersAgreed, try await waitForEmptyLanes(cluster, until: settled) {
            onLedgersAgreed(Date())
        }
        return observations
    }

    /// Waits until every ledger of the cluster is agreed: no entry waiting in any lane (the retail buyers' own, and
    /// each node's `GET /health` backlog) and both copies of every ledger at the same head, twice in a row 20 ms apart
    /// (a node queues an answer's entries just after sending the answer). False when `deadline` passed first.
    public func waitUntilAgreed(_ cluster: Cluster, until deadline: ContinuousClock.Instant) async throws -> Bool {
        var agreedBefore = false
        while true {
            let agreed =
                try await waitForEmptyLanes(cluster, until: deadline)
                && ledgerCopies(cluster).allSatisfy { id, copies in
                    try copies.count == 2 && Set(copies.map { try $0.store.head(of: id) }).count == 1
                }
            if agreed && agreedBefore { return true }
            guard ContinuousClock.now < deadline else { return false }
            agreedBefore = agreed
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until no node has an entry waiting in a lane (`GET /health`, `ledgerBacklog`); false when `deadline`
    /// passed first (or the retail buyers' own lanes were still busy).
    private func waitForEmptyLanes(_ cluster: Cluster, until deadline: ContinuousClock.Instant) async throws -> Bool {
        guard cluster.retailLedgers.values.allSatisfy(\.isIdle) else { return false }
        for party in plan.providers.map(\.party) {
            let last = try await poll(party, in: cluster, every: .milliseconds(5)) { health in
                health?.ledgerBacklog.isEmpty == true || ContinuousClock.now >= deadline
            }
            guard last?.ledgerBacklog.isEmpty == true else { return false }
        }
        return true
    }

    private func send(
        _ demand: SimulationPlan.Demand, client: NodeClient, ledger: NodeLedgers, listener: String
    ) async -> SimulationResult.RetailObservation {
        let now = Instant(Date())
        var observation = SimulationResult.RetailObservation(
            sentAt: now, acknowledged: false, notifications: 0, response: nil)
        let requestID = RequestID("\(demand.buyer.rawValue)-\(demand.id)")
        var payload = demand.payload
        if case .object(var fields) = payload, fields["requestedPOQCompletionDate"] != nil {
            fields["requestedPOQCompletionDate"] = .string((now + demand.window).description)
            payload = .object(fields)
        }
        let respondBy = now + demand.window
        let request = SupplyRequest(
            id: requestID, kind: demand.kind, payload: payload, loopPreventionList: LoopPreventionList(),
            respondBy: respondBy)
        switch await Self.post(
            request, demand: demand, client: client, ledger: ledger, listener: listener, replyTo: nil, at: now,
            logger: logger, start: { work in Task { await work() } })
        {
        case .response(let response):
            observation.response = response
        case .acknowledgement(let response):
            observation.acknowledged = true
            let path = NodeRoutes.poqPath + "/" + response.sellerReference
            while Instant(Date()) < respondBy + .seconds(5) {
                try? await Task.sleep(for: .milliseconds(50))
                guard
                    let poll = try? await client.send(
                        .GET, to: demand.seller, path: path, accept: NodeHeaders.supplyChainMediaType)
                else { continue }
                if poll.status == 200, let latest = try? SupplyEnvelope.decodeMessage(from: poll.body),
                    case .response(let final) = latest
                {
                    observation.response = final
                    break
                }
            }
        default:
            break
        }
        return observation
    }

    /// One retail request: recorded on the buyer's ledger, the buyer's hub registered when the demand asks for
    /// one, then the POQ or inquiry posted. Returns the seller's first answer: the final one (immediate, or a 422
    /// as a rejection) or the acknowledgement of a deferred request; `replyTo` is where the final answer goes then.
    /// The request entry is queued on the buyer's lane with the seller and agreed in the background, as a node's
    /// B-BUS does with its requests: the request does not wait for a ledger round trip (the seller's receipt waits
    /// for it on the ledger instead). `start` runs the lane's work (the driver's jobs, so quiet means agreed).
    static func post(
        _ request: SupplyRequest, demand: SimulationPlan.Demand, client: NodeClient, ledger: NodeLedgers,
        listener: String, replyTo: String?, at now: Instant, logger: Logger,
        start: (@escaping @Sendable () async -> Void) -> Void
    ) async -> Message? {
        ledger.submit(
            LedgerRecord(
                counterparty: demand.seller, kind: demand.kind == .poq ? "poq.request" : "inquiry.request",
                refs: ["request": request.id.rawValue], body: request.ledgerBody),
            at: now, start: start)
        if demand.registerHub {
            let hub = EventSubscriptionInput(
                callback: "\(listener)/retail/\(demand.buyer.rawValue)", query: "eventType=poqStateChangeEvent")
            if let body = try? JSONEncoder().encode(hub) {
                _ = try? await client.send(.POST, to: demand.seller, path: NodeRoutes.hubPath, body: body)
            }
        }
        var headers: [(String, String)] = [
            (NodeHeaders.requestID.rawName, request.id.rawValue),
            (NodeHeaders.requestKind.rawName, demand.kind.rawValue),
            (NodeHeaders.respondBy.rawName, request.respondBy.description),
            (NodeHeaders.trace.rawName, request.id.rawValue),
        ]
        if let replyTo { headers.append((NodeHeaders.replyTo.rawName, replyTo)) }
        do {
            let body = try JSONEncoder().encode(request.payload)
            let reply = try await client.send(
                .POST, to: demand.seller, path: NodeRoutes.poqPath, body: body, headers: headers,
                accept: NodeHeaders.supplyChainMediaType,
                timeout: .seconds(Int64(demand.window.milliseconds / 1000 + 10)))
            if reply.status == 422 {
                let errors = (try? JSONDecoder().decode([MEFError].self, from: reply.body)) ?? []
                return .response(SupplyResponse(rejecting: request, errors: errors, at: now))
            }
            guard reply.status == 201, let message = try? SupplyEnvelope.decodeMessage(from: reply.body)
            else {
                logger.error("POQ refused", metadata: ["demand": "\(demand.id)", "status": "\(reply.status)"])
                return nil
            }
            return message
        } catch {
            logger.error("demand failed", metadata: ["demand": "\(demand.id)", "error": "\(error)"])
            return nil
        }
    }

    // MARK: - Driving the demand on a stepped clock

    /// The party that drives a stepped cluster's clock.
    public static let clockController: PartyID = "CLOCK"

    /// Runs the demand on protocol time: the retail buyers and every node stand still until all are quiet, then
    /// every clock moves to the earliest next deadline anywhere, until nothing is left before the horizon.
    /// Returns what the retail buyers saw, and their orders' outcomes.
    func driveStepped(
        _ cluster: Cluster, retail: RetailServer
    ) async throws -> (
        [String: SimulationResult.RetailObservation], RetailDriver
    ) {
        var clients: [PartyID: NodeClient] = [:]
        for buyer in cluster.retailLedgers.keys {
            clients[buyer] = NodeClient(key: cluster.keys[buyer]!, urls: cluster.urls)
        }
        let controller = NodeClient(key: cluster.keys[Self.clockController]!, urls: cluster.urls)
        let driver = RetailDriver(
            plan: plan, clients: clients, ledgers: cluster.retailLedgers, listener: cluster.retailURL, logger: logger,
            controller: controller)
        retail.deliver { message, seller in await driver.receive(message, from: seller) }
        let providers = plan.providers.map(\.party)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                await withDiscardingTaskGroup { jobs in
                    for await job in driver.jobs.take() { jobs.addTask { await job() } }
                }
            }
            await driver.start()
            while true {
                var nodes = try await settle(providers, driver: driver, controller: controller)
                if let whenQuiet {
                    try await whenQuiet(await driver.steps, cluster)
                    nodes = try await settle(providers, driver: driver, controller: controller)
                }
                let deadlines = nodes.compactMap(\.next) + [driver.clock.nextDeadline].compactMap { $0 }
                guard let next = deadlines.min(), next <= plan.horizon else { break }
                // Two phases: every clock is set to `next` before any runs what is due then. In one phase, a node
                // whose timer fired first could reach a node still at the previous step, which would take the
                // message (an activation, say) at that earlier time.
                for run in [false, true] {
                    try await withThrowingTaskGroup(of: Void.self) { advance in
                        for party in providers {
                            advance.addTask {
                                let body = try JSONEncoder().encode(ClockStep(to: next, run: run))
                                let reply = try await controller.send(
                                    .POST, to: party, path: NodeRoutes.clockPath + "/advance", body: body)
                                guard reply.status == 200 else {
                                    throw NodeError(
                                        .cluster, "\(party) refused to advance its clock (\(reply.status))")
                                }
                            }
                        }
                        if run {
                            advance.addTask { await driver.clock.advance(to: next) }
                        } else {
                            driver.clock.move(to: next)
                        }
                        try await advance.waitForAll()
                    }
                }
                await driver.stepped(to: next)
                if let onProgress {
                    let answers = await driver.observations.values.filter { $0.response != nil }.count
                    onProgress(
                        RunProgress(
                            events: await driver.steps, virtualTime: next - plan.start, answers: answers,
                            demands: plan.demands.count))
                }
            }
            await driver.readServiceStates()
            driver.jobs.finish()
        }
        for ledger in cluster.retailLedgers.values { try ledger.flush() }
        return (await driver.observations, driver)
    }

    /// Waits until every node and the retail buyers are quiet: no job running that is not waiting for protocol
    /// time (a parked POQ request is one), and nothing happened between two looks. Returns the nodes' activity.
    private func settle(
        _ providers: [PartyID], driver: RetailDriver, controller: NodeClient
    ) async throws -> [ProviderNode.Activity] {
        var previous: [UInt64]?
        let deadline = ContinuousClock.now + settleLimit
        while ContinuousClock.now < deadline {
            var nodes: [ProviderNode.Activity] = []
            for party in providers {
                let reply = try await controller.send(.GET, to: party, path: NodeRoutes.clockPath)
                guard reply.status == 200 else {
                    throw NodeError(.cluster, "\(party) did not report its clock (\(reply.status))")
                }
                nodes.append(try JSONDecoder().decode(ProviderNode.Activity.self, from: reply.body))
            }
            let retail = await driver.activity()
            let running = nodes.map(\.running).reduce(retail.running, +)
            let parked = nodes.map(\.parked).reduce(0, +)
            let counters = nodes.map(\.activity) + [retail.activity]
            if running == parked {
                if counters == previous { return nodes }
                previous = counters
            } else {
                previous = nil
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw NodeError(.cluster, "the nodes did not go quiet within \(settleLimit) (see the nodes' logs)")
    }

    // MARK: - Outcome and audit

    /// Reads the nodes' traces and ledger copies (after they stopped) and builds the outcome.
    /// - Parameters:
    ///   - ordering: the retail buyers' ordering decisions, when the run ordered (stepped clock).
    ///   - duration: the run's wall time, reported as its duration on the wall clock.
    ///   - steps: on a stepped clock, how many times the clocks moved (reported as the run's events).
    ///   - protocolTime: on a stepped clock, the protocol time the run spanned (reported as its duration).
    public func collect(
        _ cluster: Cluster, observations: [String: SimulationResult.RetailObservation],
        ordering: RetailOrdering? = nil, duration: Swift.Duration, steps: Int = 0, protocolTime: TimeSpan? = nil,
        serviceStates: [String: [String: String]] = [:], reputations: [String: String] = [:]
    ) throws -> SimulationResult {
        var trail = SourcingTrail()
        var orderTrail = SourcingTrail()
        var received: [String: [String: Int]] = [:]
        let demandOfTrace = Dictionary(
            uniqueKeysWithValues: plan.demands.map { ("\($0.buyer.rawValue)-\($0.id)", $0.id) })
        for (party, path) in cluster.traces {
            for line in TraceLog.read(path: path) {
                let requestID = RequestID(line.requestID ?? "")
                let itemID = line.itemID ?? ""
                switch line.type {
                case "request":
                    if let trace = line.trace, let demand = demandOfTrace[trace] {
                        received[party.rawValue, default: [:]][demand, default: 0] += 1
                    }
                case "external":
                    trail.bought(
                        party, requestID, itemID, from: PartyID(line.seller ?? ""),
                        as: RequestID(line.sellerRequestID ?? ""))
                case "internal":
                    trail.delivered(party, requestID, itemID)
                case "unsourced":
                    trail.unsourced(party, requestID, itemID, reason: line.reason ?? "")
                case "orderedFrom":
                    orderTrail.bought(
                        party, requestID, itemID, from: PartyID(line.seller ?? ""),
                        as: RequestID(line.sellerRequestID ?? ""))
                case "deliveredInternally":
                    orderTrail.delivered(party, requestID, itemID)
                default:
                    break
                }
            }
        }
        let (summaries, findings, omniSummaries) = try audit(cluster)
        var orders: [String: SimulationResult.OrderOutcome] = [:]
        for demand in plan.demands {
            orders[demand.id] = ordering?.outcome(of: demand, trail: orderTrail)
            if let states = serviceStates[demand.id] { orders[demand.id]?.serviceStates = states }
        }
        var result = SimulationResult(
            live: plan, observations: observations, trail: trail, orders: orders, ledgers: summaries,
            reputations: reputations,
            requestsReceived: received,
            auditFindings: findings, events: steps, duration: protocolTime?.description ?? "\(duration)",
            ledgerDirectory: workDirectory.path, invoices: try invoices(cluster))
        result.omniLedgers = omniSummaries
        return result
    }

    /// Audits every ledger: each copy clean against the parties' keys, both copies identical; and every provider's
    /// omni-lateral ledger, recomputed from each neighbour's copy.
    public func audit(
        _ cluster: Cluster
    ) throws -> (
        [SimulationResult.LedgerSummary], [String], [SimulationResult.OmniSummary]
    ) {
        let keys = try keyDirectory(cluster)
        let copies = try ledgerCopies(cluster)
        var headers: [LedgerID: LedgerHeader] = [:]
        for (id, list) in copies { headers[id] = try list.first?.store.header(of: id) }
        var summaries: [SimulationResult.LedgerSummary] = []
        var findings: [String] = []
        for id in copies.keys.sorted() {
            guard let header = headers[id], let list = copies[id] else { continue }
            let sorted = list.sorted { $0.0 < $1.0 }
            if sorted.count != 2 {
                findings.append("ledger \(id): \(sorted.count) copy(ies) found, expected 2")
            }
            findings += try LedgerAuditor(
                trustedKeys: keys, rules: .broker, witnessKeys: cluster.witnessKey.map { [VerifierKey($0)] } ?? []
            ).audit(
                ledger: id, holders: sorted.map(\.0), stores: sorted.map(\.1)
            ).map(\.description)
            let head = try sorted[0].1.head(of: id)
            let kinds = Array(Set(try sorted[0].1.entries(of: id).map(\.kind))).sorted()
            summaries.append(
                .init(parties: header.parties, ledgerID: id, entries: head.seq, head: head.hash, kinds: kinds))
        }
        var omniSummaries: [SimulationResult.OmniSummary] = []
        for (publisher, database) in cluster.databases.sorted(by: { $0.key < $1.key }) {
            let path = NodeLedgers.omniDatabase(database)
            guard FileManager.default.fileExists(atPath: path), let omni = try OmniLedger(readOnlyPath: path) else {
                continue
            }
            omniSummaries.append(try SimulationResult.OmniSummary(omni))
            findings += OmniReview.audit(omni, trustedKeys: keys) { neighbour in
                guard
                    let id = headers.first(where: { Set($0.value.parties) == [publisher, neighbour] })?
                        .key,
                    let store = copies[id]?.first(where: { $0.0 == neighbour })?.1
                else { return nil }
                return try? store.entries(of: id)
            }.map(\.description)
        }
        return (summaries, findings, omniSummaries)
    }

    /// The public keys of every party of the cluster, the providers' SOFs included.
    public func keyDirectory(_ cluster: Cluster) throws -> KeyDirectory {
        var keys = KeyDirectory()
        for (party, key) in cluster.keys { keys.register(party, publicKey: key.publicKey) }
        for party in cluster.databases.keys {
            let sof = try NodeLedgers.sofKey(of: cluster.keys[party]!)
            keys.register(sof.party, publicKey: sof.publicKey)
        }
        return keys
    }

    /// Every copy of every ledger in the cluster's databases (the providers', their SOFs', the retail buyers'),
    /// opened read-only, by ledger: who holds each copy, and where.
    public func ledgerCopies(
        _ cluster: Cluster
    ) throws -> [LedgerID: [(holder: PartyID, store: SQLiteLedgerStore)]] {
        var files: [(holder: PartyID, path: String)] = []
        for (party, database) in cluster.databases {
            let sof = try NodeLedgers.sofKey(of: cluster.keys[party]!)
            files.append((party, database))
            files.append((sof.party, NodeLedgers.sofDatabase(database)))
        }
        for (party, database) in cluster.retailDatabases { files.append((party, database)) }
        var copies: [LedgerID: [(holder: PartyID, store: SQLiteLedgerStore)]] = [:]
        for (holder, path) in files where FileManager.default.fileExists(atPath: path) {
            let store = try SQLiteLedgerStore(readOnlyPath: path)
            for id in try store.ledgerIDs() { copies[id, default: []].append((holder, store)) }
        }
        return copies
    }

    /// A port free on loopback for a node to listen on, and not handed out before by this process. It is chosen
    /// below the kernel's ephemeral range (32768 and up on Linux): a port from that range can be taken, between this
    /// check and the node's start, by any of the cluster's own outgoing connections ("Address already in use" under
    /// load). A port already handed out is never given again: a cluster picks every node's port before any node
    /// binds one, and two nodes once drew the same port — the second could not start, and the first answered its
    /// health checks and, with 401, the requests meant for it (every POQ of a five-hop benchmark then waited for its
    /// deadline, 28 s).
    static func freePort() throws -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: 10_000..<30_000)
            guard handedOut.withLock({ !$0.contains(port) }), (try? bindable(port)) == port else { continue }
            if handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
        return try bindable(0)
    }

    /// The ports `freePort` has returned.
    private static let handedOut = Mutex<Set<Int>>([])

    /// Binds `port` (0: any) on loopback and closes it again; returns the port bound.
    private static func bindable(_ port: Int) throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw NodeError(.cluster, "socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw NodeError(.cluster, "bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw NodeError(.cluster, "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Process ids of running children, behind a mutex (read from a signal handler's queue).
final class ChildProcesses: Sendable {
    private let pids = Mutex<Set<Int32>>([])

    func insert(_ pid: Int32) { pids.withLock { _ = $0.insert(pid) } }
    func remove(_ pid: Int32) { pids.withLock { _ = $0.remove(pid) } }
    var all: Set<Int32> { pids.withLock { $0 } }
}

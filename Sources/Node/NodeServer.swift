import AsyncHTTPClient
import Foundation
import Hummingbird
import Ledger
import Logging
import NIOCore
import ServiceLifecycle
import SupplyChain

/// Assembles one live node (`broker serve`): key, ledgers, protocol core, HTTP server, and the service that runs
/// the core's jobs; runs them in one `ServiceGroup` with graceful shutdown on SIGTERM and SIGINT.
public struct NodeServer: Sendable {
    public let node: ProviderNode
    public let verifier: RequestVerifier
    public let service: NodeService
    public let configuration: NodeConfiguration
    /// This server's own metrics registry, served on `GET /metrics`.
    public let metrics = NodeMetrics()
    let logger: Logger

    public init(configuration: NodeConfiguration, logger: Logger) throws {
        let key = try KeyFile.read(from: configuration.keyFile).partyKey()
        guard key.party == configuration.party else {
            throw NodeError(
                .badConfiguration, "keyFile: the key is \(key.party)'s, the node is \(configuration.party)'s")
        }
        var keys: [PartyID: Data] = [:]
        var urls: [PartyID: String] = [:]
        for peer in configuration.peers {
            keys[peer.id] = peer.publicKey
            if let url = peer.url { urls[peer.id] = url }
        }
        let client = NodeClient(key: key, urls: urls)
        let ledgers = try NodeLedgers(
            key: key, database: configuration.database, withSOF: true, peerKeys: keys,
            transport: NodeClient(key: key, urls: urls, http: .ledger),
            logger: logger, metrics: metrics, checkpointInterval: configuration.checkpoints.entries,
            checkpointPeriod: configuration.checkpoints.every,
            witness: configuration.witness.map { WitnessClient(url: $0.url, key: $0.key) },
            linger: .milliseconds(configuration.ledgerLinger.milliseconds),
            crashPoint: try CrashPoint.armed(logger: logger),
            outbox: EntryOutbox(path: EntryOutbox.path(forDatabase: configuration.database), key: key))
        let traceLog = try configuration.traceLog.map { try TraceLog(path: $0) }
        let jobs = JobQueue()
        let clock: any NodeClock =
            switch configuration.clock {
            case .wall: WallClock(jobs: jobs)
            case .stepped(let start, _): SteppedClock(start: start)
            }
        let journal = try InputJournal(path: InputJournal.path(forDatabase: configuration.database))
        self.node = ProviderNode(
            configuration: configuration, key: key, ledgers: ledgers, client: client, jobs: jobs, traceLog: traceLog,
            logger: logger, clock: clock, metrics: metrics, journal: journal)
        self.verifier = RequestVerifier(
            keys: keys, audiences: [configuration.party], maximumSkew: configuration.requestSkew.milliseconds,
            seen: try SeenSignatures(path: SeenSignatures.path(forDatabase: configuration.database)))
        self.service = NodeService(jobs: jobs, ledgers: ledgers, node: node, traceLog: traceLog, logger: logger)
        self.configuration = configuration
        self.logger = logger
    }

    /// The HTTP application; `onRunning` gets the bound port (useful with port 0).
    public func application(
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    )
        -> some ApplicationProtocol
    {
        Application(
            responder: metrics.instrumented(
                NodeRoutes.router(node: node, verifier: verifier), token: configuration.metricsToken),
            // A connection that stays idle 30 s is closed; headers are bounded (16 KiB a field, 64 KiB, 100 fields).
            server: .http1(
                configuration: .init(
                    idleTimeout: .seconds(30),
                    httpDecoderConfiguration: .init(
                        maxHeaderFieldSize: 16 * 1024, maxHeaderListSize: 64 * 1024, maxHeaderFieldCount: 100))),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "broker-node"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully: the server stops taking requests and finishes
    /// the ones in flight, then pending ledger entries are agreed (bounded) and the database is flushed.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let replayed = try await node.restore()
        if replayed > 0 { logger.info("state restored from the journal", metadata: ["inputs": "\(replayed)"]) }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: service), .init(service: application(onRunning: onRunning))],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Runs the jobs a node's core starts (sends, timers, ledger lanes) as child tasks; at graceful shutdown waits
/// (at most `drainLimit`) for pending ledger entries, then cancels what is left and flushes the database.
public struct NodeService: Service {
    let jobs: JobQueue
    let ledgers: NodeLedgers
    let node: ProviderNode?
    let traceLog: TraceLog?
    let logger: Logger
    public var drainLimit: Duration = .seconds(10)

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                let added = await ledgers.catchUp()
                if added > 0 { logger.info("ledgers caught up", metadata: ["entries": "\(added)"]) }
                _ = await node?.reproposeMissing()
            }
            // The time cadence of checkpoints on a ledger that stopped growing, on the wall clock only: a stepped
            // cluster's clock moves only to deadlines, and its ledgers get their time checkpoints with entries.
            if let period = ledgers.checkpointPeriod, let node, node.clock is WallClock {
                let pause = Duration.milliseconds(min(period.milliseconds, 60_000))
                group.addTask {
                    while (try? await Task.sleep(for: pause)) != nil {
                        await ledgers.checkpointIdleLedgers(now: node.clock.now().milliseconds)
                    }
                }
            }
            for await job in jobs.take().cancelOnGracefulShutdown() {
                group.addTask { await job() }
            }
            let clock = ContinuousClock()
            let deadline = clock.now + drainLimit
            while !ledgers.isIdle && clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            if !ledgers.isIdle {
                logger.warning(
                    "shutting down with ledger entries not agreed", metadata: ["backlog": "\(ledgers.backlog)"])
            }
            group.cancelAll()
        }
        try ledgers.flush()
        traceLog?.close()
        logger.info("node stopped; database flushed")
    }
}

import Foundation
import Ledger
import Provider
import ScenarioModel
import Sonata
import SupplyChain

/// What `broker serve --config NODE.yaml` reads: one provider, its peers, its key, its database, its address.
///
/// The provider's terms come either inline (`provider:` in the scenario file's provider format, with `defaults:`)
/// or from a scenario file (`scenario:` and `party:`). Relative paths are relative to the configuration file.
public struct NodeConfiguration: Sendable {
    /// A party this node talks to: a seller (with a URL), a provider buyer (with a URL for its answers) or a
    /// retail buyer (key only).
    public struct Peer: Sendable, Hashable {
        public let id: PartyID
        public let url: String?
        public let publicKey: Data
        /// Further base URLs (beside `url`) on whose origins this peer may register hub callbacks and reply-to
        /// addresses; the node sends signed requests nowhere else on a caller's say-so.
        public let callbacks: [String]

        public init(id: PartyID, url: String?, publicKey: Data, callbacks: [String] = []) {
            self.id = id
            self.url = url
            self.publicKey = publicKey
            self.callbacks = callbacks
        }
    }

    /// Where the node's protocol time comes from.
    public enum ClockSetting: Sendable, Hashable {
        /// The system clock (production).
        case wall
        /// A clock that starts at `start` and moves only when `controller` (a peer) advances it: for
        /// `broker cluster` runs of scenarios that span days (see `SteppedClock`).
        case stepped(start: Instant, controller: PartyID)
    }

    /// A witness the node sends its co-signed checkpoints to (`broker witness`): its base URL and its verifier key.
    public struct WitnessSetting: Sendable, Hashable {
        public let url: String
        public let key: VerifierKey

        public init(url: String, key: VerifierKey) {
            self.url = url
            self.key = key
        }
    }

    /// When the node's ledgers get co-signed checkpoints (LEDGER.md §5, cadence): every `entries` agreed entries
    /// and, with `every`, also on the first entry this party authors `every` or more of protocol time after the
    /// ledger's last checkpoint.
    public struct CheckpointSetting: Sendable, Hashable {
        public let entries: UInt64
        public let every: TimeSpan?

        public init(entries: UInt64 = 256, every: TimeSpan? = nil) {
            self.entries = entries
            self.every = every
        }
    }

    public let party: PartyID
    public let host: String
    public let port: Int
    /// The URL other nodes reach this one at (sent as `X-SCBroker-Reply-To`).
    public let publicURL: String
    public let keyFile: String
    public let database: String
    /// A JSON-lines file of what the roles decided (sourcing, requests received), for `broker cluster`.
    public let traceLog: String?
    /// The largest request body accepted, in bytes (larger → 413).
    public let maxBodyBytes: Int
    public let provider: ProviderConfiguration
    public let behaviour: SimulationPlan.Behaviour
    public let peers: [Peer]
    public let clock: ClockSetting
    /// When set, `GET /metrics` needs `Authorization: Bearer <token>` (its labels name every trading partner).
    public let metricsToken: String?
    /// How far a signed request's timestamp may lie from this node's clock (default 30 s): the window in which a
    /// request counts as fresh, and half how long its signature is remembered against replay.
    public let requestSkew: TimeSpan
    /// The witness of this node's checkpoints; nil (the default): none.
    public let witness: WitnessSetting?
    /// The checkpoint cadence; default every 256 entries, no time cadence.
    public let checkpoints: CheckpointSetting
    /// How long a ledger lane waits before it proposes (`NodeLedgers.linger`); default 20 ms.
    public let ledgerLinger: TimeSpan

    public init(
        party: PartyID, host: String, port: Int, publicURL: String? = nil, keyFile: String, database: String,
        traceLog: String? = nil, maxBodyBytes: Int = 1 << 20, provider: ProviderConfiguration,
        behaviour: SimulationPlan.Behaviour = .init(), peers: [Peer], clock: ClockSetting = .wall,
        metricsToken: String? = nil, requestSkew: TimeSpan = .seconds(30), witness: WitnessSetting? = nil,
        checkpoints: CheckpointSetting = CheckpointSetting(),
        ledgerLinger: TimeSpan = TimeSpan(milliseconds: 20)
    ) {
        self.ledgerLinger = ledgerLinger
        self.requestSkew = requestSkew
        self.checkpoints = checkpoints
        self.witness = witness
        self.party = party
        self.host = host
        self.port = port
        self.publicURL = publicURL ?? "http://\(host):\(port)"
        self.keyFile = keyFile
        self.database = database
        self.traceLog = traceLog
        self.maxBodyBytes = maxBodyBytes
        self.provider = provider
        self.behaviour = behaviour
        self.peers = peers
        self.clock = clock
        self.metricsToken = metricsToken
    }

    /// Reads and checks a node configuration file; every problem names its field.
    public static func load(path: String) throws -> NodeConfiguration {
        let url = URL(fileURLWithPath: path)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw NodeError(.badConfiguration, "cannot read \(path)")
        }
        let file: File
        do {
            file = try ScenarioLoader.decodeStrictly(File.self, from: text)
        } catch {
            throw NodeError(.badConfiguration, "\(path): \(error)")
        }
        return try file.configuration(directory: url.deletingLastPathComponent())
    }

    struct File: Decodable, KnownKeys {
        static let knownKeys: [String: KeyShape] = [
            "party": .value, "listen": .section(Listen.self), "publicURL": .value, "keyFile": .value,
            "database": .value, "traceLog": .value, "maxBodyBytes": .value, "scenario": .value,
            "defaults": .section(Scenario.Defaults.self), "provider": .section(Scenario.ProviderSpec.self),
            "peers": .list(.section(PeerSpec.self)), "clock": .section(ClockSpec.self), "metricsToken": .value,
            "requestSkew": .value, "witness": .section(WitnessSpec.self), "checkpoints": .section(CheckpointsSpec.self),
            "contracts": .list(.section(Scenario.ContractSpec.self)), "ledgerLinger": .value,
        ]

        struct Listen: Decodable, KnownKeys {
            static let knownKeys: [String: KeyShape] = ["host": .value, "port": .value]
            var host: String?
            var port: Int
        }

        struct ClockSpec: Decodable, KnownKeys {
            static let knownKeys: [String: KeyShape] = ["mode": .value, "start": .value, "controller": .value]
            var mode: String
            var start: String?
            var controller: String?
        }

        struct PeerSpec: Decodable, KnownKeys {
            static let knownKeys: [String: KeyShape] = [
                "id": .value, "url": .value, "publicKey": .value, "callbacks": .value,
            ]
            var id: String
            var url: String?
            var publicKey: String
            var callbacks: [String]?
        }

        struct WitnessSpec: Decodable, KnownKeys {
            static let knownKeys: [String: KeyShape] = ["url": .value, "key": .value]
            var url: String
            var key: String
        }

        struct CheckpointsSpec: Decodable, KnownKeys {
            static let knownKeys: [String: KeyShape] = ["entries": .value, "every": .value]
            var entries: Int?
            var every: String?
        }

        var party: String?
        var listen: Listen
        var publicURL: String?
        var keyFile: String
        var database: String
        var traceLog: String?
        var maxBodyBytes: Int?
        var scenario: String?
        var defaults: Scenario.Defaults?
        var provider: Scenario.ProviderSpec?
        var peers: [PeerSpec]?
        var clock: ClockSpec?
        var metricsToken: String?
        var requestSkew: String?
        var witness: WitnessSpec?
        var checkpoints: CheckpointsSpec?
        var ledgerLinger: String?
        /// With `provider:`: this provider's contracts, as seller and as buyer (the scenario format's `contracts:`).
        var contracts: [Scenario.ContractSpec]?

        func configuration(directory: URL) throws -> NodeConfiguration {
            func resolve(_ path: String) -> String { URL(fileURLWithPath: path, relativeTo: directory).path }
            let plan: SimulationPlan
            let party: PartyID
            if let provider {
                party = PartyID(provider.id)
                for (index, contract) in (contracts ?? []).enumerated()
                where contract.seller != provider.id && contract.buyer != provider.id {
                    throw NodeError(
                        .badConfiguration,
                        "contracts[\(index)]: a node's contract has \(provider.id) as its seller or its buyer")
                }
                do {
                    plan = try SimulationPlan(
                        Scenario(node: provider, defaults: defaults, contracts: contracts ?? []), directory: directory)
                } catch let error as ScenarioError where error.path.hasPrefix("contracts") {
                    // A contract's field is at the same path in the node file as in a scenario.
                    throw NodeError(.badConfiguration, error.description)
                }
            } else if let scenario, let name = self.party {
                guard contracts == nil else {
                    throw NodeError(
                        .badConfiguration, "contracts: with `scenario:`, the scenario's own contracts apply")
                }
                party = PartyID(name)
                let loaded = try ScenarioLoader.load(resolve(scenario))
                plan = try SimulationPlan(loaded.scenario, directory: loaded.directory)
            } else {
                throw NodeError(.badConfiguration, "provider: give `provider:` or both `scenario:` and `party:`")
            }
            guard let configuration = plan.providers.first(where: { $0.party == party }) else {
                throw NodeError(.badConfiguration, "party: '\(party)' is not a provider of the scenario")
            }
            var peers: [Peer] = []
            for (index, spec) in (self.peers ?? []).enumerated() {
                guard let key = Hex.decode(spec.publicKey) ?? Data(base64Encoded: spec.publicKey), key.count == 32
                else {
                    throw NodeError(
                        .badConfiguration, "peers[\(index)].publicKey: not a 32-byte Ed25519 key (hex or base64)")
                }
                peers.append(Peer(id: PartyID(spec.id), url: spec.url, publicKey: key, callbacks: spec.callbacks ?? []))
            }
            for (index, seller) in configuration.bbus.sellers.enumerated()
            where !peers.contains(where: { $0.id == seller && $0.url != nil }) {
                throw NodeError(
                    .badConfiguration, "provider.sellers[\(index)]: seller '\(seller)' needs a peer entry with a url")
            }
            guard (1...65_535).contains(listen.port) || listen.port == 0 else {
                throw NodeError(.badConfiguration, "listen.port: \(listen.port) is not a TCP port")
            }
            var clock = ClockSetting.wall
            switch self.clock?.mode {
            case nil, "wall":
                break
            case "stepped":
                guard let text = self.clock?.start, let start = MEFDateTime.parse(text) else {
                    throw NodeError(.badConfiguration, "clock.start: a stepped clock needs an RFC 3339 start time")
                }
                guard let controller = self.clock?.controller.map({ PartyID($0) }),
                    peers.contains(where: { $0.id == controller })
                else {
                    throw NodeError(
                        .badConfiguration, "clock.controller: a stepped clock needs a controller among the peers")
                }
                clock = .stepped(start: Instant(start), controller: controller)
            case let other?:
                throw NodeError(.badConfiguration, "clock.mode: '\(other)' is not wall or stepped")
            }
            return NodeConfiguration(
                party: party, host: listen.host ?? "127.0.0.1", port: listen.port, publicURL: publicURL,
                keyFile: resolve(keyFile), database: resolve(database), traceLog: traceLog.map(resolve),
                maxBodyBytes: maxBodyBytes ?? 1 << 20, provider: configuration,
                behaviour: plan.behaviours[party] ?? .init(), peers: peers, clock: clock,
                metricsToken: metricsToken, requestSkew: try skew(), witness: try witnessSetting(),
                checkpoints: try checkpointSetting(), ledgerLinger: try linger())
        }

        /// `witness`: an http(s) URL and the witness's verifier key (`name+keyhash+base64key`).
        func witnessSetting() throws -> WitnessSetting? {
            guard let witness else { return nil }
            guard let url = URL(string: witness.url), ["http", "https"].contains(url.scheme ?? ""), url.host != nil
            else { throw NodeError(.badConfiguration, "witness.url: '\(witness.url)' is not an http(s) URL") }
            do {
                return WitnessSetting(url: witness.url, key: try VerifierKey(parsing: witness.key))
            } catch {
                throw NodeError(.badConfiguration, "witness.key: \(error)")
            }
        }

        /// `checkpoints`: `entries` from 1 to 1,000,000 (256), `every` a duration from 1s to 366d (none).
        func checkpointSetting() throws -> CheckpointSetting {
            guard let checkpoints else { return CheckpointSetting() }
            let entries = checkpoints.entries ?? 256
            guard (1...1_000_000).contains(entries) else {
                throw NodeError(.badConfiguration, "checkpoints.entries: \(entries) is not from 1 to 1000000 (256)")
            }
            var every: TimeSpan?
            if let text = checkpoints.every {
                guard let span = TimeSpan(parsing: text), span >= .seconds(1), span <= .days(366) else {
                    throw NodeError(
                        .badConfiguration, "checkpoints.every: '\(text)' is not a duration from 1s to 366d")
                }
                every = span
            }
            return CheckpointSetting(entries: UInt64(entries), every: every)
        }

        /// `ledgerLinger`: a duration from 0ms to 1s (20ms).
        func linger() throws -> TimeSpan {
            guard let text = ledgerLinger else { return TimeSpan(milliseconds: 20) }
            guard let span = TimeSpan(parsing: text), span <= .seconds(1) else {
                throw NodeError(.badConfiguration, "ledgerLinger: '\(text)' is not a duration from 0ms to 1s (20ms)")
            }
            return span
        }

        /// `requestSkew`: a duration from 1s to 1h.
        func skew() throws -> TimeSpan {
            guard let text = requestSkew else { return .seconds(30) }
            guard let span = TimeSpan(parsing: text), span >= .seconds(1), span <= .hours(1) else {
                throw NodeError(.badConfiguration, "requestSkew: '\(text)' is not a duration from 1s to 1h (30s)")
            }
            return span
        }
    }
}

import Foundation
import Ledger
import ScenarioModel
import SupplyChain
import Testing

@testable import Node

/// A node configuration file with a misspelt key or a wrong value is refused, naming the field in plain words.
struct NodeConfigurationFileTests {
    /// A configuration using every section; each case misspells one key of it.
    static let complete = """
        party: SELLER
        listen: { host: 127.0.0.1, port: 0 }
        publicURL: http://127.0.0.1:9000
        keyFile: seller.key
        database: seller.sqlite
        maxBodyBytes: 1000
        defaults: { processingTime: 300ms }
        provider:
          id: SELLER
          catalog: [{ offering: EPL, places: ["*"], cost: 100 }]
        peers:
          - { id: BUYER, publicKey: "00", callbacks: [] }
        clock: { mode: wall }
        metricsToken: secret
        """

    /// Loads `text` as a node configuration file and returns the message it is refused with.
    static func refusal(_ text: String) throws -> String? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("node-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try NodeConfiguration.load(path: path)
            return nil
        } catch let error as NodeError {
            #expect(error.code == .badConfiguration)
            return error.message.replacingOccurrences(of: path + ": ", with: "")
        }
    }

    /// (the text replaced, its misspelling, the refusal)
    static let typos: [(String, String, String)] = [
        ("metricsToken:", "metricToken:", "metricToken: unknown key; did you mean 'metricsToken'?"),
        ("port: 0", "prot: 0", "listen.prot: unknown key; did you mean 'port'?"),
        ("{ processingTime", "{ processingTme", "defaults.processingTme: unknown key; did you mean 'processingTime'?"),
        ("  catalog:", "  catalgo:", "provider.catalgo: unknown key; did you mean 'catalog'?"),
        ("cost: 100", "costs: 100", "provider.catalog[0].costs: unknown key; did you mean 'cost'?"),
        ("publicKey: \"00\"", "publicKye: \"00\"", "peers[0].publicKye: unknown key; did you mean 'publicKey'?"),
        ("mode: wall", "mdoe: wall", "clock.mdoe: unknown key; did you mean 'mode'?"),
    ]

    @Test("a misspelt key in any section of a node file is refused with its path and the closest key", arguments: typos)
    func misspeltKey(correct: String, misspelt: String, refusal: String) throws {
        #expect(Self.complete.contains(correct))
        #expect(try Self.refusal(Self.complete.replacingOccurrences(of: correct, with: misspelt)) == refusal)
    }

    @Test("a value of the wrong type or a missing field is named in plain words, not as a DecodingError")
    func wrongValue() throws {
        let wrongType = Self.complete.replacingOccurrences(of: "port: 0", with: "port: eighty")
        #expect(try Self.refusal(wrongType) == "listen.port: expected a whole number")
        let missing = Self.complete.replacingOccurrences(of: "database: seller.sqlite\n", with: "")
        #expect(try Self.refusal(missing) == "database: required field is missing")
        // Past the keys, the file is read on: the peer's key is checked next.
        #expect(try Self.refusal(Self.complete) == "peers[0].publicKey: not a 32-byte Ed25519 key (hex or base64)")
    }

    @Test("requestSkew sets the window a signed request's timestamp must fall in; outside 1s…1h it is refused")
    func requestSkew() throws {
        let peer = try PartyKey(party: "BUYER").publicKey.hexString
        let valid = Self.complete.replacingOccurrences(of: "publicKey: \"00\"", with: "publicKey: \"\(peer)\"")
        #expect(
            try Self.refusal(valid + "\nrequestSkew: 2h") == "requestSkew: '2h' is not a duration from 1s to 1h (30s)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("node-\(UUID().uuidString).yaml").path
        try (valid + "\nrequestSkew: 45s").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try NodeConfiguration.load(path: path).requestSkew == .seconds(45))
        try valid.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try NodeConfiguration.load(path: path).requestSkew == .seconds(30))
    }

    @Test("ledgerLinger sets how long a ledger lane waits before it proposes; 20ms by default, above 1s refused")
    func ledgerLinger() throws {
        let peer = try PartyKey(party: "BUYER").publicKey.hexString
        let valid = Self.complete.replacingOccurrences(of: "publicKey: \"00\"", with: "publicKey: \"\(peer)\"")
        #expect(
            try Self.refusal(valid + "\nledgerLinger: 2s")
                == "ledgerLinger: '2s' is not a duration from 0ms to 1s (20ms)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("node-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try (valid + "\nledgerLinger: 0ms").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try NodeConfiguration.load(path: path).ledgerLinger == .zero)
        try valid.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try NodeConfiguration.load(path: path).ledgerLinger == TimeSpan(milliseconds: 20))
    }

    @Test("the node file's key lists name exactly the properties of each section")
    func keyListsMatchProperties() throws {
        let file = try ScenarioLoader.decodeStrictly(
            NodeConfiguration.File.self,
            from:
                "{ listen: { port: 1 }, keyFile: k, database: d, peers: [{ id: P, publicKey: x }], clock: { mode: m } }"
        )
        #expect(
            Set(Mirror(reflecting: file).children.compactMap(\.label)) == Set(NodeConfiguration.File.knownKeys.keys))
        #expect(
            Set(Mirror(reflecting: file.listen).children.compactMap(\.label))
                == Set(NodeConfiguration.File.Listen.knownKeys.keys))
        let peer = try #require(file.peers?.first)
        #expect(
            Set(Mirror(reflecting: peer).children.compactMap(\.label))
                == Set(NodeConfiguration.File.PeerSpec.knownKeys.keys))
        let clock = try #require(file.clock)
        #expect(
            Set(Mirror(reflecting: clock).children.compactMap(\.label))
                == Set(NodeConfiguration.File.ClockSpec.knownKeys.keys))
    }
}

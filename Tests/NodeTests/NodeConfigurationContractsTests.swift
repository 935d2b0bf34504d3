import Foundation
import ScenarioModel
import Testing

@testable import Node

/// `contracts:` in a standalone node file (with `provider:`): the scenario format's contract entries, as seller
/// and as buyer, reach the node's S-BUS and B-BUS; bad ones are refused with the field path.
struct NodeConfigurationContractsTests {
    static let key = String(repeating: "00", count: 32)

    static func file(contracts: String) -> String {
        """
        listen: { host: 127.0.0.1, port: 0 }
        keyFile: metro.key
        database: metro.sqlite
        provider:
          id: METRO
          sellers: [NATIONAL]
          catalog: [{ offering: EPL, places: ["*"], cost: 100 }]
        peers:
          - { id: NATIONAL, url: "http://127.0.0.1:9", publicKey: \(key) }
          - { id: ACME, publicKey: \(key) }
        contracts:
        \(contracts)
        """
    }

    @Test("a node file's contracts reach the S-BUS (as seller) and the B-BUS (as buyer) with their terms")
    func contractsReachTheRoles() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("node-\(UUID().uuidString).yaml").path
        let text = Self.file(
            contracts: """
                  - { seller: METRO, buyer: ACME, paymentTerms: 30x15, netting: true }
                  - { seller: NATIONAL, buyer: METRO, paymentTerms: 10x5 }
                """)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try NodeConfiguration.load(path: path)
        let selling = try #require(configuration.provider.sbus.contracts["ACME"])
        #expect(selling.terms.description == "30x15")
        #expect(selling.netting == true)
        let buying = try #require(configuration.provider.bbus.contracts["NATIONAL"])
        #expect(buying.terms.description == "10x5")
        #expect(configuration.provider.sbus.contracts.count == 1)
        #expect(configuration.provider.bbus.contracts.count == 1)
    }

    /// (the contracts section, the refusal)
    static let refusals: [(String, String)] = [
        (
            "  - { seller: METRO, buyer: ACME, paymentTerm: 30x15 }",
            "contracts[0].paymentTerm: unknown key; did you mean 'paymentTerms'?"
        ),
        (
            "  - { seller: NATIONAL, buyer: ACME }",
            "contracts[0]: a node's contract has METRO as its seller or its buyer"
        ),
        (
            "  - { seller: METRO, buyer: ACME, currency: euro }",
            "contracts[0].currency: 'euro' is not an ISO 4217 code (EUR, USD)"
        ),
    ]

    @Test("a bad contract in a node file is refused naming its field", arguments: refusals)
    func badContract(contracts: String, refusal: String) throws {
        #expect(try NodeConfigurationFileTests.refusal(Self.file(contracts: contracts)) == refusal)
    }
}

import Foundation
import ScenarioModel
import Testing

/// A misspelt key is refused with its path and the closest known key, in every section of a scenario file.
struct StrictKeysTests {
    /// A scenario using every section; each case misspells one key of it.
    static let complete = """
        name: typos
        description: every section
        seed: 1
        start: 2026-01-05T09:00:00Z
        defaults: { latency: 15ms, processingTime: 300ms, quoteValidity: 30d, currency: EUR }
        providers:
          - id: SHOP
            markup: 10%
            sellers: [TOWER, { id: EAST, offerings: [EPL] }]
            behaviour: { delay: 3s }
          - id: EAST
          - id: TOWER
            catalog:
              - { offering: EPL, places: [PARIS-7], cost: 1000, leadTime: 20d }
        links:
          - { between: [SHOP, TOWER], latency: 50ms }
        demand:
          - id: line
            buyer: BIGCO
            seller: SHOP
            kind: inquiry
            items:
              - { id: epl-1, offering: EPL, place: PARIS-7, bandwidthMbps: 200 }
            order:
              after: 1m
              term: 365d
              changes:
                - { after: 30d, bandwidthMbps: 500 }
              renew: { after: 300d, term: 730d }
        runFor: 400d
        expect:
          - { demand: line, state: READY, price: 1100.00 }
        """

    @Test("the complete scenario, misspelt nowhere, is accepted")
    func completeScenarioLoads() throws {
        let scenario = try ScenarioLoader.parse(Self.complete)
        #expect(scenario.providers.map(\.id) == ["SHOP", "EAST", "TOWER"])
        #expect(scenario.demand.first?.order?.renew?.term.text == "730d")
    }

    /// (the text replaced, its misspelling, the path refused, the key suggested)
    static let typos: [(String, String, String, String)] = [
        ("runFor: 400d", "runFr: 400d", "runFr", "runFor"),
        ("latency: 15ms, processingTime", "latncy: 15ms, processingTime", "defaults.latncy", "latency"),
        ("    sellers: [TOWER", "    sellrs: [TOWER", "providers[0].sellrs", "sellers"),
        ("{ id: EAST, offerings", "{ id: EAST, offering", "providers[0].sellers[1].offering", "offerings"),
        ("behaviour: { delay: 3s }", "behaviour: { dleay: 3s }", "providers[0].behaviour.dleay", "delay"),
        ("cost: 1000, leadTime", "cots: 1000, leadTime", "providers[2].catalog[0].cots", "cost"),
        ("latency: 50ms }", "latenc: 50ms }", "links[0].latenc", "latency"),
        ("    buyer: BIGCO", "    buyr: BIGCO", "demand[0].buyr", "buyer"),
        ("bandwidthMbps: 200 }", "bandwithMbps: 200 }", "demand[0].items[0].bandwithMbps", "bandwidthMbps"),
        ("      term: 365d", "      trem: 365d", "demand[0].order.trem", "term"),
        (
            "{ after: 30d, bandwidthMbps: 500 }", "{ afer: 30d, bandwidthMbps: 500 }",
            "demand[0].order.changes[0].afer",
            "after"
        ),
        ("renew: { after: 300d", "renew: { atfer: 300d", "demand[0].order.renew.atfer", "after"),
        ("state: READY, price", "stat: READY, price", "expect[0].stat", "state"),
    ]

    @Test("a misspelt key in any section is refused with its path and the closest known key", arguments: typos)
    func misspeltKey(correct: String, misspelt: String, path: String, suggestion: String) throws {
        #expect(Self.complete.contains(correct))
        let text = Self.complete.replacingOccurrences(of: correct, with: misspelt)
        #expect(throws: ScenarioError(path: path, message: "unknown key; did you mean '\(suggestion)'?")) {
            try ScenarioLoader.parse(text)
        }
    }

    @Test("a key like no known one is refused without a suggestion")
    func unknownWithoutSuggestion() {
        let text = Self.complete.replacingOccurrences(of: "runFor: 400d", with: "weather: sunny")
        #expect(throws: ScenarioError(path: "weather", message: "unknown key")) { try ScenarioLoader.parse(text) }
    }

    @Test("the suggestion is the known key at the smallest edit distance")
    func closestKey() {
        let text = """
            name: x
            providers: [{ id: A, procesingTime: 1s }]
            demand: []
            """
        // `processingTime` (one letter missing) wins over `quoteValidity` and every other key.
        #expect(
            throws: ScenarioError(
                path: "providers[0].procesingTime", message: "unknown key; did you mean 'processingTime'?")
        ) {
            try ScenarioLoader.parse(text)
        }
    }

    /// A section type's declared keys and the properties of an instance decoded from a minimal document.
    struct Section: Sendable, CustomTestStringConvertible {
        let name: String
        let keysAndProperties: Result<(keys: Set<String>, properties: Set<String>), ScenarioError>
        var testDescription: String { name }

        init<Type: Decodable & KnownKeys>(_ type: Type.Type, minimal: String) {
            name = String(describing: type)
            keysAndProperties = Result { () throws(ScenarioError) in
                let instance = try ScenarioLoader.decodeStrictly(type, from: minimal)
                return (Set(Type.knownKeys.keys), Set(Mirror(reflecting: instance).children.compactMap(\.label)))
            }
        }
    }

    static let sections: [Section] = [
        Section(Scenario.self, minimal: "{ name: x, providers: [], demand: [] }"),
        Section(Scenario.Defaults.self, minimal: "{}"),
        Section(Scenario.ProviderSpec.self, minimal: "{ id: A }"),
        Section(Scenario.SellerSpec.self, minimal: "{ id: A }"),
        Section(Scenario.Behaviour.self, minimal: "{}"),
        Section(Scenario.DelaySpec.self, minimal: "{ fixed: 1s }"),
        Section(Scenario.CapacitySpec.self, minimal: "{ fixed: 1 }"),
        Section(Scenario.CatalogSpec.self, minimal: "{ offering: O, cost: 1 }"),
        Section(Scenario.LinkSpec.self, minimal: "{ between: [A, B], latency: 1ms }"),
        Section(Scenario.DemandSpec.self, minimal: "{ id: d, buyer: B, seller: A }"),
        Section(Scenario.OrderSpec.self, minimal: "{}"),
        Section(Scenario.ChangeSpec.self, minimal: "{}"),
        Section(Scenario.RenewSpec.self, minimal: "{ term: 1d }"),
        Section(Scenario.ItemSpec.self, minimal: "{ id: i, offering: O }"),
        Section(Scenario.Expectation.self, minimal: "{}"),
    ]

    @Test("every section's key list names exactly its properties", arguments: sections)
    func keyListsMatchProperties(section: Section) throws {
        let (keys, properties) = try section.keysAndProperties.get()
        #expect(properties.count > 0)
        #expect(keys == properties)
    }
}

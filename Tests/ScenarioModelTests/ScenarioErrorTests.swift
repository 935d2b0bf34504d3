import Foundation
import ScenarioModel
import Testing

/// A scenario that cannot be run is refused with the path of the bad field and what was expected.
struct ScenarioErrorTests {
    @Test("a scenario naming an unknown seller is refused with the field path")
    func unknownSeller() {
        let yaml = """
            name: bad
            providers:
              - { id: A, sellers: [B] }
            demand:
              - { id: d, buyer: X, seller: A, items: [{ id: i, offering: O }] }
            """
        #expect(
            throws: ScenarioError(
                path: "providers[0].sellers[0]", message: "'B' is not a provider of this scenario (known: A)")
        ) {
            try SimulationPlan(ScenarioLoader.parse(yaml), directory: URL(fileURLWithPath: "/"))
        }
    }

    @Test("a catalog's place rule is one of required, forbidden, optional")
    func unknownPlaceRule() {
        let yaml = """
            name: bad
            providers:
              - id: A
                catalog: [{ offering: O, cost: 1, place: always }]
            demand:
              - { id: d, buyer: X, seller: A, items: [{ id: i, offering: O }] }
            """
        #expect(
            throws: ScenarioError(
                path: "providers[0].catalog[0].place", message: "'always' is not one of: required, forbidden, optional")
        ) {
            try SimulationPlan(ScenarioLoader.parse(yaml), directory: URL(fileURLWithPath: "/"))
        }
    }

    @Test("metered usage needs an SLA to be measured with, and a day's gigabytes within bounds")
    func usageWithoutSLA() {
        for (catalog, message) in [
            ("{ offering: O, cost: 1, usagePerDay: 40 }", "usage is metered with the performance: give an sla"),
            (
                "{ offering: O, cost: 1, usagePerDay: -1, sla: { availability: 99.9% } }",
                "gigabytes a day from 0 to 1,000,000,000, not -1"
            ),
        ] {
            let yaml = """
                name: bad
                providers:
                  - id: A
                    catalog: [\(catalog)]
                demand:
                  - { id: d, buyer: X, seller: A, items: [{ id: i, offering: O }] }
                """
            #expect(throws: ScenarioError(path: "providers[0].catalog[0].usagePerDay", message: message)) {
                try SimulationPlan(ScenarioLoader.parse(yaml), directory: URL(fileURLWithPath: "/"))
            }
        }
    }

    @Test("a field of the wrong type names its path")
    func wrongType() {
        let yaml = """
            name: bad
            providers:
              - id: A
                catalog: [{ offering: O, cost: lots }]
            demand: []
            """
        #expect(throws: ScenarioError(path: "providers[0].catalog[0].cost", message: "expected a number")) {
            try ScenarioLoader.parse(yaml)
        }
    }

    @Test("a bad duration and a missing field name their paths")
    func badDurationAndMissingField() throws {
        let badDuration = """
            name: bad
            defaults: { latency: soon }
            providers: [{ id: A }]
            demand: []
            """
        #expect(
            throws: ScenarioError(
                path: "defaults.latency", message: "'soon' is not a duration (250ms, 2s, 5m, 3h, 30d)")
        ) {
            try SimulationPlan(ScenarioLoader.parse(badDuration), directory: URL(fileURLWithPath: "/"))
        }
        let missing = """
            name: bad
            providers: [{ id: A }]
            demand: [{ id: d, seller: A, items: [] }]
            """
        #expect(throws: ScenarioError(path: "demand[0].buyer", message: "required field is missing")) {
            try ScenarioLoader.parse(missing)
        }
    }
}

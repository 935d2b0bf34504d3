import RoleTestSupport
import SCO
import Sonata
import SupplyChain
import Testing

/// The SOF's catalog by product specification (MEF 79.1 Use Case 2b): which offerings belong to which
/// specification, and which one answers a POQ naming only the specification.
struct SOFCatalogTests {
    /// EPL-SPEC has two offerings: EPL-BASIC (on-net at LON, built at PARIS) and EPL-GOLD (on-net at PARIS, dearer);
    /// DIA-SPEC's DIA is on-net at PARIS too.
    static let sof = SOF(catalog: [
        CatalogEntry(
            offering: "EPL-BASIC", places: ["LON"], buildPlaces: ["PARIS", "ROME"], cost: Money(amount: 100),
            buildCost: Money(amount: 50), leadTime: .days(10), buildTime: .days(20), specification: "EPL-SPEC"),
        CatalogEntry(
            offering: "EPL-GOLD", places: ["PARIS"], cost: Money(amount: 400), leadTime: .days(5),
            specification: "EPL-SPEC"),
        CatalogEntry(
            offering: "DIA", places: ["PARIS", "ROME"], cost: Money(amount: 10), leadTime: .days(1),
            specification: "DIA-SPEC"),
    ])

    static func bySpecification(_ specification: String, at place: String) -> ServiceElement {
        ServiceElement(
            itemID: "1", offering: specification, place: place, bandwidthMbps: nil, specification: specification)
    }

    @Test("MEF79-R13 MEF79-R14 by specification, the green offering under it is chosen over a cheaper yellow one")
    func greenChosen() {
        let answer = Self.sof.check(Self.bySpecification("EPL-SPEC", at: "PARIS"), provideAlternative: true)
        #expect(answer.deliverable)
        #expect(answer.offer.offering == "EPL-GOLD")
        #expect(answer.offer.confidence == .green)
        #expect(answer.offer.price == Money(amount: 400))
        #expect(answer.offer.installationInterval == .days(5))
    }

    @Test("MEF79-R14 by specification, a yellow offering is chosen when no offering under it is green")
    func yellowWhenNoGreen() {
        let answer = Self.sof.check(Self.bySpecification("EPL-SPEC", at: "ROME"), provideAlternative: true)
        #expect(answer.deliverable)
        #expect(answer.offer.offering == "EPL-BASIC")
        #expect(answer.offer.confidence == .yellow)
        #expect(answer.offer.deliveryType == .onNetWithBuild)
        #expect(answer.offer.price == Money(amount: 150))
    }

    @Test("MEF79-R16 by specification, only that specification's offerings answer: DIA, green at ROME, is not chosen")
    func sameSpecificationOnly() {
        let answer = Self.sof.check(Self.bySpecification("EPL-SPEC", at: "ROME"), provideAlternative: true)
        #expect(answer.offer.offering == "EPL-BASIC")
        let unknown = Self.sof.check(Self.bySpecification("SDWAN-SPEC", at: "ROME"), provideAlternative: true)
        #expect(!unknown.deliverable)
        #expect(unknown.offer.offering == nil)
        #expect(
            unknown.offer.confidenceReason
                == "no offering of product specification SDWAN-SPEC in this provider's catalog")
    }

    @Test("a POQ naming the offering itself is answered for that offering alone, and the answer names none")
    func byOffering() {
        let element = ServiceElement(itemID: "1", offering: "EPL-BASIC", place: "PARIS", bandwidthMbps: nil)
        let answer = Self.sof.check(element, provideAlternative: true)
        #expect(answer.offer.confidence == .yellow)
        #expect(answer.offer.offering == nil)
    }
}

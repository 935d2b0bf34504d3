import CanonicalJSON
import Foundation
import Testing

@testable import Sonata

struct POQValidatorTests {
    static let poqFixtures = Fixtures.names(of: "poq")
    static let epl = "ce_Use_Case_2a_POQ_-_new_EPL,_new_UNIs.json"

    @Test("every MEF POQ example decodes and round-trips without losing a field", arguments: poqFixtures)
    func roundTrip(name: String) throws {
        let original = try Fixtures.json(name)
        let model = try JSONDecoder().decode(ProductOfferingQualificationCreate.self, from: Fixtures.data(name))
        let reencoded = try JSONValue(encoding: model)
        #expect(reencoded == original)
        let again = try reencoded.decode(ProductOfferingQualificationCreate.self)
        #expect(again == model)
    }

    @Test(
        "MEF POQ examples validate clean, except deferred ones without a completion date (MEF79-R11)",
        arguments: poqFixtures)
    func examplesValidate(name: String) throws {
        let payload = try Fixtures.json(name)
        let findings = POQValidator.validateRequest(payload)
        let deferredWithoutDate =
            payload["instantSyncQualification"] == false && payload["requestedPOQCompletionDate"] == nil
        if deferredWithoutDate {
            #expect(
                findings == [
                    ValidationFinding(
                        path: "/requestedPOQCompletionDate", rule: "MEF79-R11",
                        message:
                            "a deferred POQ (instantSyncQualification is false) must give requestedPOQCompletionDate")
                ])
        } else {
            #expect(findings.isEmpty, "\(findings)")
        }
    }

    @Test("the Internet Access POQs MEF ships break MEF79-R11")
    func internetAccessExamplesAreNotConforming() throws {
        let names = Self.poqFixtures.filter { $0.hasPrefix("ia_") }
        #expect(names.count == 4)
        for name in names {
            #expect(POQValidator.validateRequest(try Fixtures.json(name)).map(\.rule) == ["MEF79-R11"])
        }
    }

    private func findings(_ edit: (JSONValue) -> JSONValue) throws -> [ValidationFinding] {
        POQValidator.validateRequest(edit(try Fixtures.json(Self.epl)))
    }

    @Test("MEF79-R9 a request without buyer contact is refused with the field path")
    func missingContact() throws {
        let result = try findings { $0.replacing(["relatedContactInformation"], with: nil) }
        #expect(
            result.contains(
                ValidationFinding(
                    path: "/relatedContactInformation", rule: "MEF79-R9",
                    message: "'relatedContactInformation' is required: Buyer Contact Information is mandatory")))
        let wrongRole = try findings {
            $0.replacing(["relatedContactInformation", "0", "role"], with: "locationContact")
        }
        #expect(wrongRole.map(\.rule) == ["MEF79-R9"])
    }

    @Test("MEF79-R9 Immediate Response Only and Provide Alternate must be stated")
    func missingFlags() throws {
        let result = try findings { $0.replacing(["provideAlternative"], with: nil) }
        #expect(result.map(\.path) == ["/provideAlternative"])
        #expect(result.map(\.rule) == ["MEF79-R9"])
    }

    @Test("MEF79-R22 a contact has name, phone number and e-mail")
    func incompleteContact() throws {
        let result = try findings { $0.replacing(["relatedContactInformation", "0", "emailAddress"], with: nil) }
        #expect(result.map(\.rule) == ["MEF79-R22"])
        #expect(result.map(\.path) == ["/relatedContactInformation/0/emailAddress"])
        let itemContact = try findings {
            $0.replacing(
                ["productOfferingQualificationItem", "1", "relatedContactInformation", "0", "number"], with: nil)
        }
        #expect(itemContact.map(\.path) == ["/productOfferingQualificationItem/1/relatedContactInformation/0/number"])
    }

    @Test("MEF79-R12 a POQ without items is refused")
    func noItems() throws {
        let empty = try findings { $0.replacing(["productOfferingQualificationItem"], with: []) }
        #expect(empty.map(\.rule) == ["MEF79-R12"])
        let absent = try findings { $0.replacing(["productOfferingQualificationItem"], with: nil) }
        #expect(absent.map(\.path) == ["/productOfferingQualificationItem"])
        #expect(absent.map(\.rule) == ["MEF79-R12"])
    }

    @Test("MEF79-R11 a deferred POQ without a requested completion date is refused")
    func deferredWithoutDate() throws {
        let result = try findings { $0.replacing(["requestedPOQCompletionDate"], with: nil) }
        #expect(result.map(\.rule) == ["MEF79-R11"])
        let immediate = try findings {
            $0.replacing(["requestedPOQCompletionDate"], with: nil).replacing(["instantSyncQualification"], with: true)
        }
        #expect(immediate.isEmpty)
    }

    @Test("MEF79-R17 item ids are present and unique within the POQ")
    func duplicateItemIDs() throws {
        let result = try findings { $0.replacing(["productOfferingQualificationItem", "2", "id"], with: "item-002") }
        #expect(result.contains { $0.rule == "MEF79-R17" && $0.path == "/productOfferingQualificationItem/2/id" })
        let missing = try findings { $0.replacing(["productOfferingQualificationItem", "1", "id"], with: nil) }
        #expect(missing.contains { $0.rule == "MEF79-R17" && $0.path == "/productOfferingQualificationItem/1/id" })
    }

    @Test("MEF79-R17 an INSTALL item names an offering and gives its product-specific attributes")
    func installItemNeedsOfferingAndConfiguration() throws {
        let result = try findings {
            $0.replacing(["productOfferingQualificationItem", "0", "product", "productOffering"], with: nil)
                .replacing(["productOfferingQualificationItem", "0", "product", "productConfiguration"], with: nil)
        }
        #expect(result.map(\.rule) == ["MEF79-R17", "MEF79-R17"])
        #expect(
            result.map(\.path) == [
                "/productOfferingQualificationItem/0/product/productOffering",
                "/productOfferingQualificationItem/0/product/productConfiguration",
            ])
    }

    @Test("MEF79-R24 a relationship to an item that is not in the POQ is refused")
    func relationshipToUnknownItem() throws {
        let result = try findings {
            $0.replacing(
                ["productOfferingQualificationItem", "0", "qualificationItemRelationship", "1", "id"], with: "item-999")
        }
        #expect(
            result == [
                ValidationFinding(
                    path: "/productOfferingQualificationItem/0/qualificationItemRelationship/1/id", rule: "MEF79-R24",
                    message: "relationship to item 'item-999', which is not an item of this POQ")
            ])
    }

    @Test("MEF79-R26 an item relationship states its type")
    func relationshipWithoutType() throws {
        let result = try findings {
            $0.replacing(
                ["productOfferingQualificationItem", "0", "qualificationItemRelationship", "0", "relationshipType"],
                with: nil)
        }
        #expect(result.map(\.rule) == ["MEF79-R26"])
    }

    @Test("MEF79-R25 a product relationship states type and id")
    func productRelationshipIncomplete() throws {
        let payload = try Fixtures.json("ce_Use_Case_3b_POQ_-_new_EVPL,_existing_UNI,_new_UNI.json")
            .replacing(
                ["productOfferingQualificationItem", "0", "product", "productRelationship", "0", "id"], with: nil)
        let result = POQValidator.validateRequest(payload)
        #expect(result.map(\.rule) == ["MEF79-R25"])
        #expect(result.map(\.path) == ["/productOfferingQualificationItem/0/product/productRelationship/0/id"])
    }

    @Test("a wrong enum value names the allowed values")
    func wrongEnum() throws {
        let result = try findings {
            $0.replacing(["productOfferingQualificationItem", "0", "action"], with: "install")
        }
        #expect(
            result == [
                ValidationFinding(
                    path: "/productOfferingQualificationItem/0/action", rule: ValidationFinding.schemaRule,
                    message: "'install' is not one of: add, modify, delete")
            ])
    }

    @Test("a wrong date format is refused with the field path")
    func wrongDateFormat() throws {
        let result = try findings { $0.replacing(["requestedPOQCompletionDate"], with: "12/10/2023") }
        #expect(result.map(\.path) == ["/requestedPOQCompletionDate"])
        #expect(result.map(\.rule) == [ValidationFinding.schemaRule])
        #expect(result.first?.message.contains("RFC 3339") == true)
    }

    @Test("a wrong JSON type is reported, not crashed on")
    func wrongType() throws {
        let result = try findings { $0.replacing(["instantSyncQualification"], with: "false") }
        #expect(result.map(\.path) == ["/instantSyncQualification"])
        #expect(result.first?.message == "expected true or false, found string")
    }

    @Test("MEF79-R10 a POQ by specification (Use Case 2b) must allow alternates")
    func specificationNeedsAlternates() throws {
        let result = try findings {
            $0.replacing(["productOfferingQualificationItem", "0", "product", "productOffering"], with: nil)
                .replacing(
                    ["productOfferingQualificationItem", "0", "product", "productSpecification"], with: ["id": "spec-1"]
                )
        }
        #expect(result.map(\.rule) == ["MEF79-R10"])
    }

    @Test("MEF79-R50 a CHANGE item names the existing product")
    func changeNeedsProductID() throws {
        let payload = try Fixtures.json("ia_Use_Case_7_POQ_-_Advanced_Internet_Access_-_bandwidth_change.json")
            .replacing(["productOfferingQualificationItem", "0", "product", "id"], with: nil)
        #expect(POQValidator.validateRequest(payload).map(\.rule).contains("MEF79-R50"))
    }

    /// The SDK's Access E-Line CHANGE (Use Case 2c): one `modify` item naming product AccessEline-0001.
    static let change = "ael_UseCase6Request.json"

    @Test("MEF79-R48 a CHANGE item names its offering and gives its product-specific attributes")
    func changeNeedsOfferingAndAttributes() throws {
        #expect(POQValidator.validateRequest(try Fixtures.json(Self.change)) == [])
        let payload = try Fixtures.json(Self.change)
            .replacing(["productOfferingQualificationItem", "0", "product", "productOffering"], with: nil)
            .replacing(["productOfferingQualificationItem", "0", "product", "productConfiguration"], with: nil)
        #expect(
            POQValidator.validateRequest(payload) == [
                ValidationFinding(
                    path: "/productOfferingQualificationItem/0/product/productOffering", rule: "MEF79-R48",
                    message: "a CHANGE (modify) item names the Product Offering"),
                ValidationFinding(
                    path: "/productOfferingQualificationItem/0/product/productConfiguration", rule: "MEF79-R48",
                    message: "a CHANGE (modify) item gives its Product-Specific Attributes"),
            ])
    }

    @Test("MEF79-R52 a CHANGE item's relationship to another POQ item must name an item of this POQ")
    func changeRelationshipToUnknownItem() throws {
        let payload = try Fixtures.json(Self.change).replacing(
            ["productOfferingQualificationItem", "0", "qualificationItemRelationship"],
            with: [["relationshipType": "CONNECTS_TO_UNI", "id": "item-404"]])
        #expect(
            POQValidator.validateRequest(payload) == [
                ValidationFinding(
                    path: "/productOfferingQualificationItem/0/qualificationItemRelationship/0/id", rule: "MEF79-R52",
                    message: "relationship to item 'item-404', which is not an item of this POQ")
            ])
    }

    @Test("MEF79-R53 a CHANGE item's product relationship gives its type and the product's id")
    func changeProductRelationshipIncomplete() throws {
        let payload = try Fixtures.json(Self.change).replacing(
            ["productOfferingQualificationItem", "0", "product", "productRelationship", "1", "relationshipType"],
            with: nil)
        let result = POQValidator.validateRequest(payload)
        #expect(result.map(\.rule) == ["MEF79-R53"])
        #expect(
            result.map(\.path) == ["/productOfferingQualificationItem/0/product/productRelationship/1/relationshipType"]
        )
    }

    @Test("MEF79-R54 a CHANGE item's relationship to another POQ item gives its type")
    func changeItemRelationshipWithoutType() throws {
        let payload = try Fixtures.json(Self.change).replacing(
            ["productOfferingQualificationItem", "0", "qualificationItemRelationship"], with: [["id": "item-001"]])
        let result = POQValidator.validateRequest(payload)
        #expect(result.map(\.rule) == ["MEF79-R54", "MEF79-R52"])
        #expect(
            result.map(\.path) == [
                "/productOfferingQualificationItem/0/qualificationItemRelationship/0/relationshipType",
                "/productOfferingQualificationItem/0/qualificationItemRelationship/0/id",
            ])
    }

    @Test("a payload that is not an object is one finding at the root")
    func notAnObject() {
        #expect(POQValidator.validateRequest([1, 2]).map(\.path) == [""])
    }
}

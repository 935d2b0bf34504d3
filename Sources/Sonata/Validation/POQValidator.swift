import CanonicalJSON

/// The MEF 79.1 business rules and the Sonata v7 schema rules for POQ requests and responses.
///
/// It works on the JSON tree rather than on decoded models so that it can report every finding at once,
/// each with the field's JSON Pointer and the requirement id of `requirements.tsv` (`MEF79-R11`).
public enum POQValidator {
    /// Buyer contact role required by MEF 79.1 R9 (Sonata v7 `role=buyerContactInformation`).
    public static let buyerContactRole = "buyerContactInformation"
    /// Seller contact role required in a successful response (R38).
    public static let sellerContactRole = "sellerContactInformation"

    /// Validates a Create POQ request (`ProductOfferingQualification_Create`).
    public static func validateRequest(_ payload: JSONValue) -> [ValidationFinding] {
        var inspector = PayloadInspector()
        guard let root = inspector.object(payload, at: "") else { return inspector.findings }

        // R9: Immediate Response Only, Provide Alternate and Buyer Contact Information are mandatory in MEF 79.1,
        // although Sonata v7 gives the two flags a default.
        let instant = inspector.bool(
            "instantSyncQualification", of: root, at: "", required: "MEF79-R9",
            because: "MEF 79.1 requires the Buyer to state Immediate Response Only")
        let provideAlternative = inspector.bool(
            "provideAlternative", of: root, at: "", required: "MEF79-R9",
            because: "MEF 79.1 requires the Buyer to state Provide Alternate")
        let completionDate = inspector.dateTime("requestedPOQCompletionDate", of: root, at: "")
        if instant != true, completionDate == nil, root["requestedPOQCompletionDate"] == nil {
            inspector.report(
                "/requestedPOQCompletionDate", "MEF79-R11",
                "a deferred POQ (instantSyncQualification is \(instant.map(String.init) ?? "absent, so false")) "
                    + "must give requestedPOQCompletionDate")
        }
        _ = inspector.string("externalId", of: root, at: "")
        _ = inspector.string("projectId", of: root, at: "")

        let contacts =
            inspector.array(
                "relatedContactInformation", of: root, at: "", required: "MEF79-R9",
                because: "Buyer Contact Information is mandatory") ?? []
        var roles: [String] = []
        for (index, contact) in contacts.enumerated() {
            let path = JSONPointer.appending("/relatedContactInformation", index)
            if let role = checkContact(contact, at: path, inspector: &inspector) { roles.append(role) }
        }
        if root["relatedContactInformation"] != nil, !roles.contains(buyerContactRole) {
            inspector.report(
                "/relatedContactInformation", "MEF79-R9",
                "no contact with role '\(buyerContactRole)' (Buyer Contact Information)")
        }

        guard
            let items = inspector.array(
                "productOfferingQualificationItem", of: root, at: "", required: "MEF79-R12",
                because: "a POQ has at least one item")
        else { return inspector.findings }
        if items.isEmpty {
            inspector.report(
                "/productOfferingQualificationItem", "MEF79-R12", "a POQ has at least one item; none given")
        }

        var seenIDs: [String: Int] = [:]
        var itemIDs: Set<String> = []
        for item in items {
            if let id = item["id"]?.stringValue { itemIDs.insert(id) }
        }
        for (index, item) in items.enumerated() {
            let path = JSONPointer.appending("/productOfferingQualificationItem", index)
            guard let fields = inspector.object(item, at: path) else { continue }
            let id = inspector.string(
                "id", of: fields, at: path, required: "MEF79-R17", because: "every item needs its identifier")
            if let id {
                if let first = seenIDs[id] {
                    inspector.report(
                        JSONPointer.appending(path, "id"), "MEF79-R17",
                        "item id '\(id)' is already used by item \(first); item ids are unique within the POQ")
                } else {
                    seenIDs[id] = index
                }
            }
            let action = inspector.enumeration(
                ProductActionType.self, "action", of: fields, at: path, required: "MEF79-R17")
            checkItemProduct(
                fields, action: action, provideAlternative: provideAlternative, at: path, inspector: &inspector)
            // The relationship rules are stated twice: R24/R26 for Use Cases 2a and 2b, R52/R54 for a CHANGE (2c).
            let change = action == .modify
            if let relationships = inspector.array("qualificationItemRelationship", of: fields, at: path) {
                for (relIndex, relationship) in relationships.enumerated() {
                    let relPath = JSONPointer.appending(
                        JSONPointer.appending(path, "qualificationItemRelationship"), relIndex)
                    guard let rel = inspector.object(relationship, at: relPath) else { continue }
                    let complete = change ? "MEF79-R54" : "MEF79-R26"
                    let toItems = change ? "MEF79-R52" : "MEF79-R24"
                    _ = inspector.string("relationshipType", of: rel, at: relPath, required: complete)
                    if let target = inspector.string("id", of: rel, at: relPath, required: complete) {
                        if !itemIDs.contains(target) {
                            inspector.report(
                                JSONPointer.appending(relPath, "id"), toItems,
                                "relationship to item '\(target)', which is not an item of this POQ")
                        } else if target == id {
                            inspector.report(
                                JSONPointer.appending(relPath, "id"), toItems, "an item cannot relate to itself")
                        }
                    }
                }
            }
            if let itemContacts = inspector.array("relatedContactInformation", of: fields, at: path) {
                for (contactIndex, contact) in itemContacts.enumerated() {
                    let contactPath = JSONPointer.appending(
                        JSONPointer.appending(path, "relatedContactInformation"), contactIndex)
                    _ = checkContact(contact, at: contactPath, inspector: &inspector)
                }
            }
        }
        return inspector.findings
    }

    /// MEF 79.1 R22: name, phone number and e-mail for every contact; Sonata also requires `role`.
    private static func checkContact(
        _ contact: JSONValue, at path: String, inspector: inout PayloadInspector
    ) -> String? {
        guard let fields = inspector.object(contact, at: path) else { return nil }
        _ = inspector.string("name", of: fields, at: path, required: "MEF79-R22", because: "Contact Name")
        _ = inspector.string("number", of: fields, at: path, required: "MEF79-R22", because: "Contact Phone Number")
        _ = inspector.string(
            "emailAddress", of: fields, at: path, required: "MEF79-R22", because: "Contact Email Address")
        return inspector.string("role", of: fields, at: path, required: ValidationFinding.schemaRule)
    }

    private static func checkItemProduct(
        _ item: [String: JSONValue], action: ProductActionType?, provideAlternative: Bool?, at itemPath: String,
        inspector: inout PayloadInspector
    ) {
        guard let productValue = inspector.member("product", of: item, at: itemPath, required: "MEF79-R17") else {
            return
        }
        let path = JSONPointer.appending(itemPath, "product")
        guard let product = inspector.object(productValue, at: path) else { return }
        var offeringID: String?
        if let offering = inspector.member("productOffering", of: product, at: path) {
            let offeringPath = JSONPointer.appending(path, "productOffering")
            if let fields = inspector.object(offering, at: offeringPath) {
                offeringID = inspector.string(
                    "id", of: fields, at: offeringPath, required: ValidationFinding.schemaRule)
            }
        }
        var specificationID: String?
        if let specification = inspector.member("productSpecification", of: product, at: path) {
            let specPath = JSONPointer.appending(path, "productSpecification")
            if let fields = inspector.object(specification, at: specPath) {
                specificationID = inspector.string(
                    "id", of: fields, at: specPath, required: ValidationFinding.schemaRule)
            }
        }
        let productID = inspector.string("id", of: product, at: path)
        let configuration = inspector.member("productConfiguration", of: product, at: path)
        if let configuration,
            let fields = inspector.object(configuration, at: JSONPointer.appending(path, "productConfiguration"))
        {
            _ = inspector.string(
                "@type", of: fields, at: JSONPointer.appending(path, "productConfiguration"),
                required: ValidationFinding.schemaRule, because: "it names the product schema")
        }

        switch action {
        case .add?:
            if offeringID == nil && specificationID == nil {
                inspector.report(
                    JSONPointer.appending(path, "productOffering"), "MEF79-R17",
                    "an INSTALL (add) item names a Product Offering or a Product Specification")
            }
            if configuration == nil {
                inspector.report(
                    JSONPointer.appending(path, "productConfiguration"), "MEF79-R17",
                    "an INSTALL (add) item gives its Product-Specific Attributes")
            }
            if productID != nil {
                inspector.report(
                    JSONPointer.appending(path, "id"), ValidationFinding.schemaRule,
                    "product.id (an existing product) must not be given for action 'add'")
            }
            if offeringID == nil, specificationID != nil, provideAlternative == false {
                inspector.report(
                    "/provideAlternative", "MEF79-R10",
                    "a POQ by Product Specification (Use Case 2b) must set provideAlternative to true")
            }
        case .modify?:
            if productID == nil {
                inspector.report(
                    JSONPointer.appending(path, "id"), "MEF79-R50",
                    "a CHANGE (modify) item names the existing product's id")
            }
            if offeringID == nil {
                inspector.report(
                    JSONPointer.appending(path, "productOffering"), "MEF79-R48",
                    "a CHANGE (modify) item names the Product Offering")
            }
            if configuration == nil {
                inspector.report(
                    JSONPointer.appending(path, "productConfiguration"), "MEF79-R48",
                    "a CHANGE (modify) item gives its Product-Specific Attributes")
            }
        case .delete?:
            if productID == nil {
                inspector.report(
                    JSONPointer.appending(path, "id"), ValidationFinding.schemaRule,
                    "a delete item names the product's id")
            }
            if configuration != nil {
                inspector.report(
                    JSONPointer.appending(path, "productConfiguration"), ValidationFinding.schemaRule,
                    "productConfiguration must not be given for action 'delete'")
            }
        case nil:
            break
        }

        if let relationships = inspector.array("productRelationship", of: product, at: path) {
            for (index, relationship) in relationships.enumerated() {
                let relPath = JSONPointer.appending(JSONPointer.appending(path, "productRelationship"), index)
                guard let rel = inspector.object(relationship, at: relPath) else { continue }
                let rule = action == .modify ? "MEF79-R53" : "MEF79-R25"
                _ = inspector.string("relationshipType", of: rel, at: relPath, required: rule)
                _ = inspector.string("id", of: rel, at: relPath, required: rule)
            }
        }
        if let places = inspector.array("place", of: product, at: path) {
            for (index, place) in places.enumerated() {
                let placePath = JSONPointer.appending(JSONPointer.appending(path, "place"), index)
                guard let fields = inspector.object(place, at: placePath) else { continue }
                _ = inspector.string("role", of: fields, at: placePath, required: ValidationFinding.schemaRule)
                if let type = inspector.string(
                    "@type", of: fields, at: placePath, required: "MEF79-R21",
                    because: "the place type says how the place is given")
                {
                    let known = [
                        "FieldedAddress", "FormattedAddress", "GeographicAddressLabel", "MEFGeographicPoint",
                        "GeographicAddressRef", "GeographicSiteRef",
                    ]
                    if !known.contains(type) && fields["@schemaLocation"] == nil {
                        inspector.report(
                            JSONPointer.appending(placePath, "@type"), "MEF79-R21",
                            "'\(type)' is not a place type (one of \(known.joined(separator: ", ")))")
                    }
                }
            }
        }
    }
}

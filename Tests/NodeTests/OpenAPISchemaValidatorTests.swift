import CanonicalJSON
import Foundation
import Testing

/// The schema validator against the real MEF Sonata POQ v7 spec (`productOfferingQualificationManagement.api.yaml`,
/// MEF 87): a well-formed POQ passes, and each kind of breakage is reported with its keyword at its exact place.
@Suite("OpenAPI schema validator (MEF POQ v7 spec)")
struct OpenAPISchemaValidatorTests {
    let validator: OpenAPISchemaValidator

    /// The spec is parsed once for the whole suite (each test gets its own suite instance).
    private static let poqSpec = Result<OpenAPISchemaValidator, any Error> {
        guard
            let url = Bundle.module.url(
                forResource: "productOfferingQualificationManagement.api", withExtension: "yaml",
                subdirectory: "Fixtures")
        else { throw CocoaError(.fileNoSuchFile) }
        return try OpenAPISchemaValidator(specYAML: String(contentsOf: url, encoding: .utf8))
    }

    init() throws {
        validator = try Self.poqSpec.get()
    }

    static let poqStates =
        #"["acknowledged", "terminatedWithError", "inProgress", "done.unableToProvide", "done.ready"]"#
    static let itemStates = #"["acknowledged", "terminatedWithError", "inProgress", "done.abandoned", "done.ready"]"#
    static let error422Codes = #"""
        ["missingProperty", "invalidValue", "invalidFormat", "referenceNotFound", "unexpectedProperty", \#
        "tooManyRecords", "otherIssue"]
        """#

    // MARK: The spec

    @Test("the spec loads, with the response and error schemas the POQ operations use")
    func specLoads() {
        let names = Set(validator.schemaNames)
        for name in [
            "ProductOfferingQualification", "ProductOfferingQualification_Create", "ProductOfferingQualification_Find",
            "ProductOfferingQualification_Common", "ProductOfferingQualificationItem",
            "ProductOfferingQualificationItem_Create", "ProductOfferingQualificationItem_Common", "EventSubscription",
            "EventSubscriptionInput", "Error", "Error400", "Error401", "Error403", "Error404", "Error422", "Error500",
            "Error501", "Error400Code", "Error401Code", "Error403Code", "Error422Code", "TerminationError",
            "MEFProductConfiguration", "RelatedPlaceRefOrValue", "FieldedAddress",
        ] {
            #expect(names.contains(name), "components/schemas has no \(name)")
        }
        #expect(validator.schemaNames.count == 48)
    }

    @Test("every schema terminates on every sample shape, including the allOf ↔ discriminator loops")
    func everySchemaTerminates() {
        let samples: [JSONValue] = [
            [:], ["@type": "FieldedAddress"], ["@type": "GeographicSiteRef", "role": "x"], [], "x", 1, nil,
        ]
        for name in validator.schemaNames {
            for sample in samples {
                _ = validator.validate(sample, against: name)
            }
        }
    }

    @Test("an unknown schema name is one violation, not a crash")
    func unknownSchema() {
        #expect(
            validator.validate([:], against: "NoSuchThing")
                == [violation("", "$ref", #"no schema named "NoSuchThing" in components/schemas"#)])
    }

    // MARK: ProductOfferingQualification (the 201 / 200 response body)

    @Test("a complete, correct POQ response validates with no violations")
    func validPOQ() throws {
        let poq = try Self.poq()
        #expect(validator.validate(poq, against: "ProductOfferingQualification") == [])
    }

    @Test("a wrong item state is an enum violation at that item's state")
    func wrongItemState() throws {
        let poq = try Self.poq().replacing("/productOfferingQualificationItem/0/state", with: "done")
        #expect(
            validator.validate(poq, against: "ProductOfferingQualification") == [
                violation(
                    "/productOfferingQualificationItem/0/state", "enum",
                    #""done" is not one of \#(Self.itemStates)"#)
            ])
    }

    @Test("an item-only state on the POQ itself is checked against the POQ's own enum")
    func itemStateOnPOQ() throws {
        let poq = try Self.poq().replacing("/state", with: "done.abandoned")
        #expect(
            validator.validate(poq, against: "ProductOfferingQualification") == [
                violation("/state", "enum", #""done.abandoned" is not one of \#(Self.poqStates)"#)
            ])
    }

    @Test(
        "a missing required member is reported on the object that lacks it",
        arguments: [
            ("/id", "", "id"),
            ("/productOfferingQualificationItem", "", "productOfferingQualificationItem"),
            ("/relatedContactInformation", "", "relatedContactInformation"),
            ("/productOfferingQualificationItem/1/action", "/productOfferingQualificationItem/1", "action"),
            ("/productOfferingQualificationItem/0/state", "/productOfferingQualificationItem/0", "state"),
            ("/relatedContactInformation/1/emailAddress", "/relatedContactInformation/1", "emailAddress"),
            (
                "/productOfferingQualificationItem/0/alternateProductOfferingProposal/0/alternateProduct/"
                    + "productOffering",
                "/productOfferingQualificationItem/0/alternateProductOfferingProposal/0/alternateProduct",
                "productOffering"
            ),
            ("/stateChange/0/changeDate", "/stateChange/0", "changeDate"),
        ])
    func missingRequired(removed: String, reportedAt: String, member: String) throws {
        let poq = try Self.poq().replacing(removed, with: nil)
        #expect(
            validator.validate(poq, against: "ProductOfferingQualification") == [
                violation(reportedAt, "required", "missing \"\(member)\"")
            ])
    }

    @Test(
        "a wrong type is reported at the value, with expected and actual types",
        arguments: [
            ("/instantSyncQualification", "true", "expected boolean, got string"),
            ("/id", 42, "expected string, got number"),
            ("/productOfferingQualificationItem", [:], "expected array, got object"),
            (
                "/productOfferingQualificationItem/0/installationInterval/amount", 1.5,
                "expected integer, got non-integral number"
            ),
            ("/productOfferingQualificationItem/0/installationInterval/amount", "10", "expected integer, got string"),
            ("/productOfferingQualificationItem/0/product", nil, "expected object, got null"),
            ("/relatedContactInformation/0", "john@buyer.example", "expected object, got string"),
        ] as [(String, JSONValue, String)])
    func wrongType(pointer: String, value: JSONValue, reason: String) throws {
        let poq = try Self.poq().replacing(pointer, with: value)
        #expect(
            validator.validate(poq, against: "ProductOfferingQualification") == [violation(pointer, "type", reason)])
    }

    @Test(
        "a date-time that is not RFC 3339 is a format violation",
        arguments: [
            "2025-02-29T10:00:00Z",  // 2025 is not a leap year
            "2100-02-29T10:00:00Z",  // nor is 2100
            "2025-10-01 12:30:00Z",  // space instead of T
            "2025-10-01T12:30:00",  // no offset
            "2025-10-01T24:00:00Z",
            "2025-13-01T10:00:00Z",
            "2025-10-01T12:30:00.Z",  // empty fraction
            "2025-10-01T12:30:00+0200",  // offset without colon
            "2025-10-01",
            "yesterday",
        ])
    func badDateTime(value: String) throws {
        let pointer = "/productOfferingQualificationItem/0/stateChange/1/changeDate"
        let poq = try Self.poq().replacing(pointer, with: .string(value))
        #expect(
            validator.validate(poq, against: "ProductOfferingQualification") == [
                violation(pointer, "format", "\"\(value)\" is not an RFC 3339 date-time")
            ])
    }

    @Test(
        "RFC 3339 date-times in their other legal spellings pass",
        arguments: [
            "2024-02-29T23:59:60Z", "2000-02-29T00:00:00Z", "2025-10-01t12:30:00z",
            "2025-10-01T12:30:00.123456789-05:30",
            "2025-10-01T00:00:00+14:00",
        ])
    func goodDateTime(value: String) throws {
        let poq = try Self.poq().replacing("/effectiveQualificationDate", with: .string(value))
        #expect(validator.validate(poq, against: "ProductOfferingQualification") == [])
    }

    @Test("several breakages are all reported, each at its own place, in a stable order")
    func severalBreakages() throws {
        let poq = try Self.poq()
            .replacing("/productOfferingQualificationItem/1/terminationError/0/code", with: "noSuchProduct")
            .replacing("/productOfferingQualificationItem/0/serviceabilityConfidence", with: "amber")
            .replacing("/productOfferingQualificationItem/0/id", with: nil)
            .replacing("/productOfferingQualificationItem/0/relatedContactInformation", with: [])
        #expect(
            validator.validate(poq, against: "ProductOfferingQualification") == [
                violation("/productOfferingQualificationItem/0", "required", #"missing "id""#),
                violation(
                    "/productOfferingQualificationItem/0/serviceabilityConfidence", "enum",
                    #""amber" is not one of ["green", "yellow", "red"]"#),
                violation(
                    "/productOfferingQualificationItem/1/terminationError/0/code", "enum",
                    #""noSuchProduct" is not one of \#(Self.error422Codes)"#),
            ])
    }

    @Test("relatedContactInformation needs at least one entry (minItems 1)")
    func emptyContacts() throws {
        let poq = try Self.poq().replacing("/relatedContactInformation", with: [])
        #expect(
            validator.validate(poq, against: "ProductOfferingQualification") == [
                violation("/relatedContactInformation", "minItems", "expected at least 1 item(s), got 0")
            ])
    }

    // MARK: Discriminators (`@type`)

    @Test("a place's @type selects its subtype, whose own required members are then checked")
    func placeDiscriminatorSelectsSubtype() throws {
        let site = "/productOfferingQualificationItem/0/product/place/0"
        let point = "/productOfferingQualificationItem/0/product/place/1"
        let poq = try Self.poq()
            .replacing(site + "/id", with: nil)
            .replacing(point + "/y", with: 19.04)
        #expect(
            validator.validate(poq, against: "ProductOfferingQualification") == [
                violation(site, "required", #"missing "id""#),
                violation(point + "/y", "type", "expected string, got number"),
            ])
    }

    @Test("a postal address is checked as a FieldedAddress through the same discriminator")
    func postalAddressDiscriminator() throws {
        let address = "/relatedContactInformation/1/postalAddress"
        let poq = try Self.poq().replacing(address + "/city", with: nil)
        #expect(
            validator.validate(poq, against: "ProductOfferingQualification") == [
                violation(address, "required", #"missing "city""#)
            ])
        // Relabelled as a FormattedAddress, the same object lacks that subtype's addrLine1 instead.
        let relabelled = try Self.poq().replacing(address + "/@type", with: "FormattedAddress")
        #expect(
            validator.validate(relabelled, against: "ProductOfferingQualification") == [
                violation(address, "required", #"missing "addrLine1""#)
            ])
    }

    @Test("a place without @type breaks the base schema; an unmapped @type is checked against the base only")
    func placeDiscriminatorBase() throws {
        let place = "/productOfferingQualificationItem/0/product/place/0"
        let untyped = try Self.poq().replacing(place + "/@type", with: nil)
        #expect(
            validator.validate(untyped, against: "ProductOfferingQualification") == [
                violation(place, "required", #"missing "@type""#)
            ])
        let unmapped = try Self.poq().replacing(place + "/@type", with: "PartnerSiteExtension")
        #expect(validator.validate(unmapped, against: "ProductOfferingQualification") == [])
        let unmappedWithoutRole = unmapped.replacing(place + "/role", with: nil)
        #expect(
            validator.validate(unmappedWithoutRole, against: "ProductOfferingQualification") == [
                violation(place, "required", #"missing "role""#)
            ])
    }

    @Test("MEFProductConfiguration takes any @type (no mapping) but requires one")
    func productConfigurationDiscriminator() throws {
        let configuration = "/productOfferingQualificationItem/0/product/productConfiguration"
        let other = try Self.poq().replacing(configuration + "/@type", with: "urn:example:anything:v1")
        #expect(validator.validate(other, against: "ProductOfferingQualification") == [])
        let untyped = try Self.poq().replacing(configuration + "/@type", with: nil)
        #expect(
            validator.validate(untyped, against: "ProductOfferingQualification") == [
                violation(configuration, "required", #"missing "@type""#)
            ])
        let numbered = try Self.poq().replacing(configuration + "/@type", with: 7)
        #expect(
            validator.validate(numbered, against: "ProductOfferingQualification") == [
                violation(configuration + "/@type", "type", "expected string, got number")
            ])
    }

    @Test("subtype schemas validate directly too (FieldedAddress re-enters its base without looping)")
    func subtypeDirectly() {
        let address: JSONValue = [
            "@type": "FieldedAddress", "role": "postal", "city": "Budapest", "country": "HU", "streetName": "Fő utca",
        ]
        #expect(validator.validate(address, against: "FieldedAddress") == [])
        #expect(validator.validate(address, against: "RelatedPlaceRefOrValue") == [])
        #expect(
            validator.validate(address.replacing("/role", with: nil), against: "FieldedAddress")
                == [violation("", "required", #"missing "role""#)])
    }

    // MARK: Error responses

    @Test("a 422 body is an array of Error422; an item with an unknown code is reported at that item's code")
    func error422() throws {
        let body = try json(
            #"""
            [
              {"code": "invalidValue", "reason": "unknown product offering",
               "propertyPath": "/productOfferingQualificationItem/0/product/productOffering/id"},
              {"code": "notARealCode", "reason": "something else"}
            ]
            """#)
        #expect(
            validator.validate(body, againstArrayOf: "Error422") == [
                violation("/1/code", "enum", #""notARealCode" is not one of \#(Self.error422Codes)"#)
            ])
        let fixed = body.replacing("/1/code", with: "otherIssue")
        #expect(validator.validate(fixed, againstArrayOf: "Error422") == [])
        #expect(
            validator.validate(fixed, against: "Error422") == [violation("", "type", "expected object, got array")])
        #expect(
            validator.validate(fixed.replacing("/0/reason", with: nil), againstArrayOf: "Error422")
                == [violation("/0", "required", #"missing "reason""#)])
    }

    @Test("Error400: good instance passes; another status's code, a long reason and a bad URI fail")
    func error400() throws {
        let good: JSONValue = [
            "code": "invalidBody", "reason": "The request body is not a POQ",
            "referenceError": "https://example.com/docs/errors#invalidBody",
        ]
        #expect(validator.validate(good, against: "Error400") == [])
        let bad =
            good
            .replacing("/code", with: "missingCredentials")
            .replacing("/reason", with: .string(String(repeating: "x", count: 256)))
            .replacing("/referenceError", with: "docs page 4")
        #expect(
            validator.validate(bad, against: "Error400") == [
                violation("/reason", "maxLength", "expected at most 255 character(s), got 256"),
                violation("/referenceError", "format", #""docs page 4" is not an absolute URI"#),
                violation(
                    "/code", "enum",
                    #""missingCredentials" is not one of ["missingQueryParameter", "missingQueryValue", "#
                        + #""invalidQuery", "invalidBody"]"#),
            ])
        #expect(
            validator.validate(bad.replacing("/code", with: nil), against: "Error400").contains(
                violation("", "required", #"missing "code""#)))
    }

    @Test("Error404: only notFound is a 404 code, and reason is required")
    func error404() {
        let good: JSONValue = ["code": "notFound", "reason": "no POQ with id poq-1", "message": "check the id"]
        #expect(validator.validate(good, against: "Error404") == [])
        #expect(
            validator.validate(good.replacing("/code", with: "gone"), against: "Error404") == [
                violation("/code", "enum", #""gone" is not one of ["notFound"]"#)
            ])
        #expect(
            validator.validate(["code": "notFound"], against: "Error404") == [
                violation("", "required", #"missing "reason""#)
            ])
        #expect(
            validator.validate("notFound", against: "Error404") == [
                violation("", "type", "expected object, got string")
            ])
    }

    // MARK: The MEF SDK's own POQ examples

    @Test(
        "the MEF SDK POQ request examples are valid POQ_Create bodies but not POQ responses",
        arguments: ["ce_poq_new_epl", "ia_poq_basic_internet_access"])
    func sdkExamples(name: String) throws {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        let request = try JSONValue.parse(Data(contentsOf: url))
        #expect(validator.validate(request, against: "ProductOfferingQualification_Create") == [])
        let asResponse = validator.validate(request, against: "ProductOfferingQualification")
        let itemCount = request["productOfferingQualificationItem"]?.arrayValue?.count ?? 0
        #expect(
            asResponse
                == [violation("", "required", #"missing "id""#), violation("", "required", #"missing "state""#)]
                + (0..<itemCount).map {
                    violation("/productOfferingQualificationItem/\($0)", "required", #"missing "state""#)
                })
    }

    // MARK: A complete POQ response

    /// A POQ v7 response as a seller would send it: one ready item (with an alternate proposal) and one item
    /// terminated with an error, using every place and product shape the validator treats specially.
    static func poq() throws -> JSONValue {
        try json(
            #"""
            {
              "id": "poq-7f3a",
              "href": "/mefApi/sonata/productOfferingQualification/v7/productOfferingQualification/poq-7f3a",
              "state": "done.ready",
              "externalId": "BuyerPoq-00002a",
              "projectId": "BuyerProject2a",
              "instantSyncQualification": true,
              "provideAlternative": true,
              "requestedPOQCompletionDate": "2025-10-12T00:00:00Z",
              "effectiveQualificationDate": "2025-10-01T12:30:15.250+02:00",
              "relatedContactInformation": [
                {"emailAddress": "john.example@buyer.com", "name": "John Example", "number": "12-345-6789",
                 "role": "buyerContactInformation"},
                {"emailAddress": "ops@seller.example", "name": "Seller Ops", "number": "98-765-4321",
                 "numberExtension": "12", "organization": "Seller Co.", "role": "sellerContactInformation",
                 "postalAddress": {"@type": "FieldedAddress", "role": "postal", "streetNr": "1",
                                   "streetName": "Fő utca", "city": "Budapest", "country": "HU", "postcode": "1011",
                                   "geographicSubAddress": {"buildingName": "B",
                                                            "subUnit": [{"subUnitNumber": "3",
                                                                         "subUnitType": "FLOOR"}]}}}
              ],
              "stateChange": [
                {"changeDate": "2025-10-01T12:30:00Z", "state": "acknowledged"},
                {"changeDate": "2025-10-01T12:30:15.250+02:00", "state": "done.ready", "changeReason": "instant"}
              ],
              "productOfferingQualificationItem": [
                {
                  "id": "item-001",
                  "action": "add",
                  "state": "done.ready",
                  "serviceabilityConfidence": "yellow",
                  "serviceabilityConfidenceReason": "long build at the far end",
                  "installationInterval": {"amount": 30, "units": "businessDays"},
                  "guaranteedUntilDate": "2025-11-01T00:00:00Z",
                  "relatedContactInformation": [
                    {"emailAddress": "site@buyer.com", "name": "Site Contact", "number": "1",
                     "role": "locationContact"}
                  ],
                  "qualificationItemRelationship": [{"relationshipType": "CONNECTS_TO_UNI_A", "id": "item-002"}],
                  "product": {
                    "productOffering": {"id": "000073", "href": "https://seller.example/catalog/000073"},
                    "productSpecification": {"id": "epl-evc"},
                    "productConfiguration": {"@type": "urn:mef:lso:spec:cantata-sonata:epl-evc:v1.0.0:all",
                                             "listOfCosNames": ["low"], "availableMegLevel": "6"},
                    "productRelationship": [{"relationshipType": "CONNECTS_TO_UNI", "id": "uni-1",
                                             "groupingKey": "g1"}],
                    "place": [
                      {"@type": "GeographicSiteRef", "id": "site-1", "role": "INSTALL_LOCATION"},
                      {"@type": "MEFGeographicPoint", "role": "INSTALL_LOCATION", "spatialRef": "WGS84",
                       "x": "47.4979", "y": "19.0402"}
                    ]
                  },
                  "stateChange": [
                    {"changeDate": "2025-10-01T12:30:00Z", "state": "acknowledged"},
                    {"changeDate": "2025-10-01T12:30:15Z", "state": "done.ready"}
                  ],
                  "alternateProductOfferingProposal": [
                    {"id": "alt-1",
                     "installationInterval": {"amount": 10, "units": "calendarDays"},
                     "alternateProduct": {
                       "productOffering": {"id": "000074"},
                       "productConfiguration": {"@type": "urn:mef:lso:spec:cantata-sonata:epl-evc:v1.0.0:all"}}}
                  ]
                },
                {
                  "id": "item-002",
                  "action": "delete",
                  "state": "terminatedWithError",
                  "product": {"id": "prod-9"},
                  "terminationError": [
                    {"code": "referenceNotFound", "propertyPath": "/productOfferingQualificationItem/1/product/id",
                     "value": "no product prod-9 in the seller's inventory"}
                  ]
                }
              ]
            }
            """#)
    }

    // MARK: Generic keywords (those the POQ spec does not use), on a small inline spec

    static let keywordSpec = """
        openapi: 3.0.1
        components:
          schemas:
            Shape:
              type: object
              additionalProperties: false
              properties:
                name: {type: string, minLength: 2, maxLength: 4, nullable: true}
                size: {type: number, minimum: 1, maximum: 10}
                ratio: {type: number, minimum: 0, maximum: 1, exclusiveMinimum: true, exclusiveMaximum: true}
                tags: {type: array, minItems: 1, maxItems: 2, items: {type: string}}
                link: {type: string, format: uri}
                day: {type: string, format: date}
                flag: {enum: [yes, on, true]}
                extra:
                  type: object
                  additionalProperties: {type: integer}
                pick:
                  oneOf:
                    - {type: string}
                    - {type: integer}
                    - {type: number, minimum: 100}
                any:
                  anyOf:
                    - {type: string}
                    - {type: boolean}
                notThree:
                  not: {enum: [3]}
            Tree:
              type: object
              required: [value]
              properties:
                value: {type: integer}
                children:
                  type: array
                  items: {$ref: '#/components/schemas/Tree'}
            Loop:
              allOf:
                - $ref: '#/components/schemas/Loop'
                - required: [here]
        """

    @Test("the generic keywords the POQ spec does not exercise")
    func genericKeywords() throws {
        let validator = try OpenAPISchemaValidator(specYAML: Self.keywordSpec)
        let good: JSONValue = [
            "name": nil, "size": 10, "ratio": 0.5, "tags": ["a"], "link": "urn:mef:x", "day": "2024-02-29",
            "flag": "yes", "extra": ["a": 1], "pick": 50, "any": true, "notThree": 4,
        ]
        #expect(validator.validate(good, against: "Shape") == [])
        let bad: JSONValue = [
            "name": "x", "size": 11, "ratio": 1, "tags": [], "link": "/relative/path", "day": "2023-02-29",
            "flag": "no", "extra": ["a": 1.5], "pick": 150, "any": 1, "notThree": 3, "unknown": 0,
        ]
        #expect(
            validator.validate(bad, against: "Shape") == [
                violation(
                    "/any", "anyOf",
                    "none of 2 schemas matched (#0 /any: type: expected string, got number; "
                        + "#1 /any: type: expected boolean, got number)"),
                violation("/day", "format", #""2023-02-29" is not an RFC 3339 full-date"#),
                violation("/extra/a", "type", "expected integer, got non-integral number"),
                violation("/flag", "enum", #""no" is not one of ["yes", "on", true]"#),
                violation("/link", "format", #""/relative/path" is not an absolute URI"#),
                violation("/name", "minLength", "expected at least 2 character(s), got 1"),
                violation("/notThree", "not", "the value matches the schema it must not match"),
                violation("/pick", "oneOf", "expected exactly one schema to match, 2 did (#1, #2)"),
                violation("/ratio", "exclusiveMaximum", "1 is not less than 1"),
                violation("/size", "maximum", "11 is greater than 10"),
                violation("/tags", "minItems", "expected at least 1 item(s), got 0"),
                violation("/unknown", "additionalProperties", #""unknown" is not allowed"#),
            ])
        #expect(
            validator.validate(["pick": false, "name": 7], against: "Shape") == [
                violation("/name", "type", "expected string, got number"),
                violation(
                    "/pick", "oneOf",
                    "none of 3 schemas matched (#0 /pick: type: expected string, got boolean; "
                        + "#1 /pick: type: expected integer, got boolean; #2 /pick: type: expected number, got boolean)"
                ),
            ])
    }

    @Test("recursive schemas follow the instance down and stop; a self-referencing allOf does not loop")
    func recursion() throws {
        let validator = try OpenAPISchemaValidator(specYAML: Self.keywordSpec)
        let tree: JSONValue = ["value": 1, "children": [["value": 2, "children": [["value": "3"], [:]]]]]
        #expect(
            validator.validate(tree, against: "Tree") == [
                violation("/children/0/children/0/value", "type", "expected integer, got string"),
                violation("/children/0/children/1", "required", #"missing "value""#),
            ])
        #expect(validator.validate([:], against: "Loop") == [violation("", "required", #"missing "here""#)])
    }

    @Test(
        "a spec the validator would misread fails at load, pointing into the document",
        arguments: [
            ("components: {schemas: {A: {$ref: '#/components/schemas/B'}}}", "/components/schemas/A/$ref"),
            ("components: {schemas: {A: {$ref: 'other.yaml#/A'}}}", "/components/schemas/A/$ref"),
            ("components: {schemas: {A: {type: strin}}}", "/components/schemas/A/type"),
            ("components: {schemas: {A: {required: id}}}", "/components/schemas/A/required"),
            ("components: {schemas: {A: {maxLength: -1}}}", "/components/schemas/A/maxLength"),
            (
                "components: {schemas: {A: {discriminator: "
                    + "{propertyName: t, mapping: {x: '#/components/schemas/X'}}}}}",
                "/components/schemas/A/discriminator/mapping/x"
            ),
            ("openapi: 3.0.1", "/components/schemas"),
        ])
    func loadErrors(yaml: String, pointer: String) {
        #expect {
            _ = try OpenAPISchemaValidator(specYAML: yaml)
        } throws: { error in
            (error as? OpenAPISchemaLoadError)?.pointer == pointer
        }
    }
}

// MARK: - Helpers

private func violation(_ path: String, _ keyword: String, _ reason: String) -> SchemaViolation {
    SchemaViolation(path: path, keyword: keyword, reason: reason)
}

private func json(_ text: String) throws -> JSONValue {
    try JSONValue.parse(Data(text.utf8))
}

extension JSONValue {
    /// A copy with the value at JSON Pointer `pointer` replaced by `newValue`, or removed when it is `nil`.
    fileprivate func replacing(_ pointer: String, with newValue: JSONValue?) -> JSONValue {
        let tokens = pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
        return Self.replacing(in: self, tokens[...], with: newValue, pointer: pointer)
    }

    private static func replacing(
        in value: JSONValue, _ tokens: ArraySlice<String>, with newValue: JSONValue?, pointer: String
    ) -> JSONValue {
        guard let token = tokens.first else { return newValue ?? .null }
        let rest = tokens.dropFirst()
        switch value {
        case .object(var members):
            if rest.isEmpty {
                members[token] = newValue
            } else if let member = members[token] {
                members[token] = replacing(in: member, rest, with: newValue, pointer: pointer)
            } else {
                Issue.record("\(pointer): no member \(token)")
            }
            return .object(members)
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else {
                Issue.record("\(pointer): no element \(token)")
                return value
            }
            if !rest.isEmpty {
                elements[index] = replacing(in: elements[index], rest, with: newValue, pointer: pointer)
            } else if let newValue {
                elements[index] = newValue
            } else {
                elements.remove(at: index)
            }
            return .array(elements)
        default:
            Issue.record("\(pointer): \(token) is inside a \(value.typeName)")
            return value
        }
    }
}

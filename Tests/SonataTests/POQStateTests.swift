import Testing

@testable import Sonata

struct POQStateTests {
    @Test("MEF79-R100 Table 29: which item states each POQ state allows")
    func table29() {
        #expect(MEF79POQState.ready.matrixViolation(itemStates: [.ready, .ready]) == nil)
        #expect(MEF79POQState.ready.matrixViolation(itemStates: [.ready, .inProgress]) != nil)
        #expect(MEF79POQState.inProgress.matrixViolation(itemStates: [.inProgress, .ready, .acknowledged]) == nil)
        #expect(MEF79POQState.inProgress.matrixViolation(itemStates: [.ready, .ready]) != nil)
        #expect(MEF79POQState.acknowledged.matrixViolation(itemStates: [.acknowledged]) == nil)
        #expect(MEF79POQState.rejected.matrixViolation(itemStates: [.rejected, .abandoned, .ready]) == nil)
        #expect(MEF79POQState.rejected.matrixViolation(itemStates: [.abandoned]) != nil)
        #expect(MEF79POQState.unableToMeetTime.matrixViolation(itemStates: [.unableToMeetTime, .abandoned]) == nil)
        #expect(MEF79POQState.unableToMeetTime.matrixViolation(itemStates: [.ready, .inProgress]) != nil)
    }

    @Test("MEF 79.1 and Sonata v7 state names map both ways in one place")
    func mapping() {
        for state in MEF79POQState.allCases { #expect(MEF79POQState(state.sonata) == state) }
        #expect(MEF79POQState.rejected.sonata == .terminatedWithError)
        #expect(MEF79POQState.unableToMeetTime.sonata == .doneUnableToProvide)
        #expect(MEF79ItemState.abandoned.sonata == .doneAbandoned)
        let timedOut = MEF79ItemState(
            .terminatedWithError, terminationErrors: [TerminationError(value: MEF79ItemState.unableToMeetTimeMarker)])
        #expect(timedOut == .unableToMeetTime)
        #expect(MEF79ItemState(.terminatedWithError) == .rejected)
    }

    @Test("MEF79-R42 MEF79-R47 the response validator catches missing, extra and duplicate answers")
    func responseRules() throws {
        let request = ProductOfferingQualificationCreate(
            instantSyncQualification: true, provideAlternative: true,
            relatedContactInformation: [
                RelatedContactInformation(name: "n", emailAddress: "e", number: "1", role: "buyerContactInformation")
            ],
            productOfferingQualificationItem: [
                ProductOfferingQualificationItemCreate(id: "1", action: .add, product: MEFProductRefOrValue()),
                ProductOfferingQualificationItemCreate(id: "2", action: .add, product: MEFProductRefOrValue()),
            ])
        let alternate = AlternateProductOfferingProposal(
            id: "a", installationInterval: Duration(amount: 1, units: .calendarDays),
            alternateProduct: MEFAlternateProduct(
                productOffering: ProductOfferingRef(id: "o"), productConfiguration: [:]))
        let response = ProductOfferingQualification(
            id: "S-1", state: .doneReady, instantSyncQualification: true, provideAlternative: true,
            requestedPOQCompletionDate: nil, externalId: nil, projectId: nil,
            relatedContactInformation: [
                RelatedContactInformation(name: "s", emailAddress: "e", number: "1", role: "sellerContactInformation")
            ],
            productOfferingQualificationItem: [
                ProductOfferingQualificationItem(
                    id: "1", action: .add, product: MEFProductRefOrValue(), state: .doneReady,
                    serviceabilityConfidence: .yellow, alternateProductOfferingProposal: [alternate, alternate]),
                ProductOfferingQualificationItem(
                    id: "3", action: .add, product: MEFProductRefOrValue(), state: .doneReady),
            ])
        let rules = POQValidator.validateResponse(response, to: request).map(\.rule)
        #expect(rules.filter { $0 == "MEF79-R42" }.count == 2)  // item 2 unanswered, item 3 unknown
        #expect(rules.contains("MEF79-R43"))  // item 3 without confidence
        #expect(rules.contains("MEF79-R44"))  // yellow without installation interval
        #expect(rules.contains("MEF79-R47"))  // alternate id used twice
    }
}

struct MEFDateTimeTests {
    @Test(
        "RFC 3339 date-times parse to the right instant",
        arguments: [
            ("2023-10-12T00:00:00Z", 1_697_068_800.0), ("2026-01-05T09:00:00.250Z", 1_767_603_600.25),
            ("2024-02-29T12:00:00+02:00", 1_709_200_800.0), ("1999-12-31t23:59:59-05:30", 946_704_599.0),
        ])
    func parses(text: String, seconds: Double) throws {
        let date = try #require(MEFDateTime.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.0005)
    }

    @Test(
        "malformed date-times are refused",
        arguments: [
            "12/10/2023", "2023-10-12", "2023-10-12T00:00:00", "2023-02-30T00:00:00Z", "2023-13-01T00:00:00Z",
            "2023-10-12T24:00:00Z", "2023-10-12T00:00:00.Z", "2023-10-12T00:00:00+0200", "2023-10-12T00:00:00Zjunk",
        ])
    func refuses(text: String) {
        #expect(MEFDateTime.parse(text) == nil)
    }
}

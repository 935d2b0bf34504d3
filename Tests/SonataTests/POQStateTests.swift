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

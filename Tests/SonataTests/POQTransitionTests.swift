import Foundation
import Testing

@testable import Sonata

/// MEF 79.1 §9 Figures 2 and 3: the moves the standard allows are written here as literals from Tables 28 and 30,
/// independently of `MEF79POQState.transitions`, and every one of the 25 (POQ) and 36 (item) ordered pairs of
/// states is checked against them.
struct POQTransitionTests {
    /// Table 28, state by state.
    static let poqMoves: Set<[String]> = [
        ["ACKNOWLEDGED", "IN_PROGRESS"], ["ACKNOWLEDGED", "REJECTED"],
        ["IN_PROGRESS", "READY"], ["IN_PROGRESS", "UNABLE_TO_MEET_TIME"],
    ]

    /// Table 30, state by state.
    static let itemMoves: Set<[String]> = [
        ["ACKNOWLEDGED", "IN_PROGRESS"], ["ACKNOWLEDGED", "REJECTED"], ["ACKNOWLEDGED", "ABANDONED"],
        ["IN_PROGRESS", "READY"], ["IN_PROGRESS", "UNABLE_TO_MEET_TIME"], ["IN_PROGRESS", "ABANDONED"],
    ]

    @Test("MEF79-R96 Figure 2: each allowed POQ move is allowed and each of the other 21 pairs is refused")
    func everyPOQPair() {
        #expect(MEF79POQState.allCases.count == 5)
        var allowed = 0
        for from in MEF79POQState.allCases {
            for to in MEF79POQState.allCases {
                let expected = Self.poqMoves.contains([from.rawValue, to.rawValue])
                #expect(from.canMove(to: to) == expected, "\(from.rawValue) → \(to.rawValue)")
                if from.canMove(to: to) { allowed += 1 }
            }
        }
        #expect(allowed == 4)
    }

    @Test("MEF79-R102 Figure 3: each allowed item move is allowed and each of the other 30 pairs is refused")
    func everyItemPair() {
        #expect(MEF79ItemState.allCases.count == 6)
        var allowed = 0
        for from in MEF79ItemState.allCases {
            for to in MEF79ItemState.allCases {
                let expected = Self.itemMoves.contains([from.rawValue, to.rawValue])
                #expect(from.canMove(to: to) == expected, "\(from.rawValue) → \(to.rawValue)")
                if from.canMove(to: to) { allowed += 1 }
            }
        }
        #expect(allowed == 6)
    }

    @Test("MEF79-R95 an immediate POQ starts READY (or in another final state) and never passes ACKNOWLEDGED")
    func immediatePOQEntry() {
        #expect(MEF79POQState.historyViolation([.ready], immediate: true) == nil)
        #expect(MEF79POQState.historyViolation([.unableToMeetTime], immediate: true) == nil)
        #expect(
            MEF79POQState.historyViolation([.acknowledged, .inProgress, .ready], immediate: true)
                == "an immediate POQ cannot begin in ACKNOWLEDGED")
        #expect(
            MEF79POQState.historyViolation([.inProgress], immediate: true)
                == "an immediate POQ cannot begin in IN_PROGRESS")
        #expect(
            MEF79POQState.historyViolation([.ready, .inProgress], immediate: true)
                == "a POQ cannot move from READY to IN_PROGRESS")
    }

    @Test("MEF79-R96 a deferred POQ starts ACKNOWLEDGED and walks Figure 2 to a final state")
    func deferredPOQWalks() {
        for history: [MEF79POQState] in [
            [.acknowledged], [.acknowledged, .inProgress], [.acknowledged, .inProgress, .ready],
            [.acknowledged, .inProgress, .unableToMeetTime], [.acknowledged, .rejected],
        ] {
            #expect(MEF79POQState.historyViolation(history, immediate: false) == nil, "\(history)")
        }
        #expect(
            MEF79POQState.historyViolation([.ready], immediate: false) == "a deferred POQ cannot begin in READY")
        #expect(
            MEF79POQState.historyViolation([.acknowledged, .ready], immediate: false)
                == "a POQ cannot move from ACKNOWLEDGED to READY")
        #expect(
            MEF79POQState.historyViolation([.acknowledged, .inProgress, .rejected], immediate: false)
                == "a POQ cannot move from IN_PROGRESS to REJECTED")
        #expect(
            MEF79POQState.historyViolation([.acknowledged, .inProgress, .ready, .inProgress], immediate: false)
                == "a POQ cannot move from READY to IN_PROGRESS")
    }

    @Test("MEF79-R101 an immediate item starts READY; it never passes ACKNOWLEDGED or IN_PROGRESS")
    func immediateItemEntry() {
        #expect(MEF79ItemState.historyViolation([.ready], immediate: true) == nil)
        #expect(
            MEF79ItemState.historyViolation([.acknowledged, .inProgress, .ready], immediate: true)
                == "an immediate POQ item cannot begin in ACKNOWLEDGED")
        #expect(
            MEF79ItemState.historyViolation([.inProgress, .ready], immediate: true)
                == "an immediate POQ item cannot begin in IN_PROGRESS")
    }

    @Test("MEF79-R102 MEF79-R103 a deferred item walks Figure 3; only ACKNOWLEDGED and IN_PROGRESS items are ABANDONED")
    func deferredItemWalks() {
        for history: [MEF79ItemState] in [
            [.acknowledged, .inProgress, .ready], [.acknowledged, .rejected], [.acknowledged, .abandoned],
            [.acknowledged, .inProgress, .abandoned], [.acknowledged, .inProgress, .unableToMeetTime],
        ] {
            #expect(MEF79ItemState.historyViolation(history, immediate: false) == nil, "\(history)")
        }
        #expect(
            MEF79ItemState.historyViolation([.acknowledged, .inProgress, .ready, .abandoned], immediate: false)
                == "a POQ item cannot move from READY to ABANDONED")
        #expect(
            MEF79ItemState.historyViolation([.acknowledged, .unableToMeetTime], immediate: false)
                == "a POQ item cannot move from ACKNOWLEDGED to UNABLE_TO_MEET_TIME")
    }

    @Test("MEF79-R96 the response validator refuses a reported POQ history that skips IN_PROGRESS")
    func validatorReadsHistory() {
        let request = ProductOfferingQualificationCreate(
            instantSyncQualification: false, provideAlternative: false,
            relatedContactInformation: [
                RelatedContactInformation(name: "n", emailAddress: "e", number: "1", role: "buyerContactInformation")
            ],
            productOfferingQualificationItem: [
                ProductOfferingQualificationItemCreate(id: "1", action: .add, product: MEFProductRefOrValue())
            ])
        func answer(_ history: [POQState]) -> ProductOfferingQualification {
            let date = MEFDateTime(Date(timeIntervalSince1970: 1_767_603_600))
            return ProductOfferingQualification(
                id: "S-1", state: .doneReady, instantSyncQualification: false, provideAlternative: false,
                requestedPOQCompletionDate: nil, externalId: nil, projectId: nil,
                relatedContactInformation: [
                    RelatedContactInformation(
                        name: "s", emailAddress: "e", number: "1", role: "sellerContactInformation")
                ],
                stateChange: history.map { POQStateChange(state: $0, changeDate: date) },
                productOfferingQualificationItem: [
                    ProductOfferingQualificationItem(
                        id: "1", action: .add, product: MEFProductRefOrValue(), state: .doneReady,
                        serviceabilityConfidence: .green,
                        installationInterval: Duration(amount: 5, units: .calendarDays))
                ])
        }
        #expect(POQValidator.validateResponse(answer([.acknowledged, .inProgress, .doneReady]), to: request) == [])
        #expect(
            POQValidator.validateResponse(answer([.acknowledged, .doneReady]), to: request) == [
                ValidationFinding(
                    path: "/stateChange", rule: "MEF79-R96", message: "a POQ cannot move from ACKNOWLEDGED to READY")
            ])
        #expect(
            POQValidator.validateResponse(answer([.acknowledged, .inProgress]), to: request) == [
                ValidationFinding(
                    path: "/stateChange", rule: "MEF79-R96",
                    message: "the history ends in IN_PROGRESS but the POQ is READY")
            ])
    }
}

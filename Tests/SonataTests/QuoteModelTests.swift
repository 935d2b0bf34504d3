import CanonicalJSON
import Foundation
import Sonata
import Testing

struct QuoteModelTests {
    @Test("MEF's examples hold five Quote_Create payloads")
    func quoteFixturesAreFound() {
        #expect(
            QuoteOrderFixture.quotes.map(\.name) == [
                "ael_UseCase4Request", "ael_UseCase7Request", "ce_Use_Case_4_Quote_-_new_EPL",
                "ia_Use_Case_5_Quote_-_Basic_Internet_Access", "ia_Use_Case_8_Quote_-_Basic_Internet_Access_-_delete",
            ])
    }

    @Test("A Quote_Create example round-trips losslessly", arguments: QuoteOrderFixture.quotes)
    func quoteCreateRoundTrip(fixture: QuoteOrderFixture) throws {
        let quote = try JSONDecoder().decode(QuoteCreate.self, from: fixture.data)
        let again = try JSONDecoder().decode(QuoteCreate.self, from: JSONEncoder().encode(quote))
        #expect(again == quote)
        let reencoded = try JSONValue(encoding: quote)
        let lostOrChanged = reencoded.differences(from: fixture.tree)
        #expect(lostOrChanged == [])
        let identical = reencoded == fixture.tree
        #expect(identical, "re-encoded JSON differs from the example at \(lostOrChanged)")
    }

    @Test("The Access E-Line quote request keeps its items, terms, relationships and product configuration")
    func accessELineQuoteContent() throws {
        let quote = try QuoteOrderFixture.named("ael_UseCase4Request").tree.decode(QuoteCreate.self)
        #expect(quote.buyerRequestedQuoteLevel == .firm)
        #expect(quote.instantSyncQuote == false)
        #expect(quote.requestedQuoteCompletionDate?.text == "2022-10-28T22:00:00Z")
        #expect(quote.relatedContactInformation?.first?.role == "buyerContactInformation")
        #expect(quote.quoteItem.map(\.id) == ["item-001", "item-002"])
        let eLine = quote.quoteItem[0]
        #expect(eLine.action == .add)
        #expect(
            eLine.requestedQuoteItemTerm
                == MEFItemTerm(
                    name: "Yearly Subscription", duration: Duration(amount: 12, units: .calendarMonths),
                    endOfTermAction: .autoRenew))
        #expect(
            eLine.quoteItemRelationship == [QuoteItemRelationship(relationshipType: "CONNECTS_TO_UNI", id: "item-002")])
        #expect(eLine.product?.productOffering?.id == "000073")
        #expect(eLine.product?.productRelationship?.first?.id == "SP1_ENNI")
        let configuration = try #require(eLine.product?.productConfiguration)
        #expect(configuration["@type"] == "urn:mef:lso:spec:sonata:access-eline-ovc:v5.0.0:all")
        #expect(configuration["maximumFrameSize"] == 1526)
        let place = try #require(quote.quoteItem[1].product?.place?.first)
        #expect(place["@type"] == "FieldedAddress")
        #expect(place["city"] == "New York")
    }

    @Test("A delete quote item points at the in-service product and carries no configuration")
    func deleteQuoteItem() throws {
        let quote = try QuoteOrderFixture.named("ia_Use_Case_8_Quote_-_Basic_Internet_Access_-_delete").tree
            .decode(QuoteCreate.self)
        let item = try #require(quote.quoteItem.first)
        #expect(item.action == .delete)
        #expect(item.product == QuoteProductRefOrValue(id: "SellerBasicInternetAccessId-0001"))
    }

    @Test("A wrong enum value is a finding at the field, listing the allowed values")
    func wrongEnumValue() throws {
        let tree = try QuoteOrderFixture.named("ael_UseCase4Request").tree
        let action = try schemaFinding(
            decoding: QuoteCreate.self, tree.replacing("/quoteItem/1/action", with: "install"))
        #expect(action.path == "/quoteItem/1/action")
        #expect(action.rule == ValidationFinding.schemaRule)
        #expect(action.message.contains("add, modify, delete"))
        let level = try schemaFinding(
            decoding: QuoteCreate.self,
            tree.replacing("/buyerRequestedQuoteLevel", with: "firmSubjectToFeasibilityCheck"))
        #expect(level.path == "/buyerRequestedQuoteLevel")
        let units = try schemaFinding(
            decoding: QuoteCreate.self,
            tree.replacing("/quoteItem/0/requestedQuoteItemTerm/duration/units", with: "months"))
        #expect(units.path == "/quoteItem/0/requestedQuoteItemTerm/duration/units")
    }

    @Test("A missing required field is a finding at the field's pointer")
    func missingRequiredField() throws {
        let tree = try QuoteOrderFixture.named("ael_UseCase4Request").tree
        let itemID = try schemaFinding(decoding: QuoteCreate.self, tree.replacing("/quoteItem/0/id", with: nil))
        #expect(itemID.path == "/quoteItem/0/id")
        #expect(itemID.message.contains("required property 'id'"))
        let instant = try schemaFinding(decoding: QuoteCreate.self, tree.replacing("/instantSyncQuote", with: nil))
        #expect(instant.path == "/instantSyncQuote")
        let email = try schemaFinding(
            decoding: QuoteCreate.self,
            tree.replacing("/quoteItem/1/relatedContactInformation/1/emailAddress", with: nil))
        #expect(email.path == "/quoteItem/1/relatedContactInformation/1/emailAddress")
    }

    @Test("A date that is not RFC 3339 is a finding at the field")
    func wrongDateFormat() throws {
        let tree = try QuoteOrderFixture.named("ia_Use_Case_5_Quote_-_Basic_Internet_Access").tree
        let finding = try schemaFinding(
            decoding: QuoteCreate.self, tree.replacing("/requestedQuoteCompletionDate", with: "2023-06-12 22:00"))
        #expect(finding.path == "/requestedQuoteCompletionDate")
        #expect(finding.message.contains("RFC 3339"))
    }

    @Test("A Seller's quote built from a request round-trips with state, level, prices and validity")
    func quoteResponseRoundTrip() throws {
        let request = try QuoteOrderFixture.named("ael_UseCase4Request").tree.decode(QuoteCreate.self)
        let monthly = QuotePrice(
            name: "Monthly rental", priceType: .recurring, recurringChargePeriod: .month,
            price: Price(dutyFreeAmount: MEFMoney(unit: "USD", value: 450.5), taxRate: 16))
        let items = request.quoteItem.map { item in
            let answered = QuoteItem(item, state: .approvedOrderable)
            return QuoteItem(
                id: answered.id, action: answered.action, state: answered.state, product: answered.product,
                requestedQuoteItemTerm: answered.requestedQuoteItemTerm,
                quoteItemRelationship: answered.quoteItemRelationship,
                relatedContactInformation: answered.relatedContactInformation, quoteItemPrice: [monthly],
                quoteItemTerm: answered.requestedQuoteItemTerm.map { [$0] }, subjectToFeasibilityCheck: false)
        }
        let created = try #require(MEFDateTime(text: "2022-10-20T09:00:00Z"))
        let quote = Quote(
            id: "Q-1", quoteDate: created, state: .approvedOrderable,
            buyerRequestedQuoteLevel: request.buyerRequestedQuoteLevel, quoteLevel: .firm,
            instantSyncQuote: request.instantSyncQuote, quoteItem: items,
            requestedQuoteCompletionDate: request.requestedQuoteCompletionDate,
            effectiveQuoteCompletionDate: MEFDateTime(text: "2022-10-21T09:00:00.250+02:00"),
            validFor: TimePeriod(endDateTime: MEFDateTime(text: "2022-11-20T00:00:00Z")),
            stateChange: [QuoteStateChange(state: .approvedOrderable, changeDate: created)],
            externalId: request.externalId, projectId: request.projectId)

        let tree = try JSONValue(encoding: quote)
        #expect(tree["state"] == "approved.orderable")
        #expect(tree["effectiveQuoteCompletionDate"] == "2022-10-21T09:00:00.250+02:00")
        #expect(tree["quoteItem"]?[0]?["quoteItemPrice"]?[0]?["price"]?["dutyFreeAmount"]?["value"] == 450.5)
        #expect(tree["quoteItem"]?[0]?["product"] == (try JSONValue(encoding: request.quoteItem[0].product)))
        #expect(try tree.decode(Quote.self) == quote)
    }

    @Test("A quote item state-change notification round-trips")
    func quoteEventRoundTrip() throws {
        let json: JSONValue = [
            "eventId": "event-1", "eventTime": "2022-10-21T09:00:00Z", "eventType": "quoteItemStateChangeEvent",
            "event": ["id": "Q-1", "href": "/mefApi/sonata/quoteManagement/v8/quote/Q-1", "quoteItemId": "item-001"],
        ]
        let event = try json.decode(QuoteEvent.self)
        #expect(event.eventType == .quoteItemStateChangeEvent)
        #expect(event.event.quoteItemId == "item-001")
        #expect(try JSONValue(encoding: event) == json)
        let wrong = try schemaFinding(decoding: QuoteEvent.self, json.replacing("/eventType", with: "quoteCreateEvent"))
        #expect(wrong.path == "/eventType")
    }
}

import BBUS
import CanonicalJSON
import Ledger
import Provider
import SBUS
import SCO
import Sonata
import SupplyChain

/// Small, explicit providers and requests for the role and router tests: no driver, no clock, no network.
public enum Make {
    public static let t0 = Instant(milliseconds: 1_767_603_600_000)

    public static func contact(_ party: String, role: String) -> RelatedContactInformation {
        RelatedContactInformation(
            name: "\(party) desk", emailAddress: "desk@\(party.lowercased()).example", number: "+1-555-0100",
            role: role)
    }

    public static func provider(
        _ id: PartyID, markup: Int64 = 1_000, discounts: [PartyID: Int64] = [:], sellers: [PartyID] = [],
        latency: [PartyID: TimeSpan] = [:], offerings: [PartyID: Set<String>] = [:], catalog: [CatalogEntry] = [],
        processing: TimeSpan = .seconds(1)
    ) -> ProviderCore {
        ProviderCore(
            configuration: ProviderConfiguration(
                party: id, sbus: sbusConfiguration(id, markup: markup, discounts: discounts, processing: processing),
                catalog: catalog,
                bbus: bbusConfiguration(id, sellers: sellers, latency: latency, offerings: offerings)))
    }

    /// An S-BUS's terms: markup and discounts in basis points, 30-day quotes.
    public static func sbusConfiguration(
        _ id: PartyID, markup: Int64 = 1_000, discounts: [PartyID: Int64] = [:], processing: TimeSpan = .seconds(1)
    ) -> SBUSConfiguration {
        SBUSConfiguration(
            markupBasisPoints: markup, discountBasisPoints: discounts, quoteValidity: .days(30),
            processingTime: processing, sellerContact: contact(id.rawValue, role: POQValidator.sellerContactRole))
    }

    /// A B-BUS's sellers, their latency and the offerings bought from each.
    public static func bbusConfiguration(
        _ id: PartyID, sellers: [PartyID] = [], latency: [PartyID: TimeSpan] = [:],
        offerings: [PartyID: Set<String>] = [:]
    ) -> BBUSConfiguration {
        BBUSConfiguration(
            sellers: sellers, latency: latency, offerings: offerings,
            buyerContact: contact(id.rawValue, role: POQValidator.buyerContactRole))
    }

    /// An SCO with its SOF's catalog, one second of processing time.
    public static func sco(_ id: PartyID, catalog: [CatalogEntry], chainTestFails: Bool = false) -> SCO {
        SCO(
            configuration: SCOConfiguration(party: id, processingTime: .seconds(1), chainTestFails: chainTestFails),
            sof: SOF(catalog: catalog))
    }

    public static func entry(
        _ offering: String, at places: [String], cost: Double, lead: Int64 = 10, maxMbps: Int? = nil,
        build: [String] = [], capacity: Int? = nil
    ) -> CatalogEntry {
        CatalogEntry(
            offering: offering, places: places, buildPlaces: build, cost: Money(amount: cost),
            buildCost: Money(amount: 100), leadTime: .days(lead), buildTime: .days(20), maxBandwidthMbps: maxMbps,
            capacity: capacity)
    }

    /// A valid POQ payload with one item per (offering, place, bandwidth).
    public static func poq(
        _ items: [(String, String?, Int?)], immediate: Bool = false, alternates: Bool = false
    ) -> JSONValue {
        var root: [String: JSONValue] = [
            "instantSyncQualification": .bool(immediate), "provideAlternative": .bool(alternates),
            "relatedContactInformation": [
                ["name": "Buyer", "emailAddress": "b@x.example", "number": "1", "role": "buyerContactInformation"]
            ],
        ]
        if !immediate { root["requestedPOQCompletionDate"] = "2026-01-05T10:00:00Z" }
        root["productOfferingQualificationItem"] = .array(
            items.enumerated().map { index, item in
                var configuration: [String: JSONValue] = ["@type": "urn:test"]
                if let mbps = item.2 { configuration["bandwidthMbps"] = .number(Double(mbps)) }
                var product: [String: JSONValue] = [
                    "productOffering": ["id": .string(item.0)], "productConfiguration": .object(configuration),
                ]
                if let place = item.1 {
                    product["place"] = [
                        ["@type": "GeographicSiteRef", "id": .string(place), "role": "INSTALL_LOCATION"]
                    ]
                }
                return ["id": .string("item-\(index + 1)"), "action": "add", "product": .object(product)]
            })
        return .object(root)
    }

    public static func request(
        _ id: String, payload: JSONValue, kind: RequestKind = .inquiry, loop: LoopPreventionList = LoopPreventionList(),
        window: TimeSpan = .hours(1)
    ) -> SupplyRequest {
        SupplyRequest(id: RequestID(id), kind: kind, payload: payload, loopPreventionList: loop, respondBy: t0 + window)
    }
}

extension [Effect] {
    public var sent: [(to: PartyID, message: Message)] {
        compactMap { if case .send(let to, let message) = $0 { return (to, message) } else { return nil } }
    }

    public var records: [LedgerRecord] {
        compactMap { if case .record(let record) = $0 { return record } else { return nil } }
    }

    public var requests: [(to: PartyID, request: SupplyRequest)] {
        sent.compactMap { if case .request(let request) = $0.message { return ($0.to, request) } else { return nil } }
    }

    public var finalResponse: SupplyResponse? {
        sent.compactMap { if case .response(let response) = $0.message { return response } else { return nil } }.last
    }

    public var notifications: [(to: PartyID, state: String)] {
        sent.compactMap {
            if case .notification(_, let state) = $0.message { return ($0.to, state) } else { return nil }
        }
    }

    public var timers: [(TimerKey, Instant)] {
        compactMap { if case .setTimer(let key, let at) = $0 { return (key, at) } else { return nil } }
    }
}

extension [Effect] {
    /// The states a POQ and each of its items went through as its buyer saw them: the acknowledgement, then each
    /// notification (MEF 79.1 Figures 2 and 3), in order.
    public var notifiedStates: (poq: [String], items: [String: [String]]) {
        var poq: [String] = []
        var items: [String: [String]] = [:]
        for sent in sent {
            switch sent.message {
            case .acknowledgement(let acknowledged):
                poq.append(acknowledged.state.sonata.rawValue)
                for item in acknowledged.items { items[item.itemID, default: []].append(item.state.sonata.rawValue) }
            case .notification(let event, let state):
                if let item = event.event.poqItemId {
                    items[item, default: []].append(state)
                } else {
                    poq.append(state)
                }
            default: break
            }
        }
        return (poq, items)
    }
}

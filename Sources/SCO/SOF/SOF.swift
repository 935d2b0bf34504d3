import Sonata
import SupplyChain

/// Service Order Fulfilment: the provider's own catalog, places and capacity. Pure: a value, no I/O.
public struct SOF: Sendable {
    public private(set) var catalog: [CatalogEntry]
    /// Elements reserved or active per offering, against each entry's capacity.
    public private(set) var inUse: [String: Int] = [:]

    public init(catalog: [CatalogEntry]) { self.catalog = catalog }

    private func entry(for element: ServiceElement) -> CatalogEntry? {
        catalog.first { $0.offering == element.offering && ($0.serves(element.place) || $0.builds(element.place)) }
    }

    /// Reserves capacity for an ordered element: "Available", or "Rejected" with the reason when the offering is
    /// not delivered there or its capacity is exhausted (PDL-027..PDL-029).
    public mutating func reserve(_ element: ServiceElement) -> Reservation {
        guard let entry = entry(for: element) else {
            return Reservation(
                available: false,
                detail: "Rejected: \(element.offering) is not delivered at \(element.place ?? "(no place)")")
        }
        let used = inUse[entry.offering, default: 0]
        if let capacity = entry.capacity, used >= capacity {
            return Reservation(
                available: false, detail: "Rejected: no capacity left for \(entry.offering) (\(capacity) in use)")
        }
        inUse[entry.offering] = used + 1
        return Reservation(
            available: true, detail: "Available: \(entry.offering) reserved at \(element.place ?? "(no place)")")
    }

    /// Releases a reserved or active element (PDL-057).
    public mutating func release(_ element: ServiceElement) {
        guard let entry = entry(for: element), let used = inUse[entry.offering], used > 0 else { return }
        inUse[entry.offering] = used - 1
    }

    /// How activating an element will go (PDL-037, PDL-041, PDL-042): it takes the offering's lead time (plus the
    /// build time off-net), and fails when a fault is injected for the offering. Whether that fits the Service
    /// Element Activation Window is the order's deadline to judge.
    public func activation(of element: ServiceElement) -> ActivationOutcome {
        guard let entry = entry(for: element) else {
            return ActivationOutcome(succeeds: false, takes: .zero, detail: "not in the catalog")
        }
        let takes = entry.serves(element.place) ? entry.leadTime : entry.leadTime + entry.buildTime
        if entry.activationFails {
            return ActivationOutcome(succeeds: false, takes: takes, detail: "activation of \(entry.offering) failed")
        }
        return ActivationOutcome(succeeds: true, takes: takes, detail: "\(entry.offering) activated")
    }

    /// What the SOF reports of an element it activated, for the SCO's chain test (PDL-045): the catalog's
    /// offering, delivered at the element's place and bandwidth, under `serviceID`.
    public func evidence(of element: ServiceElement, serviceID: String) -> ActivationEvidence {
        ActivationEvidence(
            itemID: element.itemID, serviceID: serviceID, offering: entry(for: element)?.offering ?? "",
            place: element.place, bandwidthMbps: element.bandwidthMbps)
    }

    /// What a change to an active element costs and whether it needs an outage (PDL-117).
    public func quoteChange(_ element: ServiceElement, _ change: ServiceChange) -> ChangeQuote {
        guard let entry = entry(for: element) else {
            return ChangeQuote(possible: false, fee: Money(minorUnits: 0), outage: .zero, detail: "not in the catalog")
        }
        if let bandwidth = change.bandwidthMbps, let limit = entry.maxBandwidthMbps, bandwidth > limit {
            return ChangeQuote(
                possible: false, fee: entry.changeFee, outage: .zero,
                detail: "\(bandwidth) Mbps exceeds the \(limit) Mbps \(entry.offering) delivers")
        }
        if let place = change.place, !(entry.serves(place) || entry.builds(place)) {
            return ChangeQuote(
                possible: false, fee: entry.changeFee, outage: .zero,
                detail: "\(entry.offering) is not delivered at \(place)")
        }
        let outage = change.isRelocation ? entry.relocationOutage : .zero
        return ChangeQuote(
            possible: true, fee: entry.changeFee, outage: outage,
            detail: change.isRelocation ? "relocation with an outage" : "bandwidth change, no outage")
    }

    /// The place rules of the offering an element names, when this catalog sells it (R18–R21); an element naming a
    /// product specification names no offering, so no offering's rules bind it.
    public func placePolicy(for element: ServiceElement) -> PlacePolicy? {
        guard element.specification == nil else { return nil }
        return catalog.first { $0.offering == element.offering }?.placePolicy
    }

    /// Can the provider deliver `element` itself? YES with cost and lead time, or NO with the reason, and
    /// lower-bandwidth alternates when `provideAlternative` and only bandwidth stands in the way.
    ///
    /// An element naming a product specification (MEF 79.1 Use Case 2b) is checked against every offering of that
    /// specification in the catalog: the answer is for the one with the best confidence (green, else yellow; the
    /// cheaper on a tie), and names it (R13, R14, R16).
    public func check(_ element: ServiceElement, provideAlternative: Bool) -> SOFAnswer {
        if let specification = element.specification {
            return check(element, specification: specification, provideAlternative: provideAlternative)
        }
        return check(
            element, entries: catalog.filter { $0.offering == element.offering }, provideAlternative: provideAlternative
        )
    }

    private func check(
        _ element: ServiceElement, specification: String, provideAlternative: Bool
    ) -> SOFAnswer {
        let offerings = catalog.filter { $0.specification == specification }
        guard !offerings.isEmpty else {
            return SOFAnswer(
                itemID: element.itemID, deliverable: false,
                offer: .red("no offering of product specification \(specification) in this provider's catalog"),
                detail: "NO: specification \(specification) not in catalog")
        }
        let answers = offerings.map { entry in
            let named = ServiceElement(
                itemID: element.itemID, offering: entry.offering, place: element.place,
                bandwidthMbps: element.bandwidthMbps)
            return (entry.offering, check(named, entries: [entry], provideAlternative: provideAlternative))
        }
        // Green before yellow, then the cheaper, then catalog order, so the choice never depends on the sort.
        let rank: (ServiceabilityColor) -> Int = { $0 == .green ? 0 : $0 == .yellow ? 1 : 2 }
        let deliverable = answers.enumerated().filter(\.element.1.deliverable).min { a, b in
            let (ra, rb) = (rank(a.element.1.offer.confidence), rank(b.element.1.offer.confidence))
            if ra != rb { return ra < rb }
            let (pa, pb) = (a.element.1.offer.price?.amount ?? 0, b.element.1.offer.price?.amount ?? 0)
            if pa != pb { return pa < pb }
            return a.offset < b.offset
        }
        guard let (offering, best) = deliverable?.element else {
            let reasons = answers.map { "\($0.0): \($0.1.offer.confidenceReason)" }.joined(separator: "; ")
            // R47: alternate ids are unique within the item, so the offerings' alternates are numbered anew.
            let alternates = answers.flatMap(\.1.offer.alternates).enumerated().map { index, alternate in
                alternate.renumbered(as: "alt-\(index + 1)")
            }
            return SOFAnswer(
                itemID: element.itemID, deliverable: false, offer: .red(reasons, alternates: alternates),
                detail: "NO: no offering of \(specification) delivers: \(reasons)")
        }
        let offer = best.offer
        return SOFAnswer(
            itemID: element.itemID, deliverable: true,
            offer: ElementOffer(
                confidence: offer.confidence, confidenceReason: offer.confidenceReason,
                installationInterval: offer.installationInterval, deliveryType: offer.deliveryType,
                price: offer.price, validUntil: offer.validUntil, offering: offering),
            detail: "\(best.detail) (best of specification \(specification))")
    }

    private func check(_ element: ServiceElement, entries: [CatalogEntry], provideAlternative: Bool) -> SOFAnswer {
        guard !entries.isEmpty else {
            return SOFAnswer(
                itemID: element.itemID, deliverable: false,
                offer: .red("offering \(element.offering) is not in this provider's catalog"),
                detail: "NO: offering \(element.offering) not in catalog")
        }
        let placeName = element.place ?? "(no place)"
        var alternates: [AlternateOffer] = []
        for entry in entries where entry.serves(element.place) || entry.builds(element.place) {
            if let capacity = entry.capacity, inUse[entry.offering, default: 0] >= capacity { continue }
            let onNet = entry.serves(element.place)
            if let requested = element.bandwidthMbps, let limit = entry.maxBandwidthMbps, requested > limit {
                if provideAlternative {
                    alternates.append(
                        AlternateOffer(
                            id: "alt-\(alternates.count + 1)", offering: entry.offering, bandwidthMbps: limit,
                            price: onNet ? entry.cost : entry.cost + entry.buildCost,
                            installationInterval: onNet ? entry.leadTime : entry.leadTime + entry.buildTime,
                            confidence: onNet ? entry.confidence : .yellow,
                            deliveryType: onNet ? .onNet : .onNetWithBuild))
                }
                continue
            }
            let offer = ElementOffer(
                confidence: onNet ? entry.confidence : .yellow,
                confidenceReason: onNet ? "on-net at \(placeName)" : "on-net with build at \(placeName)",
                installationInterval: onNet ? entry.leadTime : entry.leadTime + entry.buildTime,
                deliveryType: onNet ? .onNet : .onNetWithBuild,
                price: onNet ? entry.cost : entry.cost + entry.buildCost,
                validUntil: nil)
            return SOFAnswer(
                itemID: element.itemID, deliverable: true, offer: offer,
                detail:
                    "YES: \(entry.offering) \(onNet ? "on-net" : "with build") at \(placeName), cost \(offer.price!)")
        }
        let reason: String
        if !alternates.isEmpty {
            reason =
                "requested \(element.bandwidthMbps ?? 0) Mbps exceeds what \(element.offering) delivers at \(placeName)"
        } else if entries.contains(where: { $0.serves(element.place) || $0.builds(element.place) }) {
            reason = "\(element.offering) at \(placeName): no capacity or bandwidth left"
        } else {
            reason = "\(element.offering) is not delivered at \(placeName)"
        }
        return SOFAnswer(
            itemID: element.itemID, deliverable: false, offer: .red(reason, alternates: alternates),
            detail: "NO: \(reason)")
    }
}

/// The SOF's measurements (PDL-093): a deterministic model, so that the same run gives the same reports
/// everywhere — the catalog's performance (by default comfortably within its SLA: 80 % of the delay, half the
/// loss, 70 % of the delay variation), a noise of up to ±10 % from a hash of the service, element and interval,
/// and the repair outages in the interval taken off availability. Where the catalog meters traffic
/// (`usagePerDayGB`), the element carried that much a day, pro rata the time it was up (no noise: the usage a buyer
/// is charged for can be worked by hand).
extension SOF {
    /// The element's performance over `from..<to`, its SLA objectives and the traffic it carried in megabytes (nil
    /// when not metered); nil when the catalog has no SLA for it.
    public func measure(
        _ element: ServiceElement, serviceID: String, from: Instant, to: Instant,
        outages: [ServiceRecord.Outage]
    ) -> (measured: PerformanceMetrics, objectives: SLAObjectives, usageMB: Int64?)? {
        guard let entry = catalog.first(where: { $0.offering == element.offering }), let sla = entry.sla else {
            return nil
        }
        let base =
            entry.performance
            ?? PerformanceMetrics(
                availabilityPPM: PerformanceMetrics.million, delayMicros: sla.delayMicros * 8 / 10,
                frameLossPPM: sla.frameLossPPM / 2, delayVariationMicros: sla.delayVariationMicros * 7 / 10)
        let noise = Self.noise("\(serviceID)|\(element.itemID)|\(from.milliseconds)")
        func jitter(_ value: Int64, _ salt: Int64) -> Int64 {
            max(0, value + value * (((noise &+ salt) & 0x7fff_ffff) % 201 - 100) / 1_000)
        }
        let span = max(1, (to - from).milliseconds)
        var down: Int64 = 0
        for outage in outages where outage.itemID == element.itemID {
            let start = max(from, outage.from)
            let end = min(to, outage.from + outage.duration)
            if end > start { down = .saturating(down, plus: (end - start).milliseconds) }
        }
        // availability × up / span, exactly: the product is taken at double width (a requested interval can be long).
        let up = span - min(span, down)
        let availability = span.dividingFullWidth(base.availabilityPPM.multipliedFullWidth(by: up)).quotient
        let measured = PerformanceMetrics(
            availabilityPPM: availability, delayMicros: jitter(base.delayMicros, 0),
            frameLossPPM: jitter(base.frameLossPPM, 37), delayVariationMicros: jitter(base.delayVariationMicros, 71))
        // Megabytes a day × the milliseconds up / a day's, exactly (at double width: a requested interval can be long).
        let usage = entry.usagePerDayGB.map { perDay -> Int64 in
            let megabytesPerDay = max(0, min(perDay, 1_000_000_000)) * 1_000
            let (quotient, _) = TimeSpan.days(1).milliseconds.dividingFullWidth(
                megabytesPerDay.multipliedFullWidth(by: up))
            return min(quotient, ElementPerformance.largestUsageMB)
        }
        return (measured, sla, usage)
    }

    /// A non-negative number from `text` (FNV-1a), the same on every machine.
    static func noise(_ text: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int64(hash >> 1)
    }
}

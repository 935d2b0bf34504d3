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

    /// Can the provider deliver `element` itself? YES with cost and lead time, or NO with the reason, and
    /// lower-bandwidth alternates when `provideAlternative` and only bandwidth stands in the way.
    public func check(_ element: ServiceElement, provideAlternative: Bool) -> SOFAnswer {
        let entries = catalog.filter { $0.offering == element.offering }
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
                            confidence: onNet ? entry.confidence : .yellow))
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
/// and the repair outages in the interval taken off availability.
extension SOF {
    /// The element's performance over `from..<to` and its SLA objectives; nil when the catalog has no SLA for it.
    public func measure(
        _ element: ServiceElement, serviceID: String, from: Instant, to: Instant,
        outages: [ServiceRecord.Outage]
    ) -> (measured: PerformanceMetrics, objectives: SLAObjectives)? {
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
        let span = max(1, to.milliseconds - from.milliseconds)
        var down: Int64 = 0
        for outage in outages where outage.itemID == element.itemID {
            let start = max(from.milliseconds, outage.from.milliseconds)
            let end = min(to.milliseconds, (outage.from + outage.duration).milliseconds)
            if end > start { down += end - start }
        }
        let availability = base.availabilityPPM * (span - min(span, down)) / span
        let measured = PerformanceMetrics(
            availabilityPPM: availability, delayMicros: jitter(base.delayMicros, 0),
            frameLossPPM: jitter(base.frameLossPPM, 37), delayVariationMicros: jitter(base.delayVariationMicros, 71))
        return (measured, sla)
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

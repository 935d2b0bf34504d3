import Ledger
import SupplyChain

/// When the SLA reputation was last published, so that it is published at most once per
/// `SCOConfiguration.reputationPublication` and only when records came in since.
struct ReputationPublishing: Sendable, Hashable {
    /// The earliest instant of the next publication (nil before the first).
    var next: Instant?
    /// How many records the last publication had seen.
    var publishedRecords = 0
    /// A publication timer is set.
    var timerSet = false
}

/// SLA reputation on the omni-lateral ledger (ETSI PDL §66, PDL-115): after the reports it delivered, the SCO
/// publishes the provider's score as `x.y:n` with the records it rests on, for the neighbours holding those records
/// to recompute and countersign (after-delivery.md decision 4).
extension SCO {
    /// Called after each delivered report: publish now when the last publication is old enough, else once the
    /// interval has passed.
    mutating func reputationDue(now: Instant) -> [RoleStep] {
        if let next = reputationPublishing.next, now < next {
            guard !reputationPublishing.timerSet else { return [] }
            reputationPublishing.timerSet = true
            return [.effect(.setTimer(reputationTimer, at: next))]
        }
        return publishReputation(now: now)
    }

    /// Publishes the reputation if records came in since the last publication.
    mutating func publishReputation(now: Instant) -> [RoleStep] {
        reputationPublishing.timerSet = false
        guard reputationRecords.count > reputationPublishing.publishedRecords,
            let publication = ReputationPublication(history: reputationRecords, window: reputationWindow)
        else { return [] }
        reputationPublishing.publishedRecords = reputationRecords.count
        reputationPublishing.next = now + configuration.reputationPublication
        return [
            .effect(
                .publish(
                    OmniRecord(
                        kind: ReputationPublication.kind, refs: ["provider": configuration.party.rawValue],
                        body: publication.ledgerBody)))
        ]
    }

    private var reputationTimer: TimerKey {
        TimerKey(
            buyer: configuration.party, requestID: RequestID("reputation"), purpose: .sco(.publishReputation))
    }
}

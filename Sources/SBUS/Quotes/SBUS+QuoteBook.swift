import Ledger
import SupplyChain

/// The quote book's memory: a quote keeps its offers (what an order against it is fulfilled from) only while an
/// order can still be accepted against it. Everything the order desk needs to refuse a later order keeps its
/// answer (PDL-023: "expired at …"), so forgetting changes no outcome, only the working set.
extension SBUS {
    /// Files a quote just given. A POQ's answer can never be ordered (PDL-023), so it is not kept at all: an
    /// order against it is refused as an unknown reference is, with a reason that says a POQ's answer cannot be
    /// ordered, and a long run's quote book holds only inquiries' quotes. A quote that will expire is swept once
    /// it has.
    mutating func file(_ quote: QuoteRecord, now: Instant) {
        if quote.kind == .poq { return }
        if quote.validUntil != nil {
            quotesHoldingOffers.append(quote.reference)
        }
        quotes[quote.reference] = quote
        if quotesHoldingOffers.count >= 2 * max(quotesHoldingOffersAfterSweep, 64) { forgetExpiredOffers(now: now) }
    }

    /// Forgets the offers of every quote that expired before `now`. Amortised: `file` calls it when the list of
    /// quotes holding offers has doubled since the last sweep, so each quote costs a constant share of the sweeps.
    mutating func forgetExpiredOffers(now: Instant) {
        var stillValid: [String] = []
        for reference in quotesHoldingOffers {
            if let validUntil = quotes[reference]?.validUntil, now > validUntil {
                quotes[reference]?.forgetOffers()
            } else {
                stillValid.append(reference)
            }
        }
        quotesHoldingOffers = stillValid
        quotesHoldingOffersAfterSweep = stillValid.count
    }
}

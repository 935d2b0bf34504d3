import Sonata

/// What the S-BUS makes of an incoming request before the SCO sees it.
public enum Admission: Sendable {
    /// Valid, addressed to a provider not already in the chain.
    case accepted(ProductOfferingQualificationCreate)
    /// Breaks MEF 79.1 or the Sonata schema: answered REJECTED with every finding.
    case invalid([ValidationFinding])
    /// This provider is on the request's loop-prevention list (PDL-004): answered REJECTED, reason loop.
    case loop
}

import CanonicalJSON
import Ledger

/// The elements of one request the SCO wants sellers to quote.
public struct SourcingRequest: Sendable {
    public let request: QualificationRequest
    public let needs: [SourcingNeed]

    public init(request: QualificationRequest, needs: [SourcingNeed]) {
        self.request = request
        self.needs = needs
    }
}

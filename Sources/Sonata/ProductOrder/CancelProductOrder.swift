/// A Buyer's request to cancel one of its orders, as the Seller answers it (`CancelProductOrder`): `done` when it
/// took effect, `rejected` with `cancellationDeniedReason` when the order can no longer be cancelled.
public struct CancelProductOrder: Codable, Sendable, Hashable {
    /// The order to cancel (`MEFProductOrderRef`).
    public struct OrderRef: Codable, Sendable, Hashable {
        public let productOrderId: String
        public let productOrderHref: String?

        public init(productOrderId: String, productOrderHref: String? = nil) {
            self.productOrderId = productOrderId
            self.productOrderHref = productOrderHref
        }
    }

    /// The task's state (`MEFChargeableTaskStateType`).
    public enum State: String, SonataEnum {
        case acknowledged, done, rejected
        case doneDeclined = "done.declined"
        case inProgressAssessingCharge = "inProgress.assessingCharge"
    }

    public let id: String
    public let href: String?
    public let productOrder: OrderRef
    public let state: State
    public let cancellationReason: String?
    public let cancellationReasonType: String?
    public let cancellationDeniedReason: String?
    public let relatedContactInformation: [RelatedContactInformation]

    public init(
        id: String, href: String? = nil, productOrder: OrderRef, state: State, cancellationReason: String? = nil,
        cancellationReasonType: String? = nil, cancellationDeniedReason: String? = nil,
        relatedContactInformation: [RelatedContactInformation]
    ) {
        self.id = id
        self.href = href
        self.productOrder = productOrder
        self.state = state
        self.cancellationReason = cancellationReason
        self.cancellationReasonType = cancellationReasonType
        self.cancellationDeniedReason = cancellationDeniedReason
        self.relatedContactInformation = relatedContactInformation
    }
}

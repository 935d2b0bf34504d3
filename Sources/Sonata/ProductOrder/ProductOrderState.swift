/// The state of a product order (`MEFProductOrderStateType`, MEF 57.2 names in the comments).
public enum ProductOrderState: String, SonataEnum {
    /// ACKNOWLEDGED
    case acknowledged
    /// ASSESSING_CANCELLATION
    case assessingCancellation
    /// CANCELLED (terminal)
    case cancelled
    /// COMPLETED (terminal)
    case completed
    /// FAILED (terminal)
    case failed
    /// ASSESSING_CHARGE
    case heldAssessingCharge = "held.assessingCharge"
    /// IN_PROGRESS
    case inProgress
    /// PARTIAL (terminal)
    case partial
    /// ASSESSING_MODIFICATION
    case pendingAssessingModification = "pending.assessingModification"
    /// CANCELLING
    case pendingCancellation
    /// REJECTED
    case rejected
}

/// The state of one product order item (`MEFProductOrderItemStateType`, MEF 57.2 names in the comments).
public enum ProductOrderItemState: String, SonataEnum {
    /// ACKNOWLEDGED
    case acknowledged
    /// CANCELLED
    case cancelled
    /// COMPLETED (terminal)
    case completed
    /// FAILED (terminal)
    case failed
    /// HELD
    case held
    /// IN_PROGRESS
    case inProgress
    /// PENDING
    case pending
    /// REJECTED
    case rejected
    /// VALIDATED
    case rejectedValidated = "rejected.validated"
    /// UNASSESSED
    case rejectedUnassessed = "rejected.unassessed"
}

/// A state a product order reached, when and why (`MEFProductOrderStateChange`), as the Seller records it.
public struct ProductOrderStateChange: Codable, Sendable, Hashable {
    /// The state reached.
    public let state: ProductOrderState?
    /// When it was reached.
    public let changeDate: MEFDateTime?
    /// Why, as a comment.
    public let changeReason: String?

    public init(state: ProductOrderState? = nil, changeDate: MEFDateTime? = nil, changeReason: String? = nil) {
        self.state = state
        self.changeDate = changeDate
        self.changeReason = changeReason
    }
}

/// A state a product order item reached, when and why (`MEFProductOrderItemStateChange`).
public struct ProductOrderItemStateChange: Codable, Sendable, Hashable {
    /// The state reached.
    public let state: ProductOrderItemState?
    /// When it was reached.
    public let changeDate: MEFDateTime?
    /// Why, as a comment.
    public let changeReason: String?

    public init(state: ProductOrderItemState? = nil, changeDate: MEFDateTime? = nil, changeReason: String? = nil) {
        self.state = state
        self.changeDate = changeDate
        self.changeReason = changeReason
    }
}

/// The lifecycle status of a product in the Seller's inventory (`MEFProductStatusType`, MEF 81 names in the
/// comments).
public enum ProductStatus: String, SonataEnum {
    /// ACTIVE
    case active
    /// ACTIVE_PENDING_CHANGE
    case activePendingChange = "active.pendingChange"
    /// CANCELLED
    case cancelled
    /// PENDING
    case pendingActive
    /// ACTIVE_PENDING_TERMINATE
    case pendingTerminate
    /// SUSPENDED
    case suspended
    /// SUSPENDED_PENDING_TERMINATE
    case suspendedPendingTerminate
    /// TERMINATED
    case terminated
}

/// A status a product reached, when and why (`MEFProductStatusChange`).
public struct ProductStatusChange: Codable, Sendable, Hashable {
    public let status: ProductStatus
    public let changeDate: MEFDateTime
    public let changeReason: String?

    public init(status: ProductStatus, changeDate: MEFDateTime, changeReason: String? = nil) {
        self.status = status
        self.changeDate = changeDate
        self.changeReason = changeReason
    }
}

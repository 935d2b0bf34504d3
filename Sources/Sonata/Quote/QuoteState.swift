/// The state of a quote (`MEFQuoteStateType`, MEF 80 names in the comments).
public enum QuoteState: String, SonataEnum {
    /// ACCEPTED
    case accepted
    /// ACKNOWLEDGED
    case acknowledged
    /// ANSWERED
    case answered
    /// ORDERABLE
    case approvedOrderable = "approved.orderable"
    /// ORDERABLE_ALTERNATE
    case approvedOrderableAlternate = "approved.orderableAlternate"
    /// CANCELLED
    case cancelled
    /// UNABLE_TO_PROVIDE
    case unableToProvide
    /// DECLINED
    case declined
    /// EXPIRED
    case expired
    /// IN_PROGRESS
    case inProgress
    /// IN_PROGRESS_DRAFT
    case inProgressDraft = "inProgress.draft"
    /// REJECTED
    case rejected
}

/// The state of one quote item (`MEFQuoteItemStateType`, MEF 80 names in the comments).
public enum QuoteItemState: String, SonataEnum {
    /// ANSWERED
    case answered
    /// ACKNOWLEDGED
    case acknowledged
    /// ORDERABLE
    case approvedOrderable = "approved.orderable"
    /// ORDERABLE_ALTERNATE
    case approvedOrderableAlternate = "approved.orderableAlternate"
    /// IN_PROGRESS
    case inProgress
    /// IN_PROGRESS_DRAFT
    case inProgressDraft = "inProgress.draft"
    /// REJECTED
    case rejected
    /// ABANDONED
    case abandoned
    /// UNABLE_TO_PROVIDE
    case unableToProvide
}

/// The quote level the Buyer asks for (`MEFBuyerQuoteLevel`); every item of a quote has the same level.
public enum BuyerQuoteLevel: String, SonataEnum {
    case budgetary, firm
}

/// The quote level the Seller answers with (`MEFSellerQuoteLevel`), the lowest level of the quote's items.
public enum SellerQuoteLevel: String, SonataEnum {
    case budgetary, firmSubjectToFeasibilityCheck, firm
}

/// A state a quote reached, when and why (`MEFQuoteStateChange`), as the Seller records it.
public struct QuoteStateChange: Codable, Sendable, Hashable {
    /// The state reached.
    public let state: QuoteState
    /// When it was reached.
    public let changeDate: MEFDateTime
    /// Why, as a comment.
    public let changeReason: String?

    public init(state: QuoteState, changeDate: MEFDateTime, changeReason: String? = nil) {
        self.state = state
        self.changeDate = changeDate
        self.changeReason = changeReason
    }
}

/// MEF 79.1 §9.1 Figure 2 as an explicit table: the only moves a POQ may make (R95, R96).
///
/// The draft's figure is not in the text we hold, so each row is taken from the state definitions of Table 28:
///
/// | from         | to                  | Table 28                                                                   |
/// |--------------|---------------------|----------------------------------------------------------------------------|
/// | (immediate)  | READY               | "For an Immediate response, the POQ moves to the READY State and does not pass through the ACKNOWLEDGED State" |
/// | (immediate)  | UNABLE_TO_MEET_TIME | "if an immediate response … cannot be met by the Seller"                   |
/// | (immediate)  | REJECTED            | an immediate POQ that fails business validation skips ACKNOWLEDGED as READY does |
/// | (deferred)   | ACKNOWLEDGED        | "For a Deferred response, … identifier is assigned in the ACKNOWLEDGED State" |
/// | ACKNOWLEDGED | IN_PROGRESS         | "moves to the IN_PROGRESS State when it passes business validation"         |
/// | ACKNOWLEDGED | REJECTED            | "If the POQ does not pass validation, the POQ moves to the REJECTED State"  |
/// | IN_PROGRESS  | READY               | "When all POQ Items are in the READY State, the overall POQ moves to READY" |
/// | IN_PROGRESS  | UNABLE_TO_MEET_TIME | "a response date is set but cannot be met by the Seller"                    |
///
/// READY, REJECTED and UNABLE_TO_MEET_TIME are final: no move leaves them.
extension MEF79POQState {
    /// Each state and the states a POQ may move to from it; every pair not listed is refused.
    public static let transitions: [MEF79POQState: Set<MEF79POQState>] = [
        .acknowledged: [.inProgress, .rejected],
        .inProgress: [.ready, .unableToMeetTime],
        .ready: [],
        .rejected: [],
        .unableToMeetTime: [],
    ]

    /// The states a POQ's first answer may carry: ACKNOWLEDGED for a Deferred Response, a final state for an
    /// Immediate one.
    public static func entryStates(immediate: Bool) -> Set<MEF79POQState> {
        immediate ? [.ready, .unableToMeetTime, .rejected] : [.acknowledged]
    }

    /// Whether Figure 2 lets a POQ in this state move to `next`.
    public func canMove(to next: MEF79POQState) -> Bool { Self.transitions[self, default: []].contains(next) }

    /// Checks a POQ's whole state history, first answer included, against Figure 2; returns a sentence saying
    /// which step is refused, or `nil` when every step is allowed.
    public static func historyViolation(_ history: [MEF79POQState], immediate: Bool) -> String? {
        guard let first = history.first else { return nil }
        guard entryStates(immediate: immediate).contains(first) else {
            return "a\(immediate ? "n immediate" : " deferred") POQ cannot begin in \(first.rawValue)"
        }
        for (from, to) in zip(history, history.dropFirst()) where !from.canMove(to: to) {
            return "a POQ cannot move from \(from.rawValue) to \(to.rawValue)"
        }
        return nil
    }
}

/// MEF 79.1 §9.2 Figure 3 as an explicit table: the only moves a POQ item may make (R101, R102, R103).
///
/// Rows from the state definitions of Table 30:
///
/// | from         | to                  | Table 30                                                                   |
/// |--------------|---------------------|----------------------------------------------------------------------------|
/// | (immediate)  | READY               | "For an Immediate response, the POQ Item moves to the READY State and does not pass through ACKNOWLEDGED" |
/// | (immediate)  | UNABLE_TO_MEET_TIME, ABANDONED, REJECTED | the final states of an immediate POQ that ends otherwise (R103, Table 29) |
/// | (deferred)   | ACKNOWLEDGED        | "has been received by the Seller and has passed basic validation"           |
/// | ACKNOWLEDGED | IN_PROGRESS         | the item is being worked                                                    |
/// | ACKNOWLEDGED | REJECTED            | "failed at least one of the business validation checks … after it reached the ACKNOWLEDGED State" |
/// | ACKNOWLEDGED | ABANDONED           | "applied to POQ Items that are in an ACKNOWLEDGED or IN_PROGRESS State when the POQ State is moved to a Final State other than READY" |
/// | IN_PROGRESS  | READY               | "the POQ Item has been internally approved by the Seller"                   |
/// | IN_PROGRESS  | UNABLE_TO_MEET_TIME | "unable to provide a … Item response in the timeframe required"             |
/// | IN_PROGRESS  | ABANDONED           | as from ACKNOWLEDGED; R103                                                  |
extension MEF79ItemState {
    /// Each state and the states an item may move to from it; every pair not listed is refused.
    public static let transitions: [MEF79ItemState: Set<MEF79ItemState>] = [
        .acknowledged: [.inProgress, .rejected, .abandoned],
        .inProgress: [.ready, .unableToMeetTime, .abandoned],
        .ready: [],
        .rejected: [],
        .abandoned: [],
        .unableToMeetTime: [],
    ]

    /// The states an item's first answer may carry: ACKNOWLEDGED when deferred, a final state when immediate.
    public static func entryStates(immediate: Bool) -> Set<MEF79ItemState> {
        immediate ? [.ready, .unableToMeetTime, .abandoned, .rejected] : [.acknowledged]
    }

    /// Whether Figure 3 lets an item in this state move to `next`.
    public func canMove(to next: MEF79ItemState) -> Bool { Self.transitions[self, default: []].contains(next) }

    /// Checks an item's whole state history against Figure 3; a sentence for the refused step, or `nil`.
    public static func historyViolation(_ history: [MEF79ItemState], immediate: Bool) -> String? {
        guard let first = history.first else { return nil }
        guard entryStates(immediate: immediate).contains(first) else {
            return "a\(immediate ? "n immediate" : " deferred") POQ item cannot begin in \(first.rawValue)"
        }
        for (from, to) in zip(history, history.dropFirst()) where !from.canMove(to: to) {
            return "a POQ item cannot move from \(from.rawValue) to \(to.rawValue)"
        }
        return nil
    }
}

/// POQ states on the wire (Sonata v7 `MEFPOQTaskStateType`).
public enum POQState: String, SonataEnum {
    case acknowledged
    case inProgress
    case doneReady = "done.ready"
    case doneUnableToProvide = "done.unableToProvide"
    case terminatedWithError
}

/// POQ item states on the wire (Sonata v7 `MEFPOQItemTaskStateType`).
public enum POQItemState: String, SonataEnum {
    case acknowledged
    case inProgress
    case doneReady = "done.ready"
    case doneAbandoned = "done.abandoned"
    case terminatedWithError
}

/// POQ states as MEF 79.1 §9.1 (Table 28) names them; the protocol core reasons in these.
///
/// MEF 79.1 (2025 draft) and Sonata v7 name states differently. This is the one place the two meet:
///
/// | MEF 79.1 POQ state  | Sonata v7 `state`      | note                                                  |
/// |---------------------|------------------------|-------------------------------------------------------|
/// | ACKNOWLEDGED        | `acknowledged`         | deferred responses only                                |
/// | IN_PROGRESS         | `inProgress`           |                                                        |
/// | READY               | `done.ready`           | all items READY (or final)                             |
/// | REJECTED            | `terminatedWithError`  | v7 text: INSUFFICIENT_INFORMATION_PROVIDED             |
/// | UNABLE_TO_MEET_TIME | `done.unableToProvide` | v7 text: UNABLE_TO_PROVIDE                             |
public enum MEF79POQState: String, Sendable, Hashable, Codable, CaseIterable {
    case acknowledged = "ACKNOWLEDGED"
    case inProgress = "IN_PROGRESS"
    case ready = "READY"
    case rejected = "REJECTED"
    case unableToMeetTime = "UNABLE_TO_MEET_TIME"

    public var sonata: POQState {
        switch self {
        case .acknowledged: .acknowledged
        case .inProgress: .inProgress
        case .ready: .doneReady
        case .rejected: .terminatedWithError
        case .unableToMeetTime: .doneUnableToProvide
        }
    }

    public init(_ sonata: POQState) {
        switch sonata {
        case .acknowledged: self = .acknowledged
        case .inProgress: self = .inProgress
        case .doneReady: self = .ready
        case .terminatedWithError: self = .rejected
        case .doneUnableToProvide: self = .unableToMeetTime
        }
    }

    /// READY, REJECTED and UNABLE_TO_MEET_TIME end the POQ's life.
    public var isFinal: Bool { self == .ready || self == .rejected || self == .unableToMeetTime }
}

/// POQ item states as MEF 79.1 §9.2 (Table 30) names them.
///
/// | MEF 79.1 item state | Sonata v7 item `state`                                                        |
/// |---------------------|-------------------------------------------------------------------------------|
/// | ACKNOWLEDGED        | `acknowledged`                                                                |
/// | IN_PROGRESS         | `inProgress`                                                                  |
/// | READY               | `done.ready`                                                                  |
/// | REJECTED            | `terminatedWithError`                                                         |
/// | ABANDONED           | `done.abandoned`                                                              |
/// | UNABLE_TO_MEET_TIME | `terminatedWithError` with a `terminationError` whose `value` is UNABLE_TO_MEET_TIME (v7 has no such item state) |
public enum MEF79ItemState: String, Sendable, Hashable, Codable, CaseIterable {
    case acknowledged = "ACKNOWLEDGED"
    case inProgress = "IN_PROGRESS"
    case ready = "READY"
    case rejected = "REJECTED"
    case abandoned = "ABANDONED"
    case unableToMeetTime = "UNABLE_TO_MEET_TIME"

    /// The marker carried in `terminationError.value` for an item that could not meet the Buyer's time.
    public static let unableToMeetTimeMarker = "UNABLE_TO_MEET_TIME"

    public var sonata: POQItemState {
        switch self {
        case .acknowledged: .acknowledged
        case .inProgress: .inProgress
        case .ready: .doneReady
        case .rejected, .unableToMeetTime: .terminatedWithError
        case .abandoned: .doneAbandoned
        }
    }

    public init(_ sonata: POQItemState, terminationErrors: [TerminationError]? = nil) {
        switch sonata {
        case .acknowledged: self = .acknowledged
        case .inProgress: self = .inProgress
        case .doneReady: self = .ready
        case .doneAbandoned: self = .abandoned
        case .terminatedWithError:
            let timedOut = terminationErrors?.contains { $0.value == Self.unableToMeetTimeMarker } ?? false
            self = timedOut ? .unableToMeetTime : .rejected
        }
    }

    public var isFinal: Bool { self == .ready || self == .rejected || self == .abandoned || self == .unableToMeetTime }
}

extension MEF79POQState {
    /// Checks one row of MEF 79.1 Table 29 (the POQ-state / item-state matrix, R100): may a POQ in this state
    /// have items in these states? Returns a sentence saying what is wrong, or `nil` when consistent.
    public func matrixViolation(itemStates: [MEF79ItemState]) -> String? {
        let count = { (state: MEF79ItemState) in itemStates.filter { $0 == state }.count }
        let total = itemStates.count
        guard total > 0 else { return "a POQ has at least one item" }
        func allowed(_ states: Set<MEF79ItemState>) -> String? {
            let wrong = Set(itemStates).subtracting(states)
            guard wrong.isEmpty else {
                let names = wrong.map(\.rawValue).sorted().joined(separator: ", ")
                return "a \(rawValue) POQ cannot have items in \(names)"
            }
            return nil
        }
        switch self {
        case .acknowledged:
            if let problem = allowed([.acknowledged, .inProgress, .ready]) { return problem }
            if count(.acknowledged) == 0 { return "an ACKNOWLEDGED POQ has one or more ACKNOWLEDGED items" }
        case .inProgress:
            if let problem = allowed([.acknowledged, .inProgress, .ready]) { return problem }
            if count(.inProgress) == 0 { return "an IN_PROGRESS POQ has one or more IN_PROGRESS items" }
        case .ready:
            if count(.ready) != total { return "a READY POQ has all its items READY" }
        case .rejected:
            if let problem = allowed([.rejected, .ready, .abandoned]) { return problem }
            if count(.rejected) == 0 { return "a REJECTED POQ has one or more REJECTED items" }
            if count(.abandoned) == total { return "a REJECTED POQ cannot have all its items ABANDONED" }
        case .unableToMeetTime:
            if let problem = allowed([.unableToMeetTime, .ready, .abandoned]) { return problem }
            if count(.unableToMeetTime) == 0 {
                return "an UNABLE_TO_MEET_TIME POQ has one or more UNABLE_TO_MEET_TIME items"
            }
        }
        return nil
    }
}

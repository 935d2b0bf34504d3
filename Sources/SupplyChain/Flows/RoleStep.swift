/// One step of a role's answer to a message: an effect for the driver, or a message for another role.
public enum RoleStep: Sendable {
    case effect(Effect)
    case message(RoleMessage)
}

extension Array where Element == RoleStep {
    /// Appends driver effects.
    public mutating func append(effects: [Effect]) {
        append(contentsOf: effects.map(RoleStep.effect))
    }

    /// Appends one driver effect.
    public mutating func append(effect: Effect) {
        append(.effect(effect))
    }

    /// The driver effects among the steps, in order (what a role test looks at when no other role is involved).
    public var effects: [Effect] {
        compactMap { if case .effect(let effect) = $0 { effect } else { nil } }
    }

    /// The messages to other roles among the steps, in order.
    public var messages: [RoleMessage] {
        compactMap { if case .message(let message) = $0 { message } else { nil } }
    }
}

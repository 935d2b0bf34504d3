import SupplyChain

/// What role tests read off a role's steps: the messages it sends each other role, by flow.
extension [RoleStep] {
    /// Messages to the SCO from the S-BUS.
    public var sbusToSCO: [SBUSToSCO] {
        messages.compactMap { if case .sbusToSCO(let message) = $0 { message } else { nil } }
    }

    /// Messages to the B-BUS from the SCO.
    public var scoToBBUS: [SCOToBBUS] {
        messages.compactMap { if case .scoToBBUS(let message) = $0 { message } else { nil } }
    }

    /// Messages to the SCO from the B-BUS.
    public var bbusToSCO: [BBUSToSCO] {
        messages.compactMap { if case .bbusToSCO(let message) = $0 { message } else { nil } }
    }

    /// Messages to the S-BUS from the SCO.
    public var scoToSBUS: [SCOToSBUS] {
        messages.compactMap { if case .scoToSBUS(let message) = $0 { message } else { nil } }
    }

    /// The order events the SCO hands the S-BUS for the buyer, in order.
    public var buyerEvents: [OrderEvent] {
        scoToSBUS.compactMap { if case .orderEvent(_, _, let event, _) = $0 { event } else { nil } }
    }

    /// The ledger records among the effects, in order.
    public var records: [LedgerRecord] { effects.records }
}

/// A message from one role of a provider to another, named after the standard's flows. The router delivers each
/// where it was emitted, in order, so one input always produces the same effects in the same order.
public enum RoleMessage: Sendable {
    case sbusToSCO(SBUSToSCO)
    case scoToBBUS(SCOToBBUS)
    case bbusToSCO(BBUSToSCO)
    case scoToSBUS(SCOToSBUS)
    case sbusToBBUS(SBUSToBBUS)
}

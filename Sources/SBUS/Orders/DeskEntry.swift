/// An order or change the order desk passed to the SCO and that is not over yet.
struct DeskEntry: Sendable {
    /// What the buyer's order asks for.
    enum Process: Sendable {
        /// Deliver a quote: a second delivery of the same order is ignored while the first is worked on.
        case provide
        /// Change an active service.
        case change
    }

    /// This provider's reference for it.
    let reference: String
    let process: Process
}

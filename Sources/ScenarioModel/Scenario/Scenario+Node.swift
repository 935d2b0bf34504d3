extension Scenario {
    /// A one-provider scenario for a live node (`broker serve`): the provider's own entry, in the scenario file's
    /// format, and a bare entry for each seller it names, so that `SimulationPlan` checks and compiles it.
    public init(node provider: ProviderSpec, defaults: Defaults?) {
        let known = Set([provider.id])
        var stubs: [ProviderSpec] = []
        for seller in provider.sellers ?? []
        where !known.contains(seller.id) && !stubs.contains(where: { $0.id == seller.id }) {
            stubs.append(ProviderSpec(id: seller.id))
        }
        self.init(name: provider.id, defaults: defaults, providers: [provider] + stubs, demand: [])
    }
}

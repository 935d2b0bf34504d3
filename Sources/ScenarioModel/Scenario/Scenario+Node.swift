extension Scenario {
    /// A one-provider scenario for a live node (`broker serve`): the provider's own entry, in the scenario file's
    /// format, a bare entry for each seller it names and for each other party of its `contracts` (as seller or as
    /// buyer), so that `SimulationPlan` checks and compiles it.
    public init(node provider: ProviderSpec, defaults: Defaults?, contracts: [ContractSpec] = []) {
        var stubs: [ProviderSpec] = []
        let others = (provider.sellers ?? []).map(\.id) + contracts.flatMap { [$0.seller, $0.buyer] }
        for other in others where other != provider.id && !stubs.contains(where: { $0.id == other }) {
            stubs.append(ProviderSpec(id: other))
        }
        self.init(name: provider.id, defaults: defaults, providers: [provider] + stubs, demand: [])
        if !contracts.isEmpty { self.contracts = contracts }
    }
}

/// The types a spec may name: layers, losses, optimizers and schedulers, each looked up by its
/// PyTorch class name. NNSpec knows no concrete type; the standard catalogue (every type with
/// the module it builds) is NNCatalogue's `StandardCatalogue.catalogue`.
public struct Catalogue: Sendable {
    /// Every layer type, in catalogue order.
    public let layers: [any LayerDefinition]
    public let losses: [any LossDefinition]
    public let optimizers: [any ComponentDefinition]
    /// Learning-rate schedulers (`train: scheduler:`).
    public let schedulers: [any ComponentDefinition]
    /// The functions a spec may `call:` (`F.relu`), each computed by one of `layers`.
    public let functionals: [FunctionalDefinition]

    private let layersByName: [String: any LayerDefinition]

    /// A catalogue of the given types; a type name appearing twice is a programming error.
    public init(
        layers: [any LayerDefinition], losses: [any LossDefinition], optimizers: [any ComponentDefinition],
        schedulers: [any ComponentDefinition], functionals: [FunctionalDefinition] = []
    ) {
        self.layers = layers
        self.losses = losses
        self.optimizers = optimizers
        self.schedulers = schedulers
        self.functionals = functionals
        layersByName = Dictionary(uniqueKeysWithValues: layers.map { ($0.typeName, $0) })
        precondition(functionals.allSatisfy { layersByName[$0.layerType] != nil }, "a functional names no layer type")
        let componentNames = losses.map(\.typeName) + optimizers.map(\.typeName) + schedulers.map(\.typeName)
        precondition(Set(componentNames).count == componentNames.count, "a component type is listed twice")
    }

    /// The layer type named `typeName` (exact spelling), or nil.
    public func layer(named typeName: String) -> (any LayerDefinition)? { layersByName[typeName] }

    /// The function `name` (`F.relu`) of `call:`, or nil.
    public func functional(named name: String) -> FunctionalDefinition? { functionals.first { $0.name == name } }

    /// Every layer type name, in catalogue order.
    public var layerTypeNames: [String] { layers.map(\.typeName) }

    /// The loss named `typeName`, or nil.
    public func loss(named typeName: String) -> (any LossDefinition)? { losses.first { $0.typeName == typeName } }

    /// Every type name a spec may use, for suggestions.
    public var allTypeNames: [String] {
        layerTypeNames + losses.map(\.typeName) + optimizers.map(\.typeName) + schedulers.map(\.typeName)
    }

    /// The component of any kind named `typeName` with its kind ("loss", "optimizer", "scheduler"), or nil.
    public func component(named typeName: String) -> (kind: String, definition: any ComponentDefinition)? {
        // The losses upcast one by one: an array `as` conversion looks conformances up at run time.
        let kinds: [(String, [any ComponentDefinition])] = [("loss", losses.map { $0 }), ("optimizer", optimizers), ("scheduler", schedulers)]
        for (kind, definitions) in kinds {
            if let definition = definitions.first(where: { $0.typeName == typeName }) { return (kind, definition) }
        }
        return nil
    }
}

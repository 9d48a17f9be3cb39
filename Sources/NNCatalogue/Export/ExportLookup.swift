import NNSpec

extension StandardCatalogue {
    /// The PyTorch class of layer type `typeName`; nil when its entry is not an `ExportableLayer`.
    public static func pytorchClass(ofLayer typeName: String) -> PyTorchClass? {
        (layers.first { $0.typeName == typeName } as? any ExportableLayer)?.pytorchClass
    }

    /// The PyTorch class of the loss, optimizer or scheduler type `typeName`; nil when its entry is
    /// not an `ExportableComponent`.
    public static func pytorchClass(ofComponent typeName: String) -> PyTorchClass? {
        let components: [any ComponentDefinition] = losses + optimizers + schedulers
        return (components.first { $0.typeName == typeName } as? any ExportableComponent)?.pytorchClass
    }

    /// The declared arguments of the layer, loss, optimizer or scheduler type `typeName`.
    public static func declaredArguments(of typeName: String) -> [ArgumentSpec] {
        let definitions: [(String, [ArgumentSpec])] =
            layers.map { ($0.typeName, $0.arguments) } + (losses + optimizers + schedulers as [any ComponentDefinition]).map { ($0.typeName, $0.arguments) }
        return definitions.first { $0.0 == typeName }?.1 ?? []
    }
}

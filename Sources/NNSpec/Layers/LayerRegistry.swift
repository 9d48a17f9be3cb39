/// The layer catalogue: every `type:` a spec may name, looked up by its `torch.nn` class name.
public enum LayerRegistry {
    /// Every layer type, in catalogue order.
    public static let all: [any LayerDefinition] = [
        Linear(),
        Conv2d(),
        MaxPool2d(),
        AvgPool2d(),
        AdaptiveAvgPool2d(),
        BatchNorm.oneDimensional,
        BatchNorm.twoDimensional,
        LayerNorm(),
        Flatten(),
        Reshape(),
        SoftmaxLayer.softmax,
        SoftmaxLayer.logSoftmax,
        Add(),
        Concat(),
    ] + ElementwiseLayer.all

    private static let byName: [String: any LayerDefinition] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.typeName, $0) })

    /// The layer type named `typeName` (exact spelling), or nil.
    public static func layer(named typeName: String) -> (any LayerDefinition)? { byName[typeName] }

    /// Every type name, in catalogue order.
    public static var typeNames: [String] { all.map(\.typeName) }
}

/// A functional step a spec may `call:` (`F.relu`, `F.max_pool2d`, `torch.flatten`): computed by a
/// catalogue layer type's module and shape rule, with the function's own defaults, but
/// registering no module, as PyTorch code that calls `F.relu(x)` in `forward` registers none.
///
/// The list lives in NNCatalogue (`StandardCatalogue.functionals`); a new function is one entry.
public struct FunctionalDefinition: Sendable {
    /// As written in `call:`: `F.relu`, `torch.flatten`.
    public var name: String
    /// The catalogue layer type that computes it: `ReLU`, `Flatten`.
    public var layerType: String
    /// The arguments whose default differs from the layer type's (torch.flatten's `start_dim` 0).
    public var defaults: [String: ArgumentValue]

    public init(_ name: String, computedBy layerType: String, defaults: [String: ArgumentValue] = [:]) {
        self.name = name
        self.layerType = layerType
        self.defaults = defaults
    }

    /// The function's arguments: the layer type's, with the function's defaults.
    public func arguments(of layer: any LayerDefinition) -> [ArgumentSpec] {
        layer.arguments.map { argument in
            var argument = argument
            if let value = defaults[argument.name] { argument.defaultValue = value }
            return argument
        }
    }
}

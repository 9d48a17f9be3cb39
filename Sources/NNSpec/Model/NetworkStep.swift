/// One step of a container's forward pass, in spec order: a layer (an index into
/// `ValidatedSpec.layers`) or a nested container with its own steps.
public indirect enum NetworkStep: Sendable {
    case layer(Int)
    case container(ResolvedContainer)
}

/// A nested container (`{name: features, type: Sequential, layers: […]}`): a module that holds
/// children, registered in its parent under `name`, so its children's parameters are
/// `features.0.weight`, ….
public struct ResolvedContainer: Sendable {
    /// The name in the parent (`features`, or its index `3`).
    public var name: String
    /// The dotted module path from the network (`features`, `layer1.0`).
    public var path: String
    /// The class name `print(net)` shows (`Sequential`).
    public var className: String
    /// Where the input comes from, named in the parent's scope (one name).
    public var inputs: [String]
    /// The children and functional steps, in order.
    public var steps: [NetworkStep]
    public var output: TensorShape
}

/// What a layer of `ValidatedSpec.layers` is in the module tree.
public enum LayerRole: Sendable, Equatable {
    /// A module registered in its container (`conv1`, `features.0`).
    case module
    /// A functional step (`F.relu`, `torch.flatten`): computed, but registers no module.
    case functional(String)
    /// `use: relu`: the module registered earlier under this name in the same container, applied again.
    case reuse(String)
}

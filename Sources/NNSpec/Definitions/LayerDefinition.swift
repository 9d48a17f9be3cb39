/// One layer type of the catalogue: its PyTorch constructor arguments, how many inputs it takes,
/// its shape rule, and its parameters. Shape inference is separate from weight allocation:
/// nothing here allocates per parameter.
///
/// The concrete types live in NNCatalogue, each beside the module it builds (docs/extending.md).
public protocol LayerDefinition: Sendable {
    /// The `torch.nn` class name, as written in `type:`.
    var typeName: String { get }
    /// One line for the catalogue.
    var summary: String { get }
    /// Constructor arguments in PyTorch's order, with PyTorch's defaults.
    var arguments: [ArgumentSpec] { get }
    /// How many inputs the layer joins.
    var arity: LayerArity { get }
    /// The shape rule as the catalogue prints it, e.g. `[N, *, in_features] → [N, *, out_features]`.
    var shapeRule: String { get }
    /// Checks the incoming shapes against the arguments, fills in `auto` arguments, and returns the
    /// output shape, or nil when it cannot be known (the problem is reported on `check`).
    func output(_ check: inout ShapeCheck) -> InferredShape?
    /// Learnable parameters in registration order, e.g. `weight [out, in]`, `bias [out]`.
    func parameters(_ arguments: Arguments) -> [ParameterShape]
    /// Buffers (state that is saved but not learnt), e.g. BatchNorm's `running_mean`.
    func buffers(_ arguments: Arguments) -> [ParameterShape]
    /// Multiply-adds of one sample's forward pass (the weight products; bias additions,
    /// activations and pooling are not counted).
    func multAdds(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int
    /// Elements of one sample that the layer keeps from its forward pass for its backward pass,
    /// besides its output (attention weights, recurrent gates); for memory estimates.
    func savedElements(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int
    /// For a layer whose input holds token ids rather than values (an Embedding), how many ids
    /// there are: the input's elements are whole numbers below it. nil for a layer of values.
    func tokenCount(_ arguments: Arguments) -> Int?
    /// Arguments whose values are layers (TransformerEncoder's `encoder_layer`, `norm`).
    var nestedLayers: [NestedLayerKey] { get }
}

extension LayerDefinition {
    public var arity: LayerArity { .one }
    public func parameters(_ arguments: Arguments) -> [ParameterShape] { [] }
    public func buffers(_ arguments: Arguments) -> [ParameterShape] { [] }
    public func multAdds(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int { 0 }
    public func savedElements(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int { 0 }
    public func tokenCount(_ arguments: Arguments) -> Int? { nil }
    public var nestedLayers: [NestedLayerKey] { [] }
}

/// How many inputs a layer takes.
public enum LayerArity: Sendable, Equatable {
    /// One tensor (the previous layer's output, or one `from:` name).
    case one
    /// Two or more tensors named by `from:`.
    case atLeastTwo

    public var description: String {
        switch self {
        case .one: return "1"
        case .atLeastTwo: return "2 or more (from: [a, b, …])"
        }
    }
}

/// A named parameter or buffer and its shape, e.g. `weight [6, 1, 5, 5]`.
public struct ParameterShape: Hashable, Sendable {
    public var name: String
    public var shape: [Int]

    public init(_ name: String, _ shape: [Int]) {
        self.name = name
        self.shape = shape
    }

    /// Number of elements; nil when it overflows `Int`.
    public var elementCount: Int? { checkedProduct(shape) }
}

/// A layer's output shape, with how each computed size came about (for messages downstream).
public struct InferredShape: Sendable {
    public var shape: TensorShape
    /// Sample dimension index (0 = the first after the batch) → the arithmetic, e.g. "16×6×6".
    public var derivations: [Int: String]

    public init(_ shape: TensorShape, derivations: [Int: String] = [:]) {
        self.shape = shape
        self.derivations = derivations
    }
}

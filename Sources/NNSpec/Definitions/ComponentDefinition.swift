/// A loss, optimizer or scheduler type: its `torch.nn` / `torch.optim` name and constructor
/// arguments with PyTorch's defaults, and the rules that join its arguments.
public protocol ComponentDefinition: Sendable {
    /// The `torch.nn` / `torch.optim` class name, as written in `type:`.
    var typeName: String { get }
    /// One line for the catalogue.
    var summary: String { get }
    /// Constructor arguments in PyTorch's order, with PyTorch's defaults.
    var arguments: [ArgumentSpec] { get }
    /// Problems of the arguments taken together (each already in its own range), e.g. SGD's
    /// `nesterov` without momentum.
    func problems(_ arguments: Arguments) -> [ArgumentProblem]
}

extension ComponentDefinition {
    public func problems(_ arguments: Arguments) -> [ArgumentProblem] { [] }
}

/// A loss: what it needs from the network output and the data.
public protocol LossDefinition: ComponentDefinition {
    /// What the loss compares the output with.
    var target: ExpectedTarget { get }
    /// A warning when the network's last layer repeats or misses the loss's own work
    /// (`lastType`: that layer's type name), e.g. CrossEntropyLoss after Softmax.
    func warning(afterLastLayer lastType: String) -> ArgumentProblem?
}

extension LossDefinition {
    public func warning(afterLastLayer lastType: String) -> ArgumentProblem? { nil }
}

/// What a loss compares the network output with.
public enum ExpectedTarget: Sendable {
    /// Class indices [N]; the output must be logits or log-probabilities [N, C].
    case classIndices
    /// Values of the output's shape.
    case sameShapeAsOutput
}

/// A problem a definition finds in its resolved arguments, reported at `argument`'s value (or at
/// the `type:` when nil).
public struct ArgumentProblem: Sendable, Equatable {
    public var message: String
    public var argument: String?
    public var hint: String?

    public init(_ message: String, argument: String? = nil, hint: String? = nil) {
        self.message = message
        self.argument = argument
        self.hint = hint
    }
}

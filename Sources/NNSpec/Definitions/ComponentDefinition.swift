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
    /// The list of components of the same catalogue written inside this one, if any
    /// (SequentialLR's `schedulers`).
    var nestedComponents: NestedComponents? { get }
    /// Problems of the nested components with the arguments (SequentialLR: one milestone fewer
    /// than schedulers), reported at the argument.
    func problems(_ arguments: Arguments, nested: [ResolvedComponent]) -> [ArgumentProblem]
    /// Why the component at `index` of the nested list may not stand there, or nil; reported at its `type:`.
    func refusal(ofNested component: ResolvedComponent, at index: Int) -> ArgumentProblem?
}

extension ComponentDefinition {
    public func problems(_ arguments: Arguments) -> [ArgumentProblem] { [] }
    public var nestedComponents: NestedComponents? { nil }
    public func problems(_ arguments: Arguments, nested: [ResolvedComponent]) -> [ArgumentProblem] { [] }
    public func refusal(ofNested component: ResolvedComponent, at index: Int) -> ArgumentProblem? { nil }
}

/// A key whose value is a non-empty list of components of the owner's own catalogue, each a type
/// name or a mapping with `type:` (SequentialLR's `schedulers: [{type: LinearLR, …}, …]`).
public struct NestedComponents: Sendable {
    /// The key, as PyTorch's constructor argument names it.
    public var name: String
    /// One line for the catalogue.
    public var summary: String

    /// The value's type in words, for the catalogue.
    public static let typeDescription = "list of type names or mappings with type"

    public init(_ name: String, _ summary: String) {
        self.name = name
        self.summary = summary
    }
}

/// A loss: what it needs from the network output and the data.
public protocol LossDefinition: ComponentDefinition {
    /// What the loss compares the output with.
    var target: ExpectedTarget { get }
    /// True when the targets must be probabilities in [0, 1] (BCELoss, as PyTorch checks them), so
    /// `source: random` draws them uniform in [0, 1) instead of from a standard normal.
    var takesProbabilities: Bool { get }
    /// A warning when the network's last layer repeats or misses the loss's own work
    /// (`lastType`: that layer's type name), e.g. CrossEntropyLoss after Softmax.
    func warning(afterLastLayer lastType: String) -> ArgumentProblem?
}

extension LossDefinition {
    public func warning(afterLastLayer lastType: String) -> ArgumentProblem? { nil }
    public var takesProbabilities: Bool { false }
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

/// A spec that passed validation: everything the builder and trainer need, resolved and typed.
///
/// Get one with `SpecValidator.standard.validate(file:)`; `ValidationResult.spec` is non-nil exactly when
/// no error was found:
///
///     let result = SpecValidator.standard.validate(file: "examples/lenet.yaml")   // import NNCatalogue
///     guard let spec = result.spec else {
///         print(DiagnosticTextRenderer(colored: false).render(result.diagnostics, source: result.source))
///         exit(1)
///     }
///     for layer in spec.layers {            // in order; layer.inputs name earlier layers or "input"
///         switch layer.typeName {
///         case "Linear":
///             let inFeatures = layer.arguments.integer("in_features")!   // `auto` already inferred
///         case "Conv2d":
///             let kernel = layer.arguments.pair("kernel_size")!          // (height, width)
///         …
///
/// Every argument of the catalogue is present (given or defaulted; `padding: same` and pooling's
/// `stride: None` resolved to numbers), so the builder reads values and never applies defaults.
/// Layer names follow PyTorch: a layer's `name:`, or its index in `layers` as `nn.Sequential`
/// names children ("3"), so parameter names are `fc1.weight`, `3.bias`; a layer inside a nested
/// container is named by its dotted path (`features.0`).
public struct ValidatedSpec: Sendable {
    /// The module's class name (`name:`, default "Net").
    public var name: String
    public var summary: String?
    /// The network input, e.g. [N, 1, 32, 32]; dimension 0 is the batch.
    public var input: TensorShape
    /// Where `input:` is written, for messages about data that does not fit it.
    public var inputMark: SourceMark?
    /// Every layer in forward order (nested containers' layers in place), each with its inputs
    /// and shapes resolved.
    public var layers: [ResolvedLayer]
    /// The network's own steps: its layers and nested containers, as the module tree holds them.
    public var steps: [NetworkStep]
    /// The last layer's output.
    public var output: TensorShape
    /// How many token ids the input holds when its first layer takes ids (an Embedding: the input's
    /// elements are whole numbers below this); nil when the input holds values.
    public var inputTokenCount: Int? { layers.first?.tokenCount }
    public var loss: ResolvedLoss?
    public var optimizer: ResolvedComponent?
    public var data: DataSpec?
    public var train: TrainSettings
    public var expect: Expectations
    /// The directory of the spec file: relative data paths are resolved against it.
    public var baseDirectory: String

    /// Learnable parameters as `named_parameters()` lists them: `conv1.weight [6, 1, 5, 5]`, …
    public var namedParameters: [ParameterShape] {
        layers.flatMap { layer in layer.parameters.map { ParameterShape("\(layer.name).\($0.name)", $0.shape) } }
    }

    /// Buffers as `named_buffers()` lists them: `bn1.running_mean [16]`, …
    public var namedBuffers: [ParameterShape] {
        layers.flatMap { layer in layer.buffers.map { ParameterShape("\(layer.name).\($0.name)", $0.shape) } }
    }

    /// The number of learnable parameters (all are trainable).
    public var parameterCount: Int { saturatingSum(layers.map(\.parameterCount)) }

    /// Multiply-adds of one sample's forward pass.
    public var multAdds: Int { saturatingSum(layers.map(\.multAdds)) }

    /// Float32 elements of every layer's output for one sample (the activations a forward pass keeps).
    public var activationElementsPerSample: Int {
        saturatingSum(layers.map { $0.output.sampleElementCount ?? Int.max })
    }
}

/// One layer, resolved.
public struct ResolvedLayer: Sendable {
    /// The PyTorch module name: the spec's `name:`, or the layer's index ("3"), after its
    /// containers' names (`features.0`, `layer1.0.conv1`).
    public var name: String
    /// The name in its container (`conv1`, `0`); `inputs` name its siblings.
    public var localName: String
    /// A registered module, a functional step or a module applied again.
    public var role: LayerRole
    /// True when the spec named the layer (false: named by index).
    public var isNamed: Bool
    /// The `torch.nn` class name.
    public var typeName: String
    /// Every constructor argument, defaults filled in and `auto` inferred.
    public var arguments: Arguments
    /// The layers written as its arguments (TransformerEncoder's `encoder_layer`, `norm`), in the
    /// order the definition declares them; their parameters are in `parameters` under their copies' names.
    public var nested: [NestedLayer] = []
    /// Where the inputs come from: "input" (its container's input) or earlier steps' local names in
    /// the same container (`name` or index string). A layer without `from:` lists the previous step here.
    public var inputs: [String]
    public var inputShapes: [TensorShape]
    public var output: TensorShape
    /// Learnable parameters in registration order with PyTorch's shapes (none for a functional
    /// step or a module applied again: they belong to the registered module).
    public var parameters: [ParameterShape]
    /// Buffers (BatchNorm's running statistics).
    public var buffers: [ParameterShape]
    /// Multiply-adds of one sample's forward pass.
    public var multAdds: Int
    /// Elements of one sample kept for the backward pass besides the output (attention weights …).
    public var savedElements: Int = 0
    /// Where the layer is written in the spec.
    public var mark: SourceMark
    /// How many token ids its input may hold, for a layer that takes ids (an Embedding); nil for values.
    public var tokenCount: Int? = nil

    public var parameterCount: Int { saturatingSum(parameters.map { $0.elementCount ?? Int.max }) }

    /// The type as the summary shows it: `Linear`, or a functional step's function (`F.relu`).
    public var typeLabel: String {
        if case .functional(let function) = role { function } else { typeName }
    }
}

/// A resolved loss, optimizer or scheduler: its type name and every argument.
public struct ResolvedComponent: Sendable {
    public var typeName: String
    public var arguments: Arguments
    /// Where the spec writes its `type:`, for errors found only when it is built.
    public var mark: SourceMark?
    /// The components written inside it (SequentialLR's `schedulers`), in order.
    public var nested: [ResolvedComponent] = []
}

/// The resolved loss: its type name, every argument, and what it compares the output with.
public struct ResolvedLoss: Sendable {
    public var typeName: String
    public var arguments: Arguments
    public var target: ExpectedTarget
    /// The targets are probabilities in [0, 1] (BCELoss); random data draws them uniform in [0, 1).
    public var takesProbabilities = false
    /// Where the spec writes its `type:`, for errors found only when it is built.
    public var mark: SourceMark?
}

/// The `train:` block.
public struct TrainSettings: Sendable {
    /// Passes over the training data (default 1).
    public var epochs: Int
    /// Stop after this many optimizer steps, when given.
    public var steps: Int?
    /// Seeds initialisation, shuffling and random data (default 0).
    public var seed: Int
    /// A learning-rate scheduler stepped once per epoch.
    public var scheduler: ResolvedComponent?
    /// Gradient clipping between each backward pass and optimizer step.
    public var clipGradNorm: GradientClipping? = nil
}

/// The `expect:` block: what `nnspec test` checks.
public struct Expectations: Sendable {
    /// The tolerance of `final_loss` and `golden` when none is written.
    public static let defaultTolerance = 1e-5

    public var parameters: Int?
    public var output: TensorShape?
    /// Name → shape for the listed parameters (all or some).
    public var namedParameters: [ParameterShape]
    /// `train:` — how the test trains, where it differs from the spec's own `train:` settings.
    public var training: TestTraining?
    /// After training, the final training loss must be below this.
    public var lossBelow: Double?
    /// After training, the final training loss must be above this.
    public var lossAbove: Double?
    /// After training, test accuracy (0…1) must be at least this.
    public var accuracyAtLeast: Double?
    /// After training, the mean test loss (the `data: test:` split) must be below this.
    public var testLossBelow: Double?
    /// After training, the final training loss must be this value within the tolerance.
    public var finalLoss: (value: Double, tolerance: Double)?
    /// A file of recorded values (path relative to the spec) and the tolerance to compare them with.
    public var golden: (file: String, tolerance: Double)?
    /// Where each expectation is written, for reporting a failed one.
    var marks: [String: SourceMark]

    /// Where the expectation `key` ("parameters", "output", "named_parameters.fc1.weight") is written.
    public func mark(of key: String) -> SourceMark? { marks[key] }

    /// True when checking the block needs a training run.
    public var needsTraining: Bool {
        training != nil || lossBelow != nil || lossAbove != nil || accuracyAtLeast != nil || testLossBelow != nil || finalLoss != nil || golden != nil
    }
}

/// `expect: {train: {steps, epochs, init}}`: how `nnspec test` trains; nil entries keep the spec's settings.
public struct TestTraining: Sendable, Equatable {
    public var steps: Int?
    public var epochs: Int?
    /// A safetensors state dict (PyTorch's names) to start from instead of the seed's weights,
    /// resolved as data paths are (absolute, or joined to the spec's directory).
    public var initialWeights: String?

    public init(steps: Int? = nil, epochs: Int? = nil, initialWeights: String? = nil) {
        self.steps = steps
        self.epochs = epochs
        self.initialWeights = initialWeights
    }
}

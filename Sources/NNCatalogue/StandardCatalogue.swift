import NN
import NNSpec
import NNTensor

/// nnspec's catalogue: every layer, loss, optimizer and scheduler type a spec may name, each a
/// definition that also builds its `NN` object. The lists are typed by the building protocols, so
/// the compiler refuses an entry without a builder; the validator reads the same lists.
public enum StandardCatalogue {
    /// Every layer type, in catalogue order (`nnspec layers` prints them so).
    public static let layers: [any BuildableLayer] = [
        LinearDefinition(),
        Conv1dDefinition(),
        Conv2dDefinition(),
        ConvTranspose2dDefinition(),
        UpsampleDefinition(),
        MaxPool1dDefinition(),
        MaxPool2dDefinition(),
        AvgPool1dDefinition(),
        AvgPool2dDefinition(),
        AdaptiveAvgPool1dDefinition(),
        AdaptiveAvgPool2dDefinition(),
        BatchNormDefinition.oneDimensional,
        BatchNormDefinition.twoDimensional,
        LayerNormDefinition(),
        GroupNormDefinition(),
        InstanceNorm2dDefinition(),
        FlattenDefinition(),
        ReshapeDefinition(),
        TransposeDefinition(),
        SoftmaxDefinition.softmax,
        SoftmaxDefinition.logSoftmax,
        AddDefinition(),
        ConcatDefinition(),
        EmbeddingDefinition(),
        RecurrentDefinition.rnn,
        RecurrentDefinition.lstm,
        RecurrentDefinition.gru,
        MultiheadAttentionDefinition(),
        TransformerLayerDefinition.encoder, TransformerEncoderDefinition(),
        TransformerLayerDefinition.decoder,
        LearnedPositionalEmbeddingDefinition(),
    ] + ElementwiseDefinition.all

    public static let losses: [any BuildableLoss] = [
        MSELossDefinition(),
        L1LossDefinition(),
        SmoothL1LossDefinition(),
        CrossEntropyLossDefinition(),
        NLLLossDefinition(),
        BCELossDefinition(),
        BCEWithLogitsLossDefinition(),
    ]

    public static let optimizers: [any BuildableOptimizer] = [
        SGDDefinition(), AdamDefinition.adam, AdamDefinition.adamW, RMSpropDefinition(),
        AdadeltaDefinition(), AdagradDefinition(), NAdamDefinition(), RAdamDefinition(),
    ]

    /// Learning-rate schedulers, stepped once per epoch (ReduceLROnPlateau with the epoch's loss;
    /// OneCycleLR after every optimizer step).
    public static let schedulers: [any BuildableScheduler] = [
        StepLRDefinition(), ExponentialLRDefinition(), CosineAnnealingLRDefinition(), LinearLRDefinition(),
        ReduceLROnPlateauDefinition(), OneCycleLRDefinition(), SequentialLRDefinition(),
    ]

    /// The lists as the validator reads them. Each element is upcast on its own (`map`): an array's
    /// `as` conversion would look every type's conformance up at run time, a millisecond of every
    /// command's start.
    public static let catalogue = Catalogue(
        layers: layers.map { $0 }, losses: losses.map { $0 }, optimizers: optimizers.map { $0 }, schedulers: schedulers.map { $0 },
        functionals: functionals)

    private static let layersByName = Dictionary(uniqueKeysWithValues: layers.map { ($0.typeName, $0) })

    /// The module of one resolved layer, its parameters drawn from `generator`.
    public static func module(for layer: ResolvedLayer, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let arguments = BuildArguments(layer: layer)
        guard let definition = layersByName[layer.typeName] else { throw arguments.failure("not a layer type of the catalogue") }
        return try definition.module(arguments, generator: &generator)
    }

    /// The module of a layer written as an argument of `owner` (TransformerEncoder's `encoder_layer`).
    public static func module(forNested layer: NestedLayer, of owner: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let arguments = BuildArguments(layer.arguments, owner: "\(owner.owner) \(layer.key) (\(layer.typeName))", mark: layer.mark)
        guard let definition = layersByName[layer.typeName] else { throw arguments.failure("not a layer type of the catalogue") }
        return try definition.module(arguments, generator: &generator)
    }

    /// The `NN` loss of a spec's `loss:`.
    public static func loss(for loss: ResolvedLoss) throws(BuildError) -> any Loss {
        let arguments = BuildArguments("loss", typeName: loss.typeName, arguments: loss.arguments, mark: loss.mark)
        return try named(loss.typeName, in: losses, \.typeName, arguments).loss(arguments)
    }

    /// The optimizer of a spec's `optimizer:` over `parameters`; `learningRate` replaces the spec's `lr` when given (`--lr`).
    public static func optimizer(
        for optimizer: ResolvedComponent, parameters: [Variable], learningRate: Double? = nil
    ) throws(BuildError) -> any Optimizer {
        let arguments = BuildArguments("optimizer", typeName: optimizer.typeName, arguments: optimizer.arguments, mark: optimizer.mark)
        let definition = try named(optimizer.typeName, in: optimizers, \.typeName, arguments)
        let lr = if let learningRate { learningRate } else { try arguments.real("lr") }
        return try definition.optimizer(arguments, parameters: parameters, learningRate: lr)
    }

    /// The scheduler of a spec's `train: scheduler:`, stepping `optimizer` in a run of `runSteps` optimizer steps.
    public static func scheduler(for scheduler: ResolvedComponent, optimizer: any Optimizer, runSteps: Int) throws(BuildError) -> any LRScheduler {
        var arguments = BuildArguments("scheduler", typeName: scheduler.typeName, arguments: scheduler.arguments, mark: scheduler.mark)
        arguments.nested = scheduler.nested
        return try named(scheduler.typeName, in: schedulers, \.typeName, arguments).scheduler(arguments, optimizer: optimizer, runSteps: runSteps)
    }

    /// The definition named `typeName` (`name` reads a definition's name).
    private static func named<Definition>(
        _ typeName: String, in definitions: [Definition], _ name: (Definition) -> String, _ arguments: BuildArguments
    ) throws(BuildError) -> Definition {
        guard let definition = definitions.first(where: { name($0) == typeName }) else {
            throw arguments.failure("not a type of the catalogue")
        }
        return definition
    }
}

extension SpecValidator {
    /// Validates against the standard catalogue.
    public static let standard = SpecValidator(catalogue: StandardCatalogue.catalogue)
}

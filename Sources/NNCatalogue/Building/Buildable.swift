import NN
import NNSpec
import NNTensor

/// A layer type that builds its module: its spec definition (arguments, shape rule, parameters)
/// and its construction in one place, so a catalogue entry cannot lack a builder.
public protocol BuildableLayer: LayerDefinition {
    /// The module of one resolved layer, with PyTorch's constructor arguments. Parameters are
    /// drawn from `generator` as the module is made, in the order PyTorch's constructor draws them.
    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module
}

/// A loss type that builds its `NN` loss.
public protocol BuildableLoss: LossDefinition {
    func loss(_ arguments: BuildArguments) throws(BuildError) -> any Loss
}

/// An optimizer type that builds its `NN` optimizer over `parameters` with learning rate
/// `learningRate` (the spec's `lr`, or `--lr`).
public protocol BuildableOptimizer: ComponentDefinition {
    func optimizer(_ arguments: BuildArguments, parameters: [Variable], learningRate: Double) throws(BuildError) -> any Optimizer
}

/// A learning-rate scheduler type that builds its `NN` scheduler over `optimizer`, for a run of
/// `runSteps` optimizer steps (OneCycleLR's default total_steps).
public protocol BuildableScheduler: ComponentDefinition {
    func scheduler(_ arguments: BuildArguments, optimizer: any Optimizer, runSteps: Int) throws(BuildError) -> any LRScheduler
}

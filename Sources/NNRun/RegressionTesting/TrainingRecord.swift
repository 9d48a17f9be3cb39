import NN
import NNSpec

/// What one training run of a spec showed: the values `expect:` checks after training.
public struct TrainingRecord: Sendable {
    /// The training loss of every optimizer step, in order.
    public var losses: [Double]
    /// The mean loss over the test split after training, when the data has one.
    public var testLoss: Double?
    /// The fraction (0…1) of test samples classified correctly, when the data has a test split with classes.
    public var testAccuracy: Double?
    /// The state dict after training (parameters and buffers), in PyTorch's order.
    public var finalState: [NamedTensor]

    public init(losses: [Double], testLoss: Double? = nil, testAccuracy: Double? = nil, finalState: [NamedTensor]) {
        self.losses = losses
        self.testLoss = testLoss
        self.testAccuracy = testAccuracy
        self.finalState = finalState
    }

    /// The loss of the last step: what `loss_below`, `loss_above` and `final_loss` compare.
    public var finalLoss: Double? { losses.last }
}

/// Trains a spec for the regression runner. The runner has already applied `expect: train:`'s
/// length, so `spec.train` holds the epochs, steps and seed to use; `initialWeights`, when given,
/// is a safetensors state dict to start from instead of the seed's weights.
public protocol SpecTrainer: Sendable {
    func train(_ spec: ValidatedSpec, initialWeights: String?) throws -> TrainingRecord
}

/// A learning-rate schedule over epochs, as `torch.optim.lr_scheduler.LRScheduler`: created after its
/// optimizer (epoch 0; the rate unchanged except where PyTorch's constructor sets it: LinearLR,
/// OneCycleLR, SequentialLR), then `step()` once per epoch after the optimizer's steps (`stepsPerBatch`: after
/// every optimizer step). Each schedule gives the next rate from the current one (PyTorch's recursive `get_lr`), so
/// rates set on the optimizer by other code carry into the schedule as they do in PyTorch.
public protocol LRScheduler: AnyObject {
    var optimizer: any Optimizer { get }
    /// Epochs stepped so far (`last_epoch`); restored with a checkpoint.
    var lastEpoch: Int { get set }

    /// True when the schedule steps after every optimizer step (OneCycleLR) instead of every epoch;
    /// `lastEpoch` then counts steps.
    var stepsPerBatch: Bool { get }

    /// The learning rate for `epoch` (≥ 1) given the rate `current` in use at `epoch − 1`.
    func learningRate(atEpoch epoch: Int, current: Double) -> Double
    /// The rate at epoch 0 of a schedule whose rate was `rate` (PyTorch's `get_lr()` at
    /// `last_epoch` 0, and its closed form there from the base rate): `rate`, or rate·start_factor
    /// for LinearLR.
    func startingRate(from rate: Double) -> Double
    /// Advances one epoch (or step) and sets the optimizer's learning rate.
    func step()
    /// Ends an epoch whose loss was `metric`: `step()`, except for a scheduler that judges the
    /// metric (ReduceLROnPlateau).
    func step(metric: Double)
    /// What a checkpoint must keep besides `lastEpoch` and the rate, by name (none by default).
    var checkpointState: [String: Double] { get }
    /// Restores `checkpointState`; throws naming a missing or unknown entry.
    func restore(checkpointState: [String: Double]) throws(OptimizerError)
}

extension LRScheduler {
    public var stepsPerBatch: Bool { false }

    public func startingRate(from rate: Double) -> Double { rate }

    public func step() {
        lastEpoch += 1
        optimizer.learningRate = learningRate(atEpoch: lastEpoch, current: optimizer.learningRate)
    }

    public func step(metric: Double) { step() }

    public var checkpointState: [String: Double] { [:] }

    public func restore(checkpointState: [String: Double]) throws(OptimizerError) {
        if let name = checkpointState.keys.sorted().first {
            throw .invalidState("the scheduler keeps no state '\(name)'")
        }
    }

    /// The learning rate in use now (`get_last_lr()[0]`).
    public var lastLearningRate: Double { optimizer.learningRate }
}

import NNTensor

/// Where a run is: the epoch (0-based), the next batch within it, and the optimizer steps done.
/// Between steps `batch` is always below the epoch's batch count: an epoch's end (scheduler step,
/// test evaluation) is processed right after its last step.
public struct TrainingPosition: Equatable, Sendable {
    public var epoch = 0
    public var batch = 0
    public var step = 0

    public init(epoch: Int = 0, batch: Int = 0, step: Int = 0) {
        self.epoch = epoch
        self.batch = batch
        self.step = step
    }
}

/// One finished optimizer step.
public struct StepRecord: Sendable {
    /// 1-based, counted over the whole run (a resumed run continues the count).
    public var step: Int
    public var totalSteps: Int
    /// 0-based.
    public var epoch: Int
    /// The epochs the run spans.
    public var epochs: Int
    /// The batch just trained on, 0-based within the epoch.
    public var batch: Int
    public var batchesPerEpoch: Int
    public var samples: Int
    public var loss: Float
    /// The learning rate the step used.
    public var learningRate: Double
}

/// A finished epoch: its mean training loss (per sample) and the test metrics, if there is test data.
public struct EpochRecord: Sendable {
    /// 0-based.
    public var epoch: Int
    public var epochs: Int
    /// The step that ended the epoch.
    public var step: Int
    /// The mean training loss of the steps run in this epoch by this process (nil after a resume
    /// at the epoch's end).
    public var trainLoss: Double?
    public var test: Evaluation?
}

/// Why a checkpoint was written.
public enum CheckpointReason: Sendable {
    case periodic, final, interrupted
}

/// What a run reports while it trains: progress displays and logs implement the methods they need.
public protocol TrainingObserver: AnyObject {
    func stepFinished(_ record: StepRecord)
    func epochFinished(_ record: EpochRecord)
    /// The watched parameter's gradient before (`afterBackward` false; nil: no gradient) and after
    /// the run's first backward pass.
    func watchedGradient(name: String, afterBackward: Bool, gradient: Tensor?)
    func checkpointWritten(path: String, step: Int, reason: CheckpointReason)
    /// Brings the files the observer writes up to date: called at each epoch's end, before each
    /// checkpoint is written (so no file lags behind the checkpoint) and when the run stops.
    func persist() throws(TrainingError)
}

extension TrainingObserver {
    public func stepFinished(_ record: StepRecord) {}
    public func epochFinished(_ record: EpochRecord) {}
    public func watchedGradient(name: String, afterBackward: Bool, gradient: Tensor?) {}
    public func checkpointWritten(path: String, step: Int, reason: CheckpointReason) {}
    public func persist() throws(TrainingError) {}
}

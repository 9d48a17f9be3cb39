import NN
import NNCatalogue
import NNSpec
import NNTensor

/// Trains the network of a validated spec on its data, as PyTorch's loop does: per step
/// `zero_grad`, forward, loss, `backward`, `clip_grad_norm_` (when the spec asks), `optimizer.step()`
/// (and a per-batch scheduler's step, OneCycleLR's); per epoch `scheduler.step()` and a
/// test evaluation (eval mode, no graph).
///
/// A run is a function of the spec (with its seed and batch size) and the thread count: the initial
/// weights come from a generator seeded with `train.seed`, the order of each epoch's batches from
/// `(seed, epoch)` alone, dropout masks from generators saved in checkpoints. So two runs give
/// bit-identical losses, and a run resumed from a checkpoint gives the losses the uninterrupted run
/// would have given.
public final class Trainer {
    /// The spec with the run's overrides applied.
    public let spec: ValidatedSpec
    public let network: Module
    public let loss: any Loss
    public let optimizer: any Optimizer
    public let scheduler: (any LRScheduler)?
    public let data: SpecData
    /// Optimizer steps of the whole run: `train.steps`, else epochs × batches per epoch.
    public let totalSteps: Int
    /// The epochs the run spans (the last one may be cut short by `train.steps`).
    public let epochs: Int
    public var position = TrainingPosition()
    /// The thread count the run was asked for (`--threads`), recorded in checkpoints.
    public var threads = 1
    public var observers: [any TrainingObserver] = []
    /// Where checkpoints go and how often; nil: none are written.
    public var checkpoints: CheckpointPolicy?
    /// The system calls checkpoints are written through.
    var fileOutput = FileOutput.system
    /// Raised (by SIGINT) to stop after the current step.
    public var interruption: InterruptFlag?
    /// The parameter whose gradient observers see around the first backward pass of this process.
    public private(set) var watchedParameter: String?
    /// The loss of the last step this process ran.
    public private(set) var lastLoss: Float?
    /// The latest test evaluation.
    public private(set) var lastEvaluation: Evaluation?
    /// Samples trained on by this process, for throughput.
    public private(set) var samplesTrained = 0
    /// Time this process spent in training steps (batch loading included, evaluation and checkpoints not).
    public private(set) var trainingTime = Duration.zero

    /// Whether steps may run through a `TrainingPlan` (false: always through autograd, to compare).
    var usesTrainingPlans = true
    private let reduction: Reduction
    private var plans = TrainingPlans()
    /// The current epoch's training loss so far (restored with a checkpoint, so a resumed epoch's mean is whole).
    var epochLoss = RunningMean()
    private let clock = ContinuousClock()

    /// Builds the network (weights drawn from `train.seed`), the loss, the optimizer (with
    /// `learningRate` instead of the spec's `lr` when given), the scheduler and the data.
    public init(spec: ValidatedSpec, learningRate: Double? = nil) throws(TrainingError) {
        guard let lossComponent = spec.loss, let optimizerComponent = spec.optimizer else {
            throw .invalidOption("\(spec.name) has no \(spec.loss == nil ? "loss:" : "optimizer:"), so it cannot be trained")
        }
        let reduction = try Self.reduction(of: lossComponent, needed: "training")
        do throws(BuildError) {
            var generator = RandomGenerator(seed: UInt64(bitPattern: Int64(spec.train.seed)))
            network = try NetworkBuilder.build(spec, generator: &generator)
            loss = try StandardCatalogue.loss(for: lossComponent)
            optimizer = try StandardCatalogue.optimizer(
                for: optimizerComponent, parameters: network.parameters(), learningRate: learningRate)
        } catch {
            throw .build(error)
        }
        do throws(DataError) {
            data = try SpecData(spec: spec)
        } catch {
            throw .data(error)
        }
        self.spec = spec
        self.reduction = reduction
        let batchesPerEpoch = data.train.batchCount
        let (epochSteps, overflow) = spec.train.epochs.multipliedReportingOverflow(by: batchesPerEpoch)
        guard spec.train.steps != nil || !overflow else {
            throw .invalidOption("\(spec.train.epochs) epochs of \(batchesPerEpoch) batches are more steps than can be counted")
        }
        totalSteps = spec.train.steps ?? epochSteps
        epochs = max(1, totalSteps / batchesPerEpoch + (totalSteps % batchesPerEpoch == 0 ? 0 : 1))
        do throws(BuildError) {
            scheduler = try spec.train.scheduler.map { [optimizer, totalSteps] (component) throws(BuildError) in
                try StandardCatalogue.scheduler(for: component, optimizer: optimizer, runSteps: totalSteps)
            }
        } catch {
            throw .build(error)
        }
    }

    /// The loss's reduction, 'mean' or 'sum'; 'none' (one loss per element) is refused, naming what
    /// `needed` a single number.
    static func reduction(of loss: ResolvedLoss, needed purpose: String) throws(TrainingError) -> Reduction {
        let name = loss.arguments.text("reduction")
        guard let reduction = name.flatMap(Reduction.init(rawValue:)), reduction != .none else {
            throw .invalidOption("loss \(loss.typeName) has reduction '\(name ?? "none")', one loss per element; \(purpose) needs 'mean' or 'sum'")
        }
        return reduction
    }

    /// Shows observers `name`'s gradient before and after the next backward pass; throws when the
    /// network has no such parameter, listing those it has.
    public func watchGradient(of name: String) throws(TrainingError) {
        let names = network.namedParameters().map(\.name)
        guard names.contains(name) else {
            throw .invalidOption("--show-grad: no parameter named '\(name)'; the parameters are \(names.joined(separator: ", "))")
        }
        watchedParameter = name
    }

    public enum Outcome: Equatable, Sendable {
        case finished
        /// Stopped by `interruption` after a step.
        case interrupted
    }

    /// Trains from `position` to `totalSteps`, writing checkpoints as `checkpoints` says and a
    /// final one; stops early (after a checkpoint) when `interruption` is raised.
    public func run() throws(TrainingError) -> Outcome {
        network.train()
        let batchesPerEpoch = data.train.batchCount
        var batch = Batch.empty
        var epochBatches: EpochBatches?
        while position.step < totalSteps {
            if interruption?.isRaised == true {
                try writeCheckpoint(.interrupted)
                return .interrupted
            }
            let stepStart = clock.now
            do throws(DataError) {
                if epochBatches?.epoch != position.epoch { epochBatches = try data.train.batches(epoch: position.epoch) }
                try epochBatches!.fill(&batch, with: position.batch)
            } catch {
                throw .data(error)
            }
            let learningRate = optimizer.learningRate
            let value = try step(on: batch)
            trainingTime += clock.now - stepStart
            samplesTrained += batch.count
            epochLoss.add(Double(value), weight: batch.count)
            lastLoss = value
            let record = StepRecord(step: position.step + 1, totalSteps: totalSteps, epoch: position.epoch, epochs: epochs,
                                    batch: position.batch, batchesPerEpoch: batchesPerEpoch, samples: batch.count,
                                    loss: value, learningRate: learningRate)
            position.batch += 1
            position.step += 1
            for observer in observers { observer.stepFinished(record) }
            if position.batch == batchesPerEpoch { try finishEpoch() }
            if let every = checkpoints?.every, position.step % every == 0, position.step < totalSteps {
                try writeCheckpoint(.periodic)
            }
        }
        if position.batch > 0, let test = data.test {
            lastEvaluation = try evaluate(on: test)
        }
        try writeCheckpoint(.final)
        return .finished
    }

    /// One optimizer step on `batch`; returns its loss. A non-finite loss stops before the backward
    /// pass, so the parameters stay those of the last good step. The step runs through a
    /// `TrainingPlan` when the network and loss have one for the batch's shape (the same losses and
    /// gradients, bit for bit, without building a graph), else through autograd.
    private func step(on batch: Batch) throws(TrainingError) -> Float {
        let stepNumber = position.step + 1
        let value: Float, pendingBackward: PendingBackward
        let randomness = RandomnessSnapshot(of: network)
        do throws(NNError) {
            optimizer.zeroGrad()
            if usesTrainingPlans, case .classes(let indices, _) = batch.targets,
               let plan = plans.plan(for: batch.inputs.shape, network: network, loss: loss) {
                value = try plan.forward(batch.inputs, classes: indices)
                pendingBackward = .planned(plan)
            } else {
                let lossVariable = try loss(network(Variable(batch.inputs)), batch.targets.lossTarget)
                value = lossVariable.value.scalars[0]
                pendingBackward = .recorded(lossVariable)
            }
        } catch {
            throw .computation(step: stepNumber, error.description)
        }
        guard value.isFinite else {
            let layer = NonFiniteProbe.firstNonFiniteLayer(of: network, layers: spec.layers, steps: spec.steps,
                                                           input: batch.inputs, replaying: randomness)
            throw .nonFinite(step: stepNumber, epoch: position.epoch, loss: value, layer: layer)
        }
        let watched = watchedParameter.flatMap { name in network.namedParameters().first { $0.name == name } }
        if let watched { for observer in observers { observer.watchedGradient(name: watched.name, afterBackward: false, gradient: watched.parameter.grad) } }
        do throws(NNError) {
            try pendingBackward.run()
        } catch {
            throw .computation(step: stepNumber, error.description)
        }
        if let watched {
            for observer in observers { observer.watchedGradient(name: watched.name, afterBackward: true, gradient: watched.parameter.grad) }
            watchedParameter = nil
        }
        if let clipping = spec.train.clipGradNorm {
            clipGradNorm(optimizer.parameters, maxNorm: clipping.maxNorm, normType: clipping.normType)
        }
        do throws(OptimizerError) {
            try optimizer.step()
        } catch {
            throw .computation(step: stepNumber, error.description)
        }
        if let scheduler, scheduler.stepsPerBatch { scheduler.step() }
        return value
    }

    /// The end of epoch `position.epoch`: the test evaluation, the scheduler's step (given the test
    /// loss, or without a test split the epoch's mean training loss, which ReduceLROnPlateau judges),
    /// the report.
    private func finishEpoch() throws(TrainingError) {
        let test = try data.test.map { (loader) throws(TrainingError) in try evaluate(on: loader) }
        if let test { lastEvaluation = test }
        if let scheduler, !scheduler.stepsPerBatch { scheduler.step(metric: test?.loss ?? epochLoss.mean ?? .nan) }
        let record = EpochRecord(epoch: position.epoch, epochs: epochs, step: position.step,
                                 trainLoss: epochLoss.mean, test: test)
        epochLoss = RunningMean()
        position.epoch += 1
        position.batch = 0
        for observer in observers { observer.epochFinished(record) }
        try persistObservers()
    }

    /// Lets every observer bring its files up to date (see `TrainingObserver.persist()`).
    public func persistObservers() throws(TrainingError) {
        for observer in observers { try observer.persist() }
    }

    /// The mean loss and accuracy over `loader` in evaluation mode, without recording a graph.
    public func evaluate(on loader: DataLoader) throws(TrainingError) -> Evaluation {
        network.eval()
        defer { network.train() }
        do throws(NNError) {
            return try Evaluation.measure(network: network, loss: loss, reduction: reduction, loader: loader)
        } catch {
            throw .computation(step: position.step, "evaluating the test data: \(error.description)")
        }
    }

    private func writeCheckpoint(_ reason: CheckpointReason) throws(TrainingError) {
        guard let checkpoints else { return }
        try persistObservers()
        let path = try Checkpoint(of: self).write(toDirectory: checkpoints.directory, output: fileOutput)
        for observer in observers { observer.checkpointWritten(path: path, step: position.step, reason: reason) }
    }
}

/// A sample-weighted mean of batch losses.
struct RunningMean {
    /// Σ loss·samples and Σ samples.
    var sum = 0.0
    var weight = 0

    mutating func add(_ value: Double, weight: Int) {
        sum += value * Double(weight)
        self.weight += weight
    }

    var mean: Double? { weight > 0 ? sum / Double(weight) : nil }
}

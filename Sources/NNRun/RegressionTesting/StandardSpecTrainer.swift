import NN
import NNSpec

/// The trainer `nnspec train` uses, run quietly: the spec's weights from its seed, its data, loss,
/// optimizer and scheduler, for `spec.train`'s steps or epochs. Records each step's loss, the
/// last test evaluation and the final state dict.
public struct StandardSpecTrainer: SpecTrainer {
    public init() {}

    public func train(_ spec: ValidatedSpec) throws -> TrainingRecord {
        let trainer = try Trainer(spec: spec)
        let recorder = LossRecorder()
        trainer.observers = [recorder]
        _ = try trainer.run()
        let state = trainer.network.stateDictionary().map { NamedTensor($0.name, $0.variable.value) }
        return TrainingRecord(
            losses: recorder.losses, testLoss: trainer.lastEvaluation?.loss, testAccuracy: trainer.lastEvaluation?.accuracy,
            finalState: state)
    }
}

/// Keeps the loss of every step of a run.
private final class LossRecorder: TrainingObserver {
    var losses: [Double] = []

    func stepFinished(_ record: StepRecord) {
        losses.append(Double(record.loss))
    }
}

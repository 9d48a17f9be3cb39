import NN
import NNSpec

/// The trainer `nnspec train` uses, run quietly: the spec's weights from its seed (or the given
/// state dict, as `--init` loads it), its data, loss, optimizer and scheduler, for `spec.train`'s
/// steps or epochs. Records each step's loss, the last test evaluation and the final state dict.
public struct StandardSpecTrainer: SpecTrainer {
    public init() {}

    public func train(_ spec: ValidatedSpec, initialWeights: String?) throws -> TrainingRecord {
        let trainer = try Trainer(spec: spec)
        if let initialWeights { try WeightsFile.load(initialWeights, into: trainer.network) }
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

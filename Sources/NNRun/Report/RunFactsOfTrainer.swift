import NNCatalogue
import NNSpec

extension RunFacts {
    /// The settings of `trainer`'s run as the report lists them (named as the spec's keys and the
    /// options), read before training starts (so the
    /// learning rate is the one the run starts with).
    static func hyperparameters(of trainer: Trainer, options: TrainingOptions) -> [[String]] {
        /// `StepLR(step_size=2, gamma=0.5)`; a SequentialLR with its `schedulers=[…]` after its arguments.
        func component(_ typeName: String, _ arguments: Arguments, nested: [ResolvedComponent] = []) -> String {
            let key = StandardCatalogue.catalogue.component(named: typeName)?.definition.nestedComponents?.name
            let children = key.map { ["\($0)=[" + nested.map { component($0.typeName, $0.arguments) }.joined(separator: ", ") + "]"] } ?? []
            return "\(typeName)(" + (arguments.entries.map { "\($0.name)=\($0.value)" } + children).joined(separator: ", ") + ")"
        }
        let spec = trainer.spec
        var rows: [[String]] = []
        if let optimizer = spec.optimizer { rows.append(["optimizer", component(optimizer.typeName, optimizer.arguments)]) }
        rows.append(["lr", "\(trainer.optimizer.learningRate)"])
        if let scheduler = spec.train.scheduler {
            rows.append(["scheduler", component(scheduler.typeName, scheduler.arguments, nested: scheduler.nested)])
        }
        if let loss = spec.loss { rows.append(["loss", component(loss.typeName, loss.arguments)]) }
        rows += [
            ["batch_size", "\(trainer.data.train.batchSize)"],
            ["epochs", "\(trainer.epochs)"],
            ["steps", "\(trainer.totalSteps)"],
            ["batches_per_epoch", "\(trainer.data.train.batchCount)"],
            ["train_samples", "\(trainer.data.train.dataset.count)"],
        ]
        if let test = trainer.data.test { rows.append(["test_samples", "\(test.dataset.count)"]) }
        rows += [["seed", "\(spec.train.seed)"], ["threads", "\(trainer.threads)"]]
        if let weights = options.initialWeights { rows.append(["init", weights]) }
        if let directory = options.resumeDirectory { rows.append(["resumed_from", "\(directory) at step \(trainer.position.step)"]) }
        return rows
    }

    /// The facts of `trainer`'s run once it stopped.
    init(trainer: Trainer, specFile: String, hyperparameters: [[String]], started: Double, totalSeconds: Double,
         confusionMatrix: ConfusionMatrix?) {
        self.init(
            spec: specFile, name: trainer.spec.name, hyperparameters: hyperparameters,
            timings: Timings(started: started, totalSeconds: totalSeconds,
                             trainingSeconds: ProgressDisplay.seconds(trainer.trainingTime), images: trainer.samplesTrained),
            final: FinalMetrics(step: trainer.position.step, totalSteps: trainer.totalSteps, loss: trainer.lastLoss.map(Double.init),
                                testLoss: trainer.lastEvaluation?.loss, testAccuracy: trainer.lastEvaluation?.accuracy),
            confusionMatrix: confusionMatrix?.counts, error: nil)
    }
}

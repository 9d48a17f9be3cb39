import Foundation
import NN
import NNCatalogue
import NNData
import NNSpec

/// `nnspec train FILE`, in process: validate, check memory, build, print the network as the
/// torch.nn tutorial does, train with progress, report and save. Exit status 0 when trained,
/// 1 for any error (printed to `console.error`, nothing thrown or trapped), 130 when interrupted.
public enum TrainingSession {
    public static let interruptedStatus: Int32 = 130

    /// Runs the whole command; `memoryLimit` is the memory a model may need (the machine's by default).
    public static func run(file: String, options: TrainingOptions, console: Console,
                           interruption: InterruptFlag? = nil, memoryLimit: Int = MemoryEstimate.physicalMemory) -> Int32 {
        let validation = SpecValidator.standard.validate(file: file, fileAccess: options.fileAccess, reportingTo: console)
        guard let spec = validation.spec else {
            if options.format == .json {
                console.output(TrainingReportJSON.failed(file: file, error: "\(file) is not a valid spec (the diagnostics are on standard error)"))
            }
            return 1
        }
        do {
            return try train(spec, file: file, options: options, console: console, interruption: interruption, memoryLimit: memoryLimit)
        } catch {
            console.reportFailure(error, of: validation)
            if options.format == .json { console.output(TrainingReportJSON.failed(file: file, error: error.description)) }
            return 1
        }
    }

    private static func train(_ validated: ValidatedSpec, file: String, options: TrainingOptions, console: Console,
                              interruption: InterruptFlag?, memoryLimit: Int) throws(TrainingError) -> Int32 {
        try check(options)
        let spec = try applying(options, to: validated)
        let estimate = MemoryEstimate(spec: spec)
        guard estimate.totalBytes <= Double(memoryLimit) else { throw .memory(estimate, available: memoryLimit) }

        let trainer = try Trainer(spec: spec, learningRate: options.learningRate)
        trainer.threads = options.threads
        trainer.fileOutput = options.fileOutput
        if let path = options.initialWeights {
            try WeightsFile.load(path, into: trainer.network, strippingPrefix: options.initialWeightsPrefix)
            if let tensor = NonFiniteProbe.firstNonFiniteState(of: trainer.network) {
                throw .weights("--init \(path): \(tensor); training from non-finite weights can only give NaN")
            }
        }
        let checkpoint = try options.resumeDirectory.map { (directory) throws(TrainingError) in
            try Checkpoint(directory: directory, maximumElements: Checkpoint.elementBudget(of: trainer))
        }
        if let checkpoint, let directory = options.resumeDirectory {
            do {
                try checkpoint.restore(into: trainer)
            } catch .checkpoint(let message) {
                throw .checkpoint("\(Checkpoint.path(inDirectory: directory)): \(message)")
            }
        }
        if let name = options.showGradient { try trainer.watchGradient(of: name) }
        // Every output location is checked before the first step, so no run trains and then cannot save.
        if let path = options.saveWeights { try WeightsFile.checkWritable(path, force: options.force) }
        if let directory = options.checkpointDirectory ?? options.resumeDirectory {
            try Checkpoint.checkWritable(directory: directory, force: options.force)
            trainer.checkpoints = CheckpointPolicy(directory: directory, every: options.checkpointEvery)
        }
        let log = try options.logFile.map { (path) throws(TrainingError) in
            try TrainingLog(path: path, resumedAfter: checkpoint?.position.step, force: options.force, output: options.fileOutput)
        }
        let records = try RunRecords(options: options)
        let quiet = options.quiet || options.format == .json
        let display = quiet ? nil : ProgressDisplay(console: console, totalSteps: trainer.totalSteps)
        trainer.observers = ([display, log] as [(any TrainingObserver)?]).compactMap { $0 } + records.observers
        trainer.interruption = interruption
        let hyperparameters = RunFacts.hyperparameters(of: trainer, options: options)
        if !quiet { console.output(introduction(trainer, resumedFrom: checkpoint == nil ? nil : options.resumeDirectory)) }

        let clock = ContinuousClock()
        let start = clock.now
        records.markStart()
        let outcome: Trainer.Outcome
        do throws(TrainingError) {
            outcome = try trainer.run()
            try trainer.persistObservers()
        } catch {
            display?.clearBar()
            if case .output = error { throw error }
            // The rows up to a failed step are still worth keeping; the run's own error comes first.
            do throws(TrainingError) {
                try trainer.persistObservers()
                // So is the report of the steps made, with the error at its top.
                var facts = RunFacts(trainer: trainer, specFile: file, hyperparameters: hyperparameters, started: records.started,
                                     totalSeconds: ProgressDisplay.seconds(clock.now - start), confusionMatrix: nil)
                facts.error = error.description
                try records.writeReport(facts: facts, spec: spec, options: options)
            } catch let recordError {
                console.error("error: \(recordError)\n")
            }
            throw error
        }
        let seconds = ProgressDisplay.seconds(clock.now - start)
        if outcome == .finished, let path = options.saveWeights {
            let vocabulary: TextVocabulary?
            do { vocabulary = try SpecData.textVocabulary(for: spec) } catch { throw .data(error) }
            try WeightsFile.save(trainer.network, to: path, vocabulary: vocabulary, output: options.fileOutput)
            if !quiet { console.output("weights saved to \(path)\n") }
        }
        let confusionMatrix = records.report == nil ? nil : try trainer.testConfusionMatrix()
        let facts = RunFacts(trainer: trainer, specFile: file, hyperparameters: hyperparameters, started: records.started,
                             totalSeconds: seconds, confusionMatrix: confusionMatrix)
        try records.writeReport(facts: facts, spec: spec, options: options)
        if options.format == .json {
            console.output(TrainingReportJSON.render(status: outcome == .finished ? "finished" : "interrupted", facts: facts,
                                                     paths: TrainingReportJSON.paths(options: options, trainer: trainer, records: records)))
        } else if outcome == .interrupted {
            console.output("interrupted after step \(trainer.position.step) of \(trainer.totalSteps)"
                           + (trainer.checkpoints == nil ? " (no --checkpoint-dir, so nothing was saved)" : "") + "\n")
        } else {
            console.output(report(trainer, seconds: seconds))
        }
        return outcome == .finished ? 0 : interruptedStatus
    }

    /// Refuses option values no run can use.
    private static func check(_ options: TrainingOptions) throws(TrainingError) {
        if let problem = options.usageProblem { throw .invalidOption(problem) }
    }

    /// The spec with the command line's overrides. A resumed run must have the checkpoint's seed
    /// and batch size (restoring refuses others), so they are given again, as in the first run.
    static func applying(_ options: TrainingOptions, to validated: ValidatedSpec) throws(TrainingError) -> ValidatedSpec {
        var spec = validated
        guard spec.data != nil else { throw .invalidOption("\(spec.name) has no data: block to train on") }
        if let seed = options.seed { spec.train.seed = seed }
        if let batchSize = options.batchSize { spec.data!.batchSize = batchSize }
        if let epochs = options.epochs {
            spec.train.epochs = epochs
            spec.train.steps = nil
        }
        if let steps = options.steps { spec.train.steps = steps }
        return spec
    }

    /// The tutorial's story before training: the network as PyTorch prints it, the number of
    /// parameter tensors, each `name : [sizes]`, the output shape, then what the run will do.
    static func introduction(_ trainer: Trainer, resumedFrom directory: String?) -> String {
        let parameters = trainer.network.namedParameters()
        var text = trainer.network.description + "\n"
        text += "\(parameters.count) parameter tensors, \(formatCount(trainer.network.parameterCount)) parameters\n"
        for (name, parameter) in parameters { text += "\(name) : \(parameter.shape)\n" }
        let batchSize = trainer.data.train.batchSize
        text += "output : \(trainer.spec.output.withBatch(batchSize))\n"
        let steps = trainer.totalSteps, batches = trainer.data.train.batchCount
        text += "training: \(plural(steps, "step")) (\(plural(trainer.epochs, "epoch")) of \(plural(batches, "batch", "batches")),"
            + " batch size \(batchSize)), \(trainer.spec.optimizer?.typeName ?? "") lr \(trainer.optimizer.learningRate),"
            + " seed \(trainer.spec.train.seed), \(plural(trainer.threads, "thread"))\n"
        if let directory = directory {
            let position = trainer.position
            text += "resuming from \(directory) at step \(position.step) (epoch \(position.epoch + 1), batch \(position.batch + 1))\n"
        }
        return text
    }

    /// The closing lines: final loss, test metrics, throughput.
    static func report(_ trainer: Trainer, seconds: Double) -> String {
        guard let loss = trainer.lastLoss else {
            return "nothing to train: the run is already at step \(trainer.position.step) of \(trainer.totalSteps)\n"
        }
        var text = "final loss \(loss) (step \(trainer.position.step) of \(trainer.totalSteps))\n"
        if let test = trainer.lastEvaluation { text += ProgressDisplay.describe(test) + "\n" }
        let images = trainer.samplesTrained, training = ProgressDisplay.seconds(trainer.trainingTime)
        text += "\(formatCount(images)) \(images == 1 ? "image" : "images") trained in \(ProgressDisplay.duration(training))"
            + (training > 0 ? " (\(formatCount(Int(Double(images) / training))) images/s)" : "")
            + ", \(ProgressDisplay.duration(seconds)) in all\n"
        return text
    }

    private static func plural(_ count: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
        "\(formatCount(count)) \(count == 1 ? singular : pluralForm ?? singular + "s")"
    }
}
